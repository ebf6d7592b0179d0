"""The councils loader and the load_reference_data command, on the real file and broken copies."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from localdigital.audit.models import AuditEvent
from localdigital.core.reference_data import loaders
from localdigital.organisations.models import Organisation
from localdigital.organisations.reference_data import DEFAULT_PATH

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_reference_data", "--only", "councils", *args, stdout=out)
    return out.getvalue()


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_copy(tmp_path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "uk_local_authorities.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def changed_copy(tmp_path: Path, code: str, **changes: str) -> tuple[Path, int]:
    """A copy of the real file with one row changed; returns the path and that row's number."""
    header, rows = rows_of(DEFAULT_PATH)
    index = next(i for i, row in enumerate(rows) if row["local-authority-code"] == code)
    rows[index].update(changes)
    return write_copy(tmp_path, header, rows), index + 2  # the header is row 1


def test_the_real_file_loads_every_uk_local_authority():
    output = load()

    assert Organisation.objects.count() == 470
    assert Organisation.objects.filter(is_current=True).count() == 397
    assert Organisation.objects.filter(is_current=False).count() == 73
    assert "470 created" in output


def test_a_council_keeps_its_codes_type_place_and_facts():
    load()

    hackney = Organisation.objects.get(code="HCK")
    assert hackney.gss_code == "E09000012"
    assert hackney.name == "London Borough of Hackney"
    assert hackney.short_name == "Hackney"
    assert hackney.kind == Organisation.Kind.COUNCIL
    assert (hackney.nation, hackney.region) == ("England", "London")
    assert (hackney.la_type, hackney.la_type_name) == ("LBO", "London borough")
    assert hackney.gov_uk_slug == "hackney"
    assert hackney.population > 200_000
    assert hackney.latitude is not None
    assert hackney.longitude is not None
    assert hackney.combined_authority.code == "GLA"
    assert hackney.reference_data_id == "uk-local-authorities"
    assert "|hackney|" in hackney.search_text
    assert "|e09000012|" in hackney.search_text


def test_combined_authorities_and_tier_links_are_recorded():
    load()

    assert Organisation.objects.get(code="GMCA").kind == Organisation.Kind.COMBINED_AUTHORITY
    assert Organisation.objects.get(code="ADU").county.code == "WSX"
    assert Organisation.objects.filter(combined_authority__code="GMCA").count() == 10


def test_reorganisations_link_a_former_council_to_every_successor():
    load()

    cumbria = Organisation.objects.get(code="CMA")
    assert not cumbria.is_current
    assert cumbria.end_date == date(2023, 4, 1)
    assert set(cumbria.successors.values_list("code", flat=True)) == {"CBD", "WAF"}
    assert cumbria in Organisation.objects.get(code="CBD").predecessors.all()


def test_alternative_names_are_kept_one_a_line_without_repeating_the_name():
    load()

    abc = Organisation.objects.get(code="ABC")
    assert abc.alt_name_list == ["armagh, banbridge and craigavon"]


def test_a_second_run_changes_nothing_and_writes_no_audit_event():
    load()
    events = AuditEvent.objects.filter(action="reference_data.load").count()
    before = dict(Organisation.objects.values_list("code", "updated_at"))

    output = load()

    assert "0 created, 0 updated, 470 unchanged, 0 successor links added" in output
    assert dict(Organisation.objects.values_list("code", "updated_at")) == before
    assert AuditEvent.objects.filter(action="reference_data.load").count() == events == 1


def test_a_load_that_changes_something_is_audited_with_the_data_set_version():
    load()

    event = AuditEvent.objects.get(action="reference_data.load")
    assert event.actor is None
    assert event.data["dataset"] == "uk-local-authorities"
    assert event.data["version"] == "1.6.1"
    assert event.data["created"] == 470


def test_a_changed_file_updates_a_name_and_records_a_new_reorganisation(tmp_path):
    load()
    path, _ = changed_copy(
        tmp_path,
        "HCK",
        **{"official-name": "Hackney Council", "replaced-by": "TWH", "end-date": "2030-03-31"},
    )

    output = load("--source", str(path))

    hackney = Organisation.objects.get(code="HCK")
    assert hackney.name == "Hackney Council"
    assert "|hackney council|" in hackney.search_text
    assert list(hackney.successors.values_list("code", flat=True)) == ["TWH"]
    assert "0 created, 1 updated, 469 unchanged, 1 successor links added" in output
    assert Organisation.objects.count() == 470


def test_a_council_missing_from_a_newer_file_is_kept(tmp_path):
    load()
    header, rows = rows_of(DEFAULT_PATH)
    path = write_copy(tmp_path, header, [r for r in rows if r["local-authority-code"] != "HCK"])

    load("--source", str(path))

    assert Organisation.objects.filter(code="HCK").exists()


@pytest.mark.parametrize(
    ("code", "changes", "column", "message"),
    [
        ("HCK", {"start-date": "2023-13-01"}, "start-date", "is not a date"),
        ("HCK", {"end-date": "1 April 2023"}, "end-date", "is not a date"),
        ("HCK", {"pop-2020": "lots"}, "pop-2020", "is not a whole number"),
        ("HCK", {"lat": "91"}, "lat", "is not a number between -90 and 90"),
        ("HCK", {"local-authority-code": "ABC"}, "local-authority-code", "also on row 2"),
        ("HCK", {"county-la": "ZZZ"}, "county-la", "No row has the code ZZZ"),
        ("HCK", {"combined-authority": "NOPE"}, "combined-authority", "No row has the code NOPE"),
        ("CMA", {"replaced-by": "CBD,QQQ"}, "replaced-by", "No row has the code QQQ"),
        ("HCK", {"current-authority": "yes"}, "current-authority", "is not True or False"),
        ("HCK", {"gss-code": "E0900001"}, "gss-code", "is not a GSS code"),
    ],
)
def test_a_malformed_file_stops_the_loader_naming_file_row_and_column_and_writes_nothing(
    tmp_path, code, changes, column, message
):
    path, row = changed_copy(tmp_path, code, **changes)

    with pytest.raises(CommandError) as raised:
        load("--source", str(path))

    text = str(raised.value)
    assert f"uk_local_authorities.csv, row {row}, column '{column}'" in text
    assert message in text
    assert Organisation.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_a_malformed_file_leaves_an_earlier_load_untouched(tmp_path):
    load()
    path, _ = changed_copy(tmp_path, "HCK", **{"official-name": "Renamed", "pop-2020": "x"})

    with pytest.raises(CommandError):
        load("--source", str(path))

    assert Organisation.objects.get(code="HCK").name == "London Borough of Hackney"


def test_a_file_missing_a_column_is_refused_before_any_row_is_read(tmp_path):
    header, rows = rows_of(DEFAULT_PATH)
    header.remove("gss-code")
    for row in rows:
        del row["gss-code"]
    path = write_copy(tmp_path, header, rows)

    with pytest.raises(CommandError) as raised:
        load("--source", str(path))

    assert "uk_local_authorities.csv, row 1, column 'gss-code': This column is missing" in str(
        raised.value
    )
    assert Organisation.objects.count() == 0


def test_a_dry_run_checks_the_file_and_writes_nothing():
    output = load("--dry-run")

    assert "Dry run, nothing written" in output
    assert "470 created" in output
    assert Organisation.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_the_command_refuses_an_unknown_data_set():
    with pytest.raises(CommandError, match="Unknown data set"):
        call_command("load_reference_data", "--only", "unicorns")


def test_the_councils_loader_is_registered_for_the_command():
    assert "councils" in [loader.name for loader in loaders()]


def test_the_project_copy_carries_its_source_and_licence():
    import yaml

    meta = yaml.safe_load(DEFAULT_PATH.with_suffix(".yaml").read_text())
    assert meta["id"] == "uk-local-authorities"
    assert meta["licence"] == "CC BY 4.0"
    assert meta["attribution"] == "mySociety, UK Local Authority Names and Codes, CC BY 4.0"
    assert meta["source_url"].startswith("https://github.com/mysociety/")
