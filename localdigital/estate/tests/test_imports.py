"""The register import service: reading CSV and XLSX, checking rows, mapping unknown products,
and applying all or nothing."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.exports import HEADERS
from localdigital.estate.models import (
    CONTRACT_DATES,
    PRODUCT_OR_NAME,
    SATISFACTION_RANGE,
    EstateImport,
    Product,
    Supplier,
    System,
)
from localdigital.estate.services import imports as services
from localdigital.estate.services.imports import (
    IN_HOUSE,
    import_apply,
    import_cancel,
    import_map,
    import_start,
)
from localdigital.estate.services.systems import FUNCTION_REQUIRED, NOT_A_MEMBER


def csv_file(*rows: dict, headers: tuple[str, ...] = HEADERS, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_file(*rows: dict, headers: tuple[str, ...] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Systems"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def products(functions, make_product):
    return {
        "bartec": make_product("Bartec Collective", supplier="Bartec"),
        "uniform": make_product("Uniform", supplier="Idox"),
    }


def start(member, council, data: bytes, name: str = "register.csv") -> EstateImport:
    return import_start(actor=member, organisation=council, file_name=name, data=data)


WASTE = {"Function": "Waste", "Product": "Bartec Collective"}


# Reading files


def test_a_csv_file_is_read_with_labels_keys_dates_and_yes_or_no(member, council, products):
    data = csv_file(
        {
            **WASTE,
            "Hosting": "Software as a service",
            "Contract start": "2024-04-01",
            "Contract end": "31/03/2029",
            "Notice period (months)": "6",
            "Annual cost band": "10k_50k",
            "User count band": "51 TO 250",
            "Open APIs": "partly",
            "Data export available": "Yes",
            "Satisfaction (1 to 5)": "4",
            "No API": "no",
            "Plan": "replace",
            "Plan target date": "2028-03-31",
            "Critical system": "yes",
            "Notes": "Renewal due",
        }
    )
    estate_import = start(member, council, data)
    assert estate_import.errors == []
    assert estate_import.created_count == 1
    import_apply(actor=member, estate_import=estate_import)
    system = System.objects.get(organisation=council)
    assert system.product == products["bartec"]
    assert system.hosting == "saas"
    assert system.contract_start == dt.date(2024, 4, 1)
    assert system.contract_end == dt.date(2029, 3, 31)
    assert system.notice_period_months == 6
    assert system.annual_cost_band == "10k_50k"
    assert system.user_count_band == "51_250"
    assert system.open_apis == "partly"
    assert system.data_export is True
    assert system.satisfaction == 4
    assert system.no_api is False
    assert system.plan == "replace"
    assert system.critical is True
    assert system.notes == "Renewal due"
    assert system.service_area.key == "waste-and-environment"


def test_a_csv_file_with_a_byte_order_mark_is_read(member, council, products):
    estate_import = start(member, council, csv_file(WASTE, bom=True))
    assert estate_import.errors == []
    assert estate_import.created_count == 1


def test_an_xlsx_file_is_read_with_real_date_cells(member, council, products):
    data = xlsx_file(
        {
            **WASTE,
            "Contract start": dt.datetime(2024, 4, 1),  # noqa: DTZ001 - how openpyxl gives date cells
            "Contract end": dt.date(2029, 3, 31),
            "Satisfaction (1 to 5)": 5,
            "Critical system": True,
        },
        {"Function": "planning-back-office", "In-house or other system name": "Planning tracker"},
    )
    estate_import = start(member, council, data, "register.xlsx")
    assert estate_import.file_format == "xlsx"
    assert estate_import.errors == []
    import_apply(actor=member, estate_import=estate_import)
    bartec = System.objects.get(product=products["bartec"])
    assert bartec.contract_start == dt.date(2024, 4, 1)
    assert bartec.contract_end == dt.date(2029, 3, 31)
    assert bartec.satisfaction == 5
    assert bartec.critical is True
    assert System.objects.get(other_name="Planning tracker").function.key == "planning-back-office"


def test_a_file_that_is_not_a_spreadsheet_is_refused(member, council):
    with pytest.raises(ApplicationError) as error:
        start(member, council, b"%PDF-1.4", "register.pdf")
    assert error.value.message == services.FILE_FORMAT
    with pytest.raises(ApplicationError) as error:
        start(member, council, b"not a zip", "register.xlsx")
    assert error.value.message == services.NOT_XLSX
    assert not EstateImport.objects.exists()


def test_a_csv_file_not_in_utf8_is_refused(member, council, functions):
    data = "Function,Notes\nWaste,Cost £5\n".encode("cp1252")
    with pytest.raises(ApplicationError) as error:
        start(member, council, data)
    assert error.value.message == services.NOT_UTF8


def test_a_file_with_an_unknown_column_is_refused(member, council, functions):
    with pytest.raises(ApplicationError) as error:
        start(member, council, b"Function,Colour\nWaste,Red\n")
    assert error.value.message == services.UNKNOWN_COLUMN.format(header="Colour")


def test_a_file_without_a_function_column_is_refused(member, council, functions):
    with pytest.raises(ApplicationError) as error:
        start(member, council, b"Product\nUniform\n")
    assert error.value.message == services.FUNCTION_COLUMN


def test_a_file_with_only_a_header_is_refused(member, council, functions):
    with pytest.raises(ApplicationError) as error:
        start(member, council, csv_file())
    assert error.value.message == services.NO_ROWS


def test_a_file_over_the_size_limit_is_refused(member, council, functions, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    with pytest.raises(ApplicationError) as error:
        start(member, council, csv_file(*[WASTE] * 10))
    assert error.value.message == services.FILE_TOO_BIG


def test_a_file_over_the_row_limit_is_refused(member, council, functions, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 2)
    with pytest.raises(ApplicationError) as error:
        start(member, council, csv_file(*[WASTE] * 3))
    assert error.value.message == services.TOO_MANY_ROWS


def test_someone_outside_the_council_cannot_start_an_import(other_admin, council, functions):
    with pytest.raises(ApplicationError) as error:
        start(other_admin, council, csv_file(WASTE))
    assert error.value.message == NOT_A_MEMBER


# Checking rows: each rule with its row (the header is row 1), column and message


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"Product": "Bartec Collective"}, "Function", FUNCTION_REQUIRED),
        ({**WASTE, "Function": "Bins"}, "Function", services.UNKNOWN_FUNCTION),
        ({"Function": "Waste"}, "Product", PRODUCT_OR_NAME),
        (
            {**WASTE, "Contract start": "2025-04-01", "Contract end": "2025-03-31"},
            "Contract end",
            CONTRACT_DATES,
        ),
        ({**WASTE, "Contract start": "31-03-2025"}, "Contract start", services.DATE),
        ({**WASTE, "Contract end": "2025-02-30"}, "Contract end", services.DATE),
        ({**WASTE, "Satisfaction (1 to 5)": "6"}, "Satisfaction (1 to 5)", SATISFACTION_RANGE),
        ({**WASTE, "Satisfaction (1 to 5)": "good"}, "Satisfaction (1 to 5)", SATISFACTION_RANGE),
        (
            {**WASTE, "Hosting": "Mainframe"},
            "Hosting",
            "Enter On-premises, Private cloud, Public cloud or Software as a service, "
            "or leave it empty",
        ),
        ({**WASTE, "Critical system": "maybe"}, "Critical system", services.BOOLEAN),
        ({**WASTE, "Notice period (months)": "three"}, "Notice period (months)", services.NUMBER),
        ({**WASTE, "Version": "v" * 61}, "Version", services.TOO_LONG.format(limit=60)),
        ({**WASTE, "Service area": "Space"}, "Service area", services.UNKNOWN_SERVICE_AREA),
    ],
)
def test_a_bad_row_is_reported_with_its_row_column_and_message(
    member, council, products, row, column, message
):
    good = {"Function": "Planning back office", "Product": "Uniform"}
    estate_import = start(member, council, csv_file(good, row))
    assert estate_import.errors == [[3, column, message]]
    with pytest.raises(ApplicationError) as error:
        import_apply(actor=member, estate_import=estate_import)
    assert error.value.message == services.NOT_READY
    assert not System.objects.exists()
    assert not AuditEvent.objects.filter(action="estate.import_apply").exists()


def test_blank_lines_are_skipped_but_row_numbers_match_the_spreadsheet(member, council, products):
    data = csv_file(WASTE) + b",,,\n" + b"Waste,,,,,,,,,,,,,,9\n"
    estate_import = start(member, council, data)
    assert [3] not in [e[:1] for e in estate_import.errors]
    assert [4, "Product", PRODUCT_OR_NAME] in estate_import.errors


def test_the_same_function_and_product_twice_names_both_rows(member, council, products):
    estate_import = start(
        member, council, csv_file(WASTE, {"Function": "Waste", "Product": "bartec collective"})
    )
    assert estate_import.errors == [
        [
            3,
            "Product",
            services.DUPLICATE_ROW.format(
                first=2, row=3, name="Bartec Collective", function="Waste"
            ),
        ]
    ]


def test_the_same_in_house_system_twice_names_both_rows(member, council, functions):
    row = {"Function": "Waste", "In-house or other system name": "Bin tracker"}
    estate_import = start(
        member,
        council,
        csv_file(row, {**row, "In-house or other system name": "BIN TRACKER"}),
    )
    assert estate_import.errors[0][:2] == [3, "In-house or other system name"]
    assert "Rows 2 and 3" in estate_import.errors[0][2]


def test_products_match_by_name_or_supplier_and_name_ignoring_case(member, council, products):
    estate_import = start(
        member,
        council,
        csv_file(
            {"Function": "Waste", "Product": "BARTEC COLLECTIVE"},
            {"Function": "Planning back office", "Product": "idox uniform"},
            {"Function": "Planning public access", "Product": "Uniform", "Supplier": "IDOX"},
            {"Function": "Parking", "Product": "Idox Uniform", "Supplier": "Idox"},
        ),
    )
    assert estate_import.errors == []
    assert estate_import.unknown_products == []
    assert estate_import.created_count == 4


def test_a_product_name_two_suppliers_use_needs_the_supplier(member, council, products):
    other = Supplier.objects.create(name="Other", slug="other")
    Product.objects.create(supplier=other, name="Uniform", slug="other-uniform", status="approved")
    estate_import = start(member, council, csv_file({"Function": "Waste", "Product": "Uniform"}))
    assert estate_import.errors == [
        [2, "Supplier", services.AMBIGUOUS_PRODUCT.format(name="Uniform")]
    ]


# Unknown products


def test_an_unknown_product_must_be_mapped_before_importing(member, council, products):
    data = csv_file(
        {"Function": "Waste", "Product": "Binmaster 3000"},
        {"Function": "Parking", "Product": "binmaster 3000"},
    )
    estate_import = start(member, council, data)
    assert estate_import.errors == []
    [unknown] = estate_import.unknown_products
    assert unknown["name"] == "Binmaster 3000"
    assert unknown["rows"] == [2, 3]
    with pytest.raises(ApplicationError) as error:
        import_apply(actor=member, estate_import=estate_import)
    assert error.value.message == services.NOT_READY
    assert not System.objects.exists()


def test_an_unknown_product_mapped_to_a_product_imports_as_that_product(member, council, products):
    estate_import = start(
        member, council, csv_file({"Function": "Waste", "Product": "Binmaster 3000"})
    )
    key = estate_import.unknown_products[0]["key"]
    import_map(actor=member, estate_import=estate_import, answers={key: str(products["bartec"].pk)})
    assert estate_import.created_count == 1
    import_apply(actor=member, estate_import=estate_import)
    system = System.objects.get()
    assert system.product == products["bartec"]
    assert system.other_name == ""


def test_an_unknown_product_marked_in_house_becomes_the_system_name(member, council, products):
    estate_import = start(
        member, council, csv_file({"Function": "Waste", "Product": "Binmaster 3000"})
    )
    key = estate_import.unknown_products[0]["key"]
    import_map(actor=member, estate_import=estate_import, answers={key: IN_HOUSE})
    import_apply(actor=member, estate_import=estate_import)
    system = System.objects.get()
    assert system.product is None
    assert system.other_name == "Binmaster 3000"


def test_a_mapping_to_a_product_not_on_the_list_is_refused(member, council, products, make_product):
    proposed = make_product("Draft", status="proposed")
    estate_import = start(
        member, council, csv_file({"Function": "Waste", "Product": "Binmaster 3000"})
    )
    key = estate_import.unknown_products[0]["key"]
    with pytest.raises(ApplicationError) as error:
        import_map(actor=member, estate_import=estate_import, answers={key: str(proposed.pk)})
    assert error.value.message == services.UNKNOWN_MAPPING


# Applying


def test_applying_writes_every_row_and_one_audit_event(member, council, products):
    rows = [
        {"Function": "Waste", "In-house or other system name": f"Tracker {n}"} for n in range(30)
    ]
    estate_import = start(member, council, csv_file(*rows))
    import_apply(actor=member, estate_import=estate_import)
    assert System.objects.filter(organisation=council).count() == 30
    estate_import.refresh_from_db()
    assert estate_import.status == EstateImport.Status.APPLIED
    assert estate_import.created_count == 30
    assert estate_import.applied_at is not None
    [event] = AuditEvent.objects.filter(action="estate.import_apply")
    assert event.data["created"] == 30
    assert event.data["updated"] == 0


def test_reimporting_updates_matching_systems_instead_of_duplicating(member, council, products):
    first = start(
        member,
        council,
        csv_file(
            {**WASTE, "Satisfaction (1 to 5)": "2"},
            {"Function": "Waste", "In-house or other system name": "Bin tracker"},
        ),
    )
    import_apply(actor=member, estate_import=first)
    again = start(
        member,
        council,
        csv_file(
            {"Function": "waste", "Product": "bartec collective", "Satisfaction (1 to 5)": "4"},
            {"Function": "Waste", "In-house or other system name": "BIN TRACKER", "Notes": "x"},
            {"Function": "Parking", "Product": "Uniform"},
        ),
    )
    assert (again.created_count, again.updated_count) == (1, 2)
    import_apply(actor=member, estate_import=again)
    assert System.objects.filter(organisation=council).count() == 3
    assert System.objects.get(product=products["bartec"]).satisfaction == 4
    assert System.objects.get(other_name__iexact="bin tracker").notes == "x"


def test_a_row_that_changes_nothing_is_not_counted_as_updated(member, council, products):
    data = csv_file({**WASTE, "Hosting": "saas"})
    import_apply(actor=member, estate_import=start(member, council, data))
    again = start(member, council, data)
    assert (again.created_count, again.updated_count) == (0, 0)


def test_another_councils_systems_are_never_matched(member, council, other_council, products):
    System.objects.create(
        organisation=other_council,
        function=products["bartec"].functions.model.objects.get(key="waste"),
        product=products["bartec"],
    )
    estate_import = start(member, council, csv_file(WASTE))
    assert (estate_import.created_count, estate_import.updated_count) == (1, 0)


def test_an_applied_or_cancelled_import_cannot_be_applied_again(member, council, products):
    applied = start(member, council, csv_file(WASTE))
    import_apply(actor=member, estate_import=applied)
    with pytest.raises(ApplicationError) as error:
        import_apply(actor=member, estate_import=applied)
    assert error.value.message == services.NOT_IN_PREVIEW.format(status="applied")
    cancelled = start(member, council, csv_file(WASTE))
    import_cancel(actor=member, estate_import=cancelled)
    with pytest.raises(ApplicationError):
        import_apply(actor=member, estate_import=cancelled)
    assert System.objects.count() == 1


def test_a_product_rejected_after_the_preview_stops_the_apply(member, council, products):
    estate_import = start(member, council, csv_file(WASTE))
    products["bartec"].status = "rejected"
    products["bartec"].save()
    with pytest.raises(ApplicationError):
        import_apply(actor=member, estate_import=estate_import)
    assert not System.objects.exists()
    estate_import.refresh_from_db()
    assert estate_import.unknown_products[0]["name"] == "Bartec Collective"
