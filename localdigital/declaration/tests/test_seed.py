import datetime as dt
import io

import pytest
from django.core.management import call_command

from localdigital.audit.models import AuditEvent
from localdigital.declaration import seed
from localdigital.declaration.models import Signing
from localdigital.declaration.tests.factories import SigningFactory
from localdigital.organisations.models import Organisation
from localdigital.organisations.reference_data import load_councils


@pytest.fixture
def councils(db):
    """Every UK local authority from the project's reference data file."""
    return load_councils()


def _write(tmp_path, text, *, name="signatories.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "name,date_signed,source,evidence,local_authority_code\n"


def test_the_real_file_imports_every_known_signatory_and_nothing_else(councils):
    result = seed.signatories_import()

    # 52 rows; Adur and Worthing signed together, so 53 organisations.
    assert result.rows == 52
    assert result.signings_created == 53
    assert Signing.objects.count() == 53
    assert set(Signing.objects.values_list("method", flat=True)) == {Signing.Method.IMPORTED}
    assert set(Signing.objects.values_list("status", flat=True)) == {Signing.Status.ACTIVE}
    signed_codes = set(Signing.objects.values_list("organisation__code", flat=True))
    assert {"ADU", "WOT", "ESS", "HCK", "MAN", "LDS", "ALL", "WYO"} <= signed_codes
    assert "KEN" not in signed_codes


def test_a_second_import_creates_nothing(councils):
    seed.signatories_import()
    organisations = Organisation.objects.count()
    events = AuditEvent.objects.count()

    again = seed.signatories_import()

    assert again.signings_created == 0
    assert again.organisations_created == 0
    assert again.unchanged == 53
    assert Signing.objects.count() == 53
    assert Organisation.objects.count() == organisations
    assert AuditEvent.objects.count() == events


def test_dates_are_kept_only_as_precisely_as_the_evidence_gives_them(councils):
    seed.signatories_import()

    essex = Signing.objects.get(organisation__code="ESS")
    assert essex.signed_on == dt.date(2018, 7, 4)
    assert essex.signed_on_precision == Signing.DatePrecision.DAY
    adur = Signing.objects.get(organisation__code="ADU")
    assert adur.signed_on == dt.date(2018, 7, 1)
    assert adur.signed_on_precision == Signing.DatePrecision.MONTH
    hackney = Signing.objects.get(organisation__code="HCK")
    assert hackney.signed_on is None
    assert hackney.signed_on_precision == Signing.DatePrecision.UNKNOWN


def test_each_signing_carries_its_evidence_and_source(councils):
    seed.signatories_import()

    hackney = Signing.objects.get(organisation__code="HCK")
    assert hackney.evidence.startswith("partner in Local Digital Fund 2 project")
    assert (
        hackney.source_url
        == "https://www.theplanner.co.uk/news/cash-for-councils-to-improve-digital-tech/"
    )


def test_signatories_that_are_not_councils_become_organisations_of_the_right_kind(councils):
    result = seed.signatories_import()

    assert result.organisations_created == 4
    mhclg = Organisation.objects.get(code="mhclg")
    assert mhclg.name == "Ministry of Housing, Communities and Local Government"
    assert mhclg.kind == Organisation.Kind.CENTRAL_GOVERNMENT
    assert Organisation.objects.get(code="gds").kind == Organisation.Kind.CENTRAL_GOVERNMENT
    assert Organisation.objects.get(code="loti").kind == Organisation.Kind.OTHER_PUBLIC_BODY
    drupal = Organisation.objects.get(code="localgov-drupal")
    assert drupal.kind == Organisation.Kind.OTHER_PUBLIC_BODY
    assert "localgov drupal" in drupal.search_text
    assert mhclg.declaration_signings.get().signed_on == dt.date(2018, 7, 4)


def test_former_councils_keep_their_signing(councils):
    seed.signatories_import()

    allerdale = Organisation.objects.get(code="ALL")
    assert not allerdale.is_current
    assert allerdale.declaration_signings.get().is_active


def test_an_organisation_that_signed_on_the_hub_keeps_that_signing(councils):
    hackney = Organisation.objects.get(code="HCK")
    own = SigningFactory(organisation=hackney)

    seed.signatories_import()

    assert list(hackney.declaration_signings.all()) == [own]


def test_an_imported_signing_that_was_withdrawn_is_not_imported_again(councils):
    seed.signatories_import()
    Signing.objects.filter(organisation__code="HCK").update(
        status=Signing.Status.WITHDRAWN, withdrawn_on=dt.date(2025, 1, 1)
    )

    result = seed.signatories_import()

    assert result.signings_created == 0
    assert not Signing.objects.filter(organisation__code="HCK", status="active").exists()


def test_the_import_is_recorded_in_the_audit_log(councils):
    seed.signatories_import()

    event = AuditEvent.objects.get(action="declaration.signatories_import")
    assert event.data["signings_created"] == 53
    assert event.data["dataset"] == "declaration-signatories"


def test_an_unknown_council_code_stops_the_import_before_anything_is_written(councils, tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "Essex County Council,2018-07-04,https://example.org/a,co-publisher,ESS\n"
        + "Nowhere Council,,https://example.org/b,fund partner,ZZZ\n",
    )

    with pytest.raises(seed.SignatoryImportError, match="ZZZ"):
        seed.signatories_import(path=path, strict=True)

    assert not Signing.objects.exists()


def test_without_strict_an_unknown_council_is_skipped_and_reported(councils, tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "Essex County Council,2018-07-04,https://example.org/a,co-publisher,ESS\n"
        + "Nowhere Council,,https://example.org/b,fund partner,ZZZ\n",
    )
    warnings = []

    result = seed.signatories_import(path=path, warn=warnings.append)

    assert result.signings_created == 1
    assert result.skipped == 1
    assert "ZZZ" in warnings[0]
    assert list(Signing.objects.values_list("organisation__code", flat=True)) == ["ESS"]


def test_a_malformed_date_is_reported_with_its_row(councils, tmp_path):
    path = _write(tmp_path, HEADER + "Essex County Council,4 July 2018,src,evidence,ESS\n")

    with pytest.raises(seed.SignatoryImportError) as error:
        seed.signatories_import(path=path)

    assert "row 2, column 'date_signed'" in str(error.value)
    assert not Signing.objects.exists()


def test_a_row_without_a_code_or_known_organisation_is_refused(councils, tmp_path):
    path = _write(tmp_path, HEADER + "Some Charity,,src,evidence,\n")

    with pytest.raises(seed.SignatoryImportError, match="has no council code"):
        seed.signatories_import(path=path)


def test_seed_demo_loads_the_signatories(councils):
    call_command("seed_demo", stdout=io.StringIO())

    assert Signing.objects.filter(method=Signing.Method.IMPORTED).count() == 53
