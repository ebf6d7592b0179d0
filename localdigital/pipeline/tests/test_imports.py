import pytest
from django.core.management import CommandError, call_command

from localdigital.pipeline.models import Item, Revision
from localdigital.pipeline.services.imports import ImportFailed, parse_rows, pipeline_import
from localdigital.pipeline.tests.factories import ServiceAreaFactory

HEADER = (
    "title,summary,description,kind,organisation,phase,service_area,tags,"
    "collaboration_level,budget_band,start,end,url\n"
)
GOOD = (
    HEADER
    + 'Missed bins,Residents report missed bins online.,"- first\n- second",problem,HCK,alpha,'
    "waste-and-environment,waste; bins,seeking partners,0-50k,2026-04-01,31/03/2027,"
    "https://github.com/example/bins\n"
    + "Parking permits,Buy permits online.,,project,E09000007,beta,,,,,,,https://blog.example.org\n"
)


@pytest.fixture
def areas(db):
    ServiceAreaFactory(key="waste-and-environment", name="Waste and environment")


def test_a_valid_file_creates_items_and_reimporting_it_changes_nothing(
    council, other_council, areas, tmp_path
):
    other_council.gss_code = "E09000007"
    other_council.save()
    result = pipeline_import(actor=None, content=GOOD.encode())
    assert (result.created, result.updated) == (2, 0)
    bins = Item.objects.get(title="Missed bins")
    assert bins.organisation == council
    assert bins.repository_url == "https://github.com/example/bins"
    assert bins.end_date.isoformat() == "2027-03-31"
    assert bins.collaboration_level == "seeking_partners"
    assert Item.objects.get(title="Parking permits").blog_url == "https://blog.example.org"
    revisions = Revision.objects.count()
    again = pipeline_import(actor=None, content=GOOD.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Revision.objects.count() == revisions


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(council, areas):
    bad = (
        HEADER
        + "Good row,Fine.,,project,HCK,alpha,,,,,,,\n"
        + ","
        + "x" * 281
        + ",,idea,NOPE,gamma,nowhere,,,,2026-13-01,,ftp://x\n"
        + "Ends early,Fine.,,project,HCK,,,,,,2026-05-01,2026-04-01,\n"
        + "Good row,Duplicate.,,project,HCK,,,,,,,,\n"
    )
    with pytest.raises(ImportFailed) as failure:
        pipeline_import(actor=None, content=bad.encode())
    found = {(e.row, e.column) for e in failure.value.errors}
    assert {
        (3, "title"),
        (3, "summary"),
        (3, "organisation"),
        (3, "phase"),
        (3, "service_area"),
        (3, "start"),
        (3, "url"),
        (4, "end"),
        (5, "title"),
    } <= found
    messages = {str(e) for e in failure.value.errors}
    assert "Row 3, column summary: Enter a summary of 280 characters or fewer" in messages
    assert not Item.objects.exists()


def test_a_file_missing_columns_is_refused_at_row_1(db):
    with pytest.raises(ImportFailed) as failure:
        parse_rows(b"title,summary\nA,B\n")
    assert failure.value.errors[0].row == 1
    assert "Add the columns" in failure.value.errors[0].message


def test_a_file_in_another_encoding_is_refused_clearly(db):
    with pytest.raises(ImportFailed, match="CSV UTF-8"):
        parse_rows(HEADER.encode() + "Café,é,,,HCK,,,,,,,,\n".encode("latin-1"))


def test_the_command_exits_non_zero_naming_rows_and_columns(council, tmp_path, capsys):
    path = tmp_path / "items.csv"
    path.write_text(HEADER + "Item,Fine.,,project,NOPE,,,,,,,,\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_pipeline", str(path))
    assert "Row 2, column organisation" in capsys.readouterr().err


def test_export_then_import_changes_nothing(council, other_council, areas, tmp_path):
    other_council.gss_code = "E09000007"
    other_council.save()
    pipeline_import(actor=None, content=GOOD.encode())
    out = tmp_path / "export.csv"
    call_command("export_pipeline", "-o", str(out))
    result = pipeline_import(actor=None, content=out.read_bytes())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
