"""Writing publiccode.yml from the Hub's plain dict, and reading files back into it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from localdigital.catalogue.publiccode import examples, from_publiccode, to_publiccode, validate

LONG_DESCRIPTION = (
    "Report a missed bin collection online. The service checks the address against the "
    "council's rounds, tells the resident when the crew will return and sends updates "
    "by email and text message."
)


def plain_of(name: str) -> dict[str, Any]:
    report = validate(examples.read(name))
    assert report.valid
    return from_publiccode(report.data)


def minimal() -> dict[str, Any]:
    return {
        "name": "Bin reporter",
        "url": "https://github.com/example-council/bin-reporter",
        "software_version": "2.1",
        "release_date": date(2025, 3, 14),
        "platforms": ["web"],
        "categories": ["service-desk"],
        "development_status": "beta",
        "software_type": "standalone/web",
        "description": {
            "en": {
                "shortDescription": "Report a missed bin collection.",
                "longDescription": LONG_DESCRIPTION,
            }
        },
        "licence": "MIT",
        "maintenance_type": "internal",
        "contacts": [{"name": "Digital team", "email": "digital@example.gov.uk"}],
        "available_languages": ["en", "cy"],
        "localisation_ready": True,
    }


@pytest.mark.parametrize("name", examples.NAMES)
def test_every_real_file_survives_a_round_trip(name: str) -> None:
    plain = plain_of(name)

    exported = to_publiccode(plain)
    report = validate(exported)

    assert report.errors == []
    assert from_publiccode(report.data) == plain


@pytest.mark.parametrize("name", examples.NAMES)
def test_an_exported_real_file_declares_version_0_4_0(name: str) -> None:
    exported = to_publiccode(plain_of(name))

    assert exported.startswith('publiccodeYmlVersion: "0.4.0"\n')
    assert validate(exported).version == "0.4.0"


def test_the_exported_keys_follow_the_order_the_standard_shows() -> None:
    exported = to_publiccode(plain_of("publiccodeyml__publiccode.yml__spec-example.yml"))

    keys = [line.split(":")[0] for line in exported.splitlines() if line[:1].isalpha()]

    assert keys[:4] == ["publiccodeYmlVersion", "name", "applicationSuite", "url"]
    assert keys.index("description") < keys.index("legal") < keys.index("maintenance")
    assert keys.index("maintenance") < keys.index("localisation") < keys.index("dependsOn")


def test_the_export_is_block_style_and_keeps_unicode() -> None:
    exported = to_publiccode(plain_of("Comune-Milano__Whistleblowing.yml"))

    assert "è un applicativo" in exported
    assert "\\u" not in exported
    assert "{" not in exported
    assert "  - web\n" in exported


def test_a_minimal_plain_dict_exports_a_valid_file() -> None:
    exported = to_publiccode(minimal())
    report = validate(exported)

    assert report.errors == []
    assert report.data["releaseDate"] == "2025-03-14"
    assert report.data["maintenance"]["contacts"] == [
        {"name": "Digital team", "email": "digital@example.gov.uk"}
    ]


def test_an_empty_plain_dict_exports_text_without_failing() -> None:
    exported = to_publiccode({})

    assert yaml.safe_load(exported) == {"publiccodeYmlVersion": "0.4.0"}
    assert not validate(exported).valid


def test_supports_are_exported_as_the_uk_section() -> None:
    data = minimal() | {"supports": ["tcop", "gov-uk-notify"]}

    report = validate(to_publiccode(data))

    assert report.valid
    assert report.data["uk"] == {"supports": ["tcop", "gov-uk-notify"]}
    assert from_publiccode(report.data)["supports"] == ["tcop", "gov-uk-notify"]


def test_extra_keys_are_carried_through_unchanged() -> None:
    extra = {"usedBy": ["Leeds City Council"], "it": {"riuso": {"codiceIPA": "c_f205"}}}

    report = validate(to_publiccode(minimal() | {"extra": extra}))

    assert report.valid
    assert report.data["usedBy"] == ["Leeds City Council"]
    assert report.data["it"] == {"riuso": {"codiceIPA": "c_f205"}}


def test_the_flat_description_fields_override_the_chosen_language() -> None:
    data = minimal() | {"short_description": "Tell us about a missed bin."}

    report = validate(to_publiccode(data))

    assert report.data["description"]["en"]["shortDescription"] == "Tell us about a missed bin."
    assert report.data["description"]["en"]["longDescription"] == LONG_DESCRIPTION


def test_a_description_can_be_given_only_as_flat_fields() -> None:
    data = minimal()
    del data["description"]
    data |= {"short_description": "Report a missed bin.", "long_description": LONG_DESCRIPTION}

    report = validate(to_publiccode(data))

    assert report.valid
    assert list(report.data["description"]) == ["en"]


def test_text_that_looks_like_a_number_or_a_boolean_is_quoted() -> None:
    data = minimal() | {"software_version": "1.10", "available_languages": ["no", "en"]}

    exported = to_publiccode(data)
    loaded = yaml.safe_load(exported)

    assert loaded["softwareVersion"] == "1.10"
    assert loaded["localisation"]["availableLanguages"] == ["no", "en"]


def test_from_publiccode_takes_the_english_description() -> None:
    plain = plain_of("CatalaLang__catala.yml")

    assert plain["description_language"] == "en"
    assert plain["short_description"].startswith("Domain-specific programming language")
    assert set(plain["description"]) == {"en", "fr"}


def test_from_publiccode_takes_the_first_language_when_there_is_no_english() -> None:
    plain = plain_of("Comune-Milano__Whistleblowing.yml")

    assert plain["description_language"] == "it"
    assert plain["short_description"].startswith("Whistleblowing è un applicativo")


def test_from_publiccode_gives_dates_as_dates_and_people_without_empty_fields() -> None:
    lynis = plain_of("CISOfy__lynis.yml")
    spec = plain_of("publiccodeyml__publiccode.yml__spec-example.yml")

    assert lynis["release_date"] == date(2025, 1, 28)
    assert lynis["contacts"] == [{"name": "Michael Boelen", "email": "michael.boelen@cisofy.com"}]
    assert spec["contractors"][0]["until"] == date(2019, 1, 1)


def test_from_publiccode_keeps_unmapped_keys_in_extra() -> None:
    plain = plain_of("publiccodeyml__publiccode.yml__spec-example.yml")

    assert plain["extra"]["usedBy"] == ["Comune di Firenze", "Comune di Roma"]
    assert plain["extra"]["IT"]["piattaforme"]["spid"] is True
    assert "legal" not in plain["extra"]


def test_leftover_keys_of_a_mapped_section_survive_the_round_trip() -> None:
    text = examples.read("Amsterdam__signals-frontend.yml").replace(
        "  repoOwner: Gemeente Amsterdam\n",
        "  repoOwner: Gemeente Amsterdam\n  authorsFile: AUTHORS\n",
    )
    plain = from_publiccode(validate(text).data)

    report = validate(to_publiccode(plain))

    assert plain["extra"]["legal"] == {"authorsFile": "AUTHORS"}
    assert report.data["legal"]["authorsFile"] == "AUTHORS"
    assert from_publiccode(report.data) == plain
