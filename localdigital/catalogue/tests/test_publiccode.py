"""The publiccode.yml validator, on the five real files and broken copies of them.

Broken copies are made by editing a real file's text here, and every expected line number is
worked out from that text, so the tests stay right if the example files change.
"""

from __future__ import annotations

import pytest

from localdigital.catalogue.publiccode import Message, ValidationReport, examples, validate

SPEC = "publiccodeyml__publiccode.yml__spec-example.yml"
LYNIS = "CISOfy__lynis.yml"
SIGNALEN = "Amsterdam__signals-frontend.yml"
CATALA = "CatalaLang__catala.yml"
WHISTLEBLOWING = "Comune-Milano__Whistleblowing.yml"


def line_of(text: str, fragment: str, occurrence: int = 0) -> int:
    """The 1-based number of the line holding ``fragment`` (the first, or the nth, such line)."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert lines, f"{fragment!r} is not in the text"
    return lines[occurrence]


def column_of(text: str, fragment: str) -> int:
    line = text.splitlines()[line_of(text, fragment) - 1]
    return line.index(fragment) + 1


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must appear exactly once"
    return text.replace(old, new)


def only_error(report: ValidationReport, key: str) -> Message:
    matching = [message for message in report.errors if message.key == key]
    assert len(matching) == 1, f"errors for {key}: {report.errors}"
    return matching[0]


# The real files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", examples.NAMES)
def test_every_real_file_is_valid_with_no_errors(name: str) -> None:
    report = validate(examples.read(name))

    assert report.errors == []
    assert report.valid
    assert report.data["name"]


def test_the_five_real_files_are_shipped() -> None:
    assert set(examples.NAMES) == {SPEC, LYNIS, SIGNALEN, CATALA, WHISTLEBLOWING}


@pytest.mark.parametrize(
    ("name", "version"),
    [(SPEC, "0"), (LYNIS, "0.4"), (SIGNALEN, "0.2"), (CATALA, "0"), (WHISTLEBLOWING, "0.3")],
)
def test_the_report_gives_the_declared_version(name: str, version: str) -> None:
    assert validate(examples.read(name)).version == version


def test_a_file_given_as_utf8_bytes_is_read_like_text() -> None:
    text = examples.read(SIGNALEN)

    assert validate(text.encode("utf-8")).data == validate(text).data


def test_a_genericname_in_a_0_2_file_is_only_a_warning() -> None:
    text = examples.read(SIGNALEN)
    report = validate(text)

    assert report.valid
    keys = {message.key for message in report.warnings}
    assert "description.en.genericName" in keys
    warning = next(m for m in report.warnings if m.key == "description.en.genericName")
    assert warning.line == line_of(text, "genericName:")


def test_a_genericname_in_a_0_4_file_is_a_deprecation_warning() -> None:
    text = replaced(
        examples.read(LYNIS),
        "    shortDescription: Security",
        "    genericName: Auditing tool\n    shortDescription: Security",
    )
    report = validate(text)

    assert report.valid
    warning = next(m for m in report.warnings if m.key == "description.en.genericName")
    assert "Deprecated" in warning.text
    assert warning.line == line_of(text, "genericName:")


# Licence ----------------------------------------------------------------------------------


def test_an_unknown_licence_is_rejected_at_its_line_naming_the_id() -> None:
    text = replaced(examples.read(LYNIS), "license: AGPL-3.0-only", "license: NOT-A-LICENCE")
    report = validate(text)

    error = only_error(report, "legal.license")
    assert not report.valid
    assert error.line == line_of(text, "NOT-A-LICENCE")
    assert error.column == column_of(text, "NOT-A-LICENCE")
    assert "'NOT-A-LICENCE'" in error.text


def test_a_licence_expression_with_bad_syntax_is_rejected() -> None:
    text = replaced(examples.read(LYNIS), "license: AGPL-3.0-only", "license: MIT AND (")

    error = only_error(validate(text), "legal.license")

    assert error.line == line_of(text, "MIT AND (")
    assert "not a valid SPDX licence expression" in error.text


def test_a_compound_licence_expression_is_accepted() -> None:
    text = replaced(
        examples.read(LYNIS),
        "license: AGPL-3.0-only",
        "license: (MIT OR Apache-2.0) AND OGL-UK-3.0",
    )

    report = validate(text)

    assert report.valid
    assert not [m for m in report.warnings if m.key == "legal.license"]


def test_every_unknown_licence_id_in_an_expression_is_named_once() -> None:
    text = replaced(
        examples.read(LYNIS),
        "license: AGPL-3.0-only",
        "license: FOO-1 OR (MIT AND BAR-2) OR FOO-1",
    )

    error = only_error(validate(text), "legal.license")

    assert error.text.startswith("'FOO-1', 'BAR-2' are not SPDX licence identifiers")


def test_a_licenseref_is_accepted_as_spdx_allows() -> None:
    text = replaced(examples.read(LYNIS), "AGPL-3.0-only", "LicenseRef-council-terms")

    assert validate(text).valid


def test_a_deprecated_spdx_id_is_accepted_with_a_warning_giving_the_current_one() -> None:
    text = replaced(examples.read(LYNIS), "license: AGPL-3.0-only", "license: GPL-3.0")
    report = validate(text)

    assert report.valid
    warning = next(m for m in report.warnings if m.key == "legal.license")
    assert "GPL-3.0-only" in warning.text


# Descriptions -----------------------------------------------------------------------------


def test_a_short_description_over_150_characters_is_rejected_at_its_line() -> None:
    original = "shortDescription: Security auditing tool"
    text = replaced(examples.read(LYNIS), original, original + " that is very thorough" * 5)
    report = validate(text)

    error = only_error(report, "description.en.shortDescription")
    assert error.line == line_of(text, "shortDescription:")
    assert "150" in error.text


def test_a_short_description_of_exactly_150_characters_is_accepted() -> None:
    text = examples.read(LYNIS)
    current = "Security auditing tool for Linux, macOS, and UNIX-based systems"
    text = replaced(text, current, current + "x" * (150 - len(current)))

    assert validate(text).valid


def test_a_long_description_under_150_characters_is_rejected_at_its_line() -> None:
    text = examples.read(WHISTLEBLOWING)
    start = text.index("    longDescription:")
    end = text.index("    features:")
    text = text[:start] + "    longDescription: Too short to describe anything.\n" + text[end:]

    error = only_error(validate(text), "description.it.longDescription")

    assert error.line == line_of(text, "longDescription:")


def test_a_missing_short_description_is_reported_under_its_language() -> None:
    text = examples.read(CATALA)
    start = text.index("  fr:\n    shortDescription:")
    end = text.index("    longDescription:", start)
    text = text[:start] + "  fr:\n" + text[end:]

    error = only_error(validate(text), "description.fr.shortDescription")

    assert error.line == line_of(text, "  fr:")


def test_a_language_that_is_not_a_language_code_is_rejected() -> None:
    text = replaced(examples.read(CATALA), "  fr:\n", "  french language:\n")

    error = only_error(validate(text), "description.french language")

    assert error.line == line_of(text, "french language:")


def test_documentation_must_be_a_web_address() -> None:
    text = replaced(
        examples.read(LYNIS),
        "documentation: https://cisofy.com/documentation/lynis/",
        "documentation: ftp://cisofy.com/lynis/",
    )

    error = only_error(validate(text), "description.en.documentation")

    assert error.line == line_of(text, "ftp://")


# Top-level keys ---------------------------------------------------------------------------


def test_a_missing_name_is_rejected() -> None:
    text = replaced(examples.read(CATALA), "name: Catala\n", "")
    report = validate(text)

    error = only_error(report, "name")
    assert not report.valid
    assert "name" in error.text
    assert (error.line, error.column) == (1, 1)


def test_a_non_http_url_is_rejected_at_its_line() -> None:
    text = replaced(
        examples.read(SIGNALEN),
        "landingURL: 'https://signalen.org/'",
        "landingURL: 'ftp://signalen.org/'",
    )

    error = only_error(validate(text), "landingURL")

    assert error.line == line_of(text, "landingURL:")
    assert "http" in error.text


def test_the_repository_url_must_be_http() -> None:
    text = replaced(
        examples.read(CATALA),
        "url: https://github.com/CatalaLang/catala",
        "url: git@github.com:CatalaLang/catala.git",
    )

    error = only_error(validate(text), "url")

    assert error.line == line_of(text, "url: git@")


def test_an_impossible_release_date_is_rejected_at_its_line() -> None:
    text = replaced(examples.read(CATALA), 'releaseDate: "2026-05-29"', 'releaseDate: "2020-13-45"')

    error = only_error(validate(text), "releaseDate")

    assert error.line == line_of(text, "releaseDate:")
    assert "2020-13-45" in error.text


def test_an_unquoted_release_date_is_read_as_text_and_accepted() -> None:
    report = validate(examples.read(LYNIS))

    assert report.data["releaseDate"] == "2025-01-28"
    assert report.valid


def test_a_software_version_without_a_release_date_is_rejected() -> None:
    text = replaced(examples.read(CATALA), 'releaseDate: "2026-05-29"\n', "")

    error = only_error(validate(text), "releaseDate")

    assert "softwareVersion" in error.text
    assert error.line == line_of(text, "softwareVersion:")


def test_a_software_version_written_as_a_number_is_rejected() -> None:
    text = replaced(examples.read(SPEC), 'softwareVersion: "1.0"', "softwareVersion: 1.0")

    error = only_error(validate(text), "softwareVersion")

    assert error.line == line_of(text, "softwareVersion:")
    assert "quotes" in error.text


def test_an_unknown_category_is_rejected_at_its_line() -> None:
    text = replaced(examples.read(SPEC), "  - office\n", "  - office\n  - spreadsheets\n")

    error = only_error(validate(text), "categories[2]")

    assert error.line == line_of(text, "- spreadsheets")
    assert "spreadsheets" in error.text


def test_an_unknown_development_status_is_rejected() -> None:
    text = replaced(examples.read(LYNIS), "developmentStatus: stable", "developmentStatus: live")

    error = only_error(validate(text), "developmentStatus")

    assert error.line == line_of(text, "developmentStatus:")


def test_an_unknown_software_type_is_rejected() -> None:
    text = replaced(examples.read(LYNIS), "softwareType: standalone/other", "softwareType: app")

    assert only_error(validate(text), "softwareType").line == line_of(text, "softwareType:")


def test_an_unknown_top_level_key_is_only_a_warning() -> None:
    text = examples.read(LYNIS) + "councilNotes: used in three boroughs\n"
    report = validate(text)

    assert report.valid
    warning = next(m for m in report.warnings if m.key == "councilNotes")
    assert warning.line == line_of(text, "councilNotes:")


def test_an_unsupported_standard_version_is_rejected() -> None:
    text = replaced(
        examples.read(LYNIS), 'publiccodeYmlVersion: "0.4"', 'publiccodeYmlVersion: "0.1"'
    )

    error = only_error(validate(text), "publiccodeYmlVersion")

    assert error.line == 1


@pytest.mark.parametrize("version", ["0", "0.2", "0.2.1", "0.3", "0.3.0", "0.4", "0.4.0"])
def test_every_supported_standard_version_is_accepted(version: str) -> None:
    text = replaced(
        examples.read(LYNIS), 'publiccodeYmlVersion: "0.4"', f'publiccodeYmlVersion: "{version}"'
    )

    report = validate(text)

    assert report.valid
    assert report.version == version


def test_the_italian_extension_is_accepted_without_checking() -> None:
    text = examples.read(WHISTLEBLOWING) + "    anything: [1, 2, 3]\n"

    report = validate(text)

    assert report.valid
    assert not [m for m in report.warnings if m.key.startswith("it")]


# Maintenance ------------------------------------------------------------------------------


def test_internal_maintenance_without_contacts_is_rejected_at_the_type() -> None:
    text = examples.read(LYNIS)
    start = text.index("  contacts:")
    end = text.index("localisation:")
    text = replaced(text[:start] + text[end:], "type: community", "type: internal")

    error = only_error(validate(text), "maintenance.contacts")

    assert error.line == line_of(text, "type: internal")
    assert "internal" in error.text


def test_community_maintenance_with_contractors_is_rejected_at_the_contractors() -> None:
    text = replaced(
        examples.read(LYNIS),
        "  contacts:\n",
        '  contractors:\n    - name: Acme Ltd\n      until: "2030-01-01"\n  contacts:\n',
    )

    error = only_error(validate(text), "maintenance.contractors")

    assert error.line == line_of(text, "contractors:")
    assert "community" in error.text


def test_contract_maintenance_without_contractors_is_rejected() -> None:
    text = examples.read(SPEC)
    start = text.index("  contractors:")
    end = text.index("  contacts:")
    text = text[:start] + text[end:]

    error = only_error(validate(text), "maintenance.contractors")

    assert error.line == line_of(text, 'type: "contract"')


def test_a_contractor_end_date_that_is_not_a_date_is_rejected_at_its_line() -> None:
    text = replaced(examples.read(SPEC), 'until: "2019-01-01"', 'until: "next year"')

    error = only_error(validate(text), "maintenance.contractors[0].until")

    assert error.line == line_of(text, "until:")


def test_a_contractor_needs_an_end_date() -> None:
    text = replaced(examples.read(SPEC), '      until: "2019-01-01"\n', "")

    error = only_error(validate(text), "maintenance.contractors[0].until")

    assert error.line == line_of(text, '- name: "Fornitore')


def test_an_unknown_maintenance_type_is_rejected() -> None:
    text = replaced(examples.read(WHISTLEBLOWING), "type: none", "type: outsourced")

    assert only_error(validate(text), "maintenance.type").line == line_of(text, "type: outsourced")


def test_a_contact_email_must_be_an_email_address() -> None:
    text = replaced(examples.read(CATALA), '"louis.gesbert@inria.fr"', '"louis.gesbert"')

    error = only_error(validate(text), "maintenance.contacts[1].email")

    assert error.line == line_of(text, '"louis.gesbert"')


# Localisation and audience ----------------------------------------------------------------


def test_localisation_ready_must_be_true_or_false() -> None:
    text = replaced(examples.read(LYNIS), "localisationReady: true", "localisationReady: yes")

    error = only_error(validate(text), "localisation.localisationReady")

    assert error.line == line_of(text, "localisationReady:")


def test_an_available_language_must_be_a_language_code() -> None:
    text = replaced(examples.read(LYNIS), "    - es\n", "    - Spanish!\n")

    error = only_error(validate(text), "localisation.availableLanguages[1]")

    assert error.line == line_of(text, "- Spanish!")


def test_norwegian_is_a_language_code_not_false() -> None:
    text = replaced(examples.read(LYNIS), "    - es\n", "    - no\n")

    report = validate(text)

    assert report.valid
    assert report.data["localisation"]["availableLanguages"][1] == "no"


def test_uk_is_not_a_country_code_and_the_error_suggests_gb() -> None:
    text = replaced(examples.read(SPEC), "    - DE\n", "    - UK\n")

    error = only_error(validate(text), "intendedAudience.countries[1]")

    assert error.line == line_of(text, "- UK")
    assert "GB" in error.text


def test_an_unknown_scope_is_rejected() -> None:
    text = replaced(examples.read(SPEC), "- science-and-technology", "- libraries")

    error = only_error(validate(text), "intendedAudience.scope[0]")

    assert error.line == line_of(text, "- libraries")


# The uk extension -------------------------------------------------------------------------


def test_a_uk_supports_list_from_the_vocabulary_is_accepted() -> None:
    text = examples.read(LYNIS) + "uk:\n  supports:\n    - tcop\n    - wcag-2.2\n    - gov-uk-pay\n"

    report = validate(text)

    assert report.valid
    assert report.data["uk"]["supports"] == ["tcop", "wcag-2.2", "gov-uk-pay"]


def test_an_unknown_uk_supports_value_is_rejected_at_its_line() -> None:
    text = examples.read(LYNIS) + "uk:\n  supports:\n    - tcop\n    - iso-27001\n"

    error = only_error(validate(text), "uk.supports[1]")

    assert error.line == line_of(text, "- iso-27001")


def test_any_other_key_in_the_uk_section_is_rejected_at_its_line() -> None:
    text = examples.read(LYNIS) + "uk:\n  supports:\n    - tcop\n  councils: 3\n"

    error = only_error(validate(text), "uk.councils")

    assert error.line == line_of(text, "councils:")


def test_a_uk_section_that_is_not_a_mapping_is_rejected() -> None:
    text = examples.read(LYNIS) + "uk: tcop\n"

    assert only_error(validate(text), "uk").line == line_of(text, "uk: tcop")
