"""The register export: the template's columns, and a round trip that changes nothing."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.exports import HEADERS, register_file, template
from localdigital.estate.models import System
from localdigital.estate.services.imports import import_apply, import_start, register_export
from localdigital.estate.services.systems import NOT_A_MEMBER
from localdigital.pipeline.models import ServiceArea

FIELDS = [
    "product_id",
    "other_name",
    "function_id",
    "service_area_id",
    "version",
    "hosting",
    "contract_start",
    "contract_end",
    "notice_period_months",
    "annual_cost_band",
    "user_count_band",
    "open_apis",
    "data_export",
    "satisfaction",
    "out_of_support",
    "unsupported_platform",
    "single_person_dependency",
    "no_api",
    "heavy_customisation",
    "plan",
    "plan_target_date",
    "critical",
    "notes",
]


@pytest.fixture
def register(council, other_council, functions, make_product):
    """A register with every column used, an in-house system and a mostly empty one."""
    bartec = make_product("Bartec Collective", supplier="Bartec")
    System.objects.create(
        organisation=council,
        function=functions["waste"],
        product=bartec,
        service_area=functions["waste"].service_area,
        version="10",
        hosting="saas",
        contract_start=dt.date(2024, 4, 1),
        contract_end=dt.date(2029, 3, 31),
        notice_period_months=6,
        annual_cost_band="10k_50k",
        user_count_band="251_1000",
        open_apis="partly",
        data_export=True,
        satisfaction=4,
        out_of_support=True,
        unsupported_platform=True,
        single_person_dependency=True,
        no_api=True,
        heavy_customisation=True,
        plan="replace",
        plan_target_date=dt.date(2028, 3, 31),
        critical=True,
        notes='Costs "£45,000", renewal\non two lines',
    )
    System.objects.create(
        organisation=council,
        function=functions["planning-back-office"],
        other_name="Planning tracker",
        service_area=ServiceArea.objects.exclude(
            pk=functions["planning-back-office"].service_area_id
        ).first(),
        hosting="on_premises",
    )
    System.objects.create(
        organisation=council,
        function=functions["parking"],
        other_name="Permits spreadsheet",
        service_area=functions["parking"].service_area,
    )
    # Another council's system never appears in this council's export.
    System.objects.create(organisation=other_council, function=functions["waste"], product=bartec)
    return council


def snapshot(organisation) -> list[tuple]:
    return list(
        System.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", *FIELDS, "updated_at")
    )


def test_the_csv_export_has_the_templates_columns_and_readable_values(register):
    rows = list(csv.reader(io.StringIO(register_file(register, "csv").decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS
    assert len(rows) == 4
    [waste] = [dict(zip(HEADERS, row, strict=True)) for row in rows[1:] if row[0] == "Waste"]
    assert waste["Function"] == "Waste"
    assert waste["Product"] == "Bartec Collective"
    assert waste["Supplier"] == "Bartec"
    assert waste["Hosting"] == "Software as a service"
    assert waste["Contract end"] == "2029-03-31"
    assert waste["User count band"] == "251 to 1,000"
    assert waste["Critical system"] == "yes"


def test_the_xlsx_export_has_real_date_cells(register):
    workbook = load_workbook(io.BytesIO(register_file(register, "xlsx")))
    sheet = workbook["Systems"]
    assert tuple(c.value for c in sheet[1]) == HEADERS
    [row] = [r for r in range(2, 5) if sheet.cell(row=r, column=1).value == "Waste"]
    end = sheet.cell(row=row, column=HEADERS.index("Contract end") + 1)
    assert end.is_date
    assert end.value.date() == dt.date(2029, 3, 31)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_then_importing_changes_nothing(member, register, file_format):
    before = snapshot(register)
    data = register_file(register, file_format)
    estate_import = import_start(
        actor=member, organisation=register, file_name=f"register.{file_format}", data=data
    )
    assert estate_import.errors == []
    assert estate_import.unknown_products == []
    assert (estate_import.created_count, estate_import.updated_count) == (0, 0)
    import_apply(actor=member, estate_import=estate_import)
    assert snapshot(register) == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_register_imports_into_an_empty_council_as_the_same_systems(
    member, register, other_council, file_format
):
    from localdigital.organisations.tests.factories import MembershipFactory

    MembershipFactory(organisation=other_council, user=member)
    System.objects.filter(organisation=other_council).delete()
    data = register_file(register, file_format)
    estate_import = import_start(
        actor=member, organisation=other_council, file_name=f"r.{file_format}", data=data
    )
    import_apply(actor=member, estate_import=estate_import)

    def values(organisation) -> list[tuple]:
        return sorted((row[1:-1] for row in snapshot(organisation)), key=str)

    assert values(other_council) == values(register)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_empty_template_imports_as_a_file_with_no_systems(member, council, file_format):
    from localdigital.estate.services import imports

    with pytest.raises(ApplicationError) as error:
        import_start(
            actor=member,
            organisation=council,
            file_name=f"template.{file_format}",
            data=template(file_format),
        )
    assert error.value.message == imports.NO_ROWS


def test_the_export_is_for_members_only_and_audited(member, other_admin, register):
    with pytest.raises(ApplicationError) as error:
        register_export(actor=other_admin, organisation=register, file_format="csv")
    assert error.value.message == NOT_A_MEMBER
    register_export(actor=member, organisation=register, file_format="xlsx")
    event = AuditEvent.objects.get(action="estate.register_export")
    assert event.data == {"file_format": "xlsx"}
