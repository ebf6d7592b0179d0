"""`manage.py import_estate`: the same service from the command line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from localdigital.audit.models import AuditEvent
from localdigital.estate.exports import HEADERS
from localdigital.estate.models import CONTRACT_DATES, EstateImport, System


def write_csv(path, *rows: dict):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def bartec(functions, make_product):
    return make_product("Bartec Collective", supplier="Bartec")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_estate", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_the_counts_printed(tmp_path, council, bartec):
    path = write_csv(
        tmp_path / "register.csv",
        {"Function": "Waste", "Product": "Bartec Collective"},
        {"Function": "Parking", "In-house or other system name": "Permits"},
    )
    out, err = run(path, "--organisation", council.code)
    assert out.strip() == f"{path}: imported into HCK: 2 systems added, 0 changed, 0 unchanged"
    assert err == ""
    assert System.objects.filter(organisation=council).count() == 2
    assert AuditEvent.objects.filter(action="estate.import_apply").count() == 1
    out, _ = run(path, "--organisation", council.code)
    assert "0 systems added, 0 changed, 2 unchanged" in out


def test_every_error_is_printed_with_file_row_and_column_and_nothing_is_written(
    tmp_path, council, bartec
):
    path = write_csv(
        tmp_path / "register.csv",
        {"Function": "Waste", "Product": "Bartec Collective"},
        {"Function": "Parking"},
        {
            "Function": "Waste",
            "In-house or other system name": "Bins",
            "Contract start": "2025-01-01",
            "Contract end": "2024-01-01",
        },
    )
    with pytest.raises(CommandError) as error:
        run(path, "--organisation", council.code)
    assert "2 problems, so nothing was imported" in str(error.value)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_estate", str(path), "--organisation", "HCK", stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}:row 3: Product: Choose a product or enter the name of the in-house or other "
        "system",
        f"{path}:row 4: Contract end: {CONTRACT_DATES}",
    ]
    assert not System.objects.exists()
    assert not EstateImport.objects.exists()


def test_an_unknown_product_is_listed_with_how_to_map_it(tmp_path, council, bartec):
    path = write_csv(tmp_path / "register.csv", {"Function": "Waste", "Product": "Binmaster"})
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_estate", str(path), "--organisation", "HCK", stderr=err)
    assert '--map "Binmaster=product-slug"' in err.getvalue()
    assert '--in-house "Binmaster"' in err.getvalue()
    assert not System.objects.exists()


def test_unknown_products_are_mapped_from_the_command_line(tmp_path, council, bartec):
    path = write_csv(
        tmp_path / "register.csv",
        {"Function": "Waste", "Product": "Binmaster"},
        {"Function": "Parking", "Product": "Permit Pro"},
    )
    run(
        path,
        "--organisation",
        "HCK",
        "--map",
        f"binmaster={bartec.slug}",
        "--in-house",
        "Permit Pro",
    )
    assert System.objects.get(function__key="waste").product == bartec
    assert System.objects.get(function__key="parking").other_name == "Permit Pro"


def test_a_dry_run_checks_the_file_and_writes_nothing(tmp_path, council, bartec):
    path = write_csv(tmp_path / "r.csv", {"Function": "Waste", "Product": "Bartec Collective"})
    out, _ = run(path, "--organisation", "HCK", "--dry-run")
    assert "would add 1 systems" in out
    assert not System.objects.exists()
    assert not EstateImport.objects.exists()


def test_an_unknown_council_or_unreadable_file_is_a_clear_error(tmp_path, council, functions):
    with pytest.raises(CommandError, match="no council with the code XYZ"):
        run(tmp_path / "r.csv", "--organisation", "XYZ")
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "missing.csv", "--organisation", "HCK")
    bad = tmp_path / "bad.csv"
    bad.write_text("Function,Colour\nWaste,Red\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colour"):
        run(bad, "--organisation", "HCK")


def test_a_map_to_a_product_that_is_not_on_the_list_is_refused(tmp_path, council, bartec):
    path = write_csv(tmp_path / "r.csv", {"Function": "Waste", "Product": "Binmaster"})
    with pytest.raises(CommandError, match="no approved product has the slug nope"):
        run(path, "--organisation", "HCK", "--map", "Binmaster=nope")


def test_the_command_exits_non_zero_on_problems(tmp_path, council, functions):
    path = write_csv(tmp_path / "r.csv", {"Function": "Nowhere"})
    # Run through manage.py, a CommandError ends the process with its returncode.
    with pytest.raises(CommandError) as error:
        run(path, "--organisation", "HCK")
    assert error.value.returncode == 1
