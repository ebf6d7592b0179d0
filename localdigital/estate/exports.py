"""A council's register as a spreadsheet: one list of columns shared by the template, the export
and the importer, so a file the Hub writes can always be read back unchanged.

Cells hold what a person would type: choice labels ("Software as a service"), dates as
YYYY-MM-DD (real date cells in XLSX), "yes" or "no", the function's and product's names.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from localdigital.estate.models import Function, Hosting, System
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import ServiceArea

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SYSTEMS_SHEET = "Systems"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Column:
    """One spreadsheet column. `kind` says how a cell is read and written: text, function,
    product, supplier, service_area, choice, date, number, satisfaction or boolean."""

    key: str
    header: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("function", "Function", "function", help="Required. What the system is used for."),
    Column(
        "product",
        "Product",
        "product",
        max_length=150,
        help="The product's name as on the Hub's product list. Leave empty for an in-house "
        "or other system and fill in the next-but-one column instead.",
    ),
    Column(
        "supplier",
        "Supplier",
        "supplier",
        max_length=150,
        help="The product's supplier. Optional: it tells apart products with the same name.",
    ),
    Column(
        "other_name",
        "In-house or other system name",
        max_length=150,
        help="For a system that is not on the product list: its name.",
    ),
    Column(
        "service_area",
        "Service area",
        "service_area",
        help="Optional. Empty means the function's usual service area.",
    ),
    Column("version", "Version", max_length=60),
    Column("hosting", "Hosting", "choice", tuple(Hosting.choices)),
    Column("contract_start", "Contract start", "date", help="A date, for example 2024-04-01."),
    Column("contract_end", "Contract end", "date", help="A date, for example 2029-03-31."),
    Column("notice_period_months", "Notice period (months)", "number", help="A whole number."),
    Column("annual_cost_band", "Annual cost band", "choice", tuple(System.CostBand.choices)),
    Column("user_count_band", "User count band", "choice", tuple(System.UserBand.choices)),
    Column("open_apis", "Open APIs", "choice", tuple(System.OpenApis.choices)),
    Column("data_export", "Data export available", "boolean"),
    Column("satisfaction", "Satisfaction (1 to 5)", "satisfaction", help="1 (poor) to 5 (good)."),
    Column("out_of_support", "Out of vendor support", "boolean"),
    Column("unsupported_platform", "Unsupported operating system or database", "boolean"),
    Column("single_person_dependency", "Dependence on one person", "boolean"),
    Column("no_api", "No API", "boolean"),
    Column("heavy_customisation", "Heavy customisation", "boolean"),
    Column("plan", "Plan", "choice", tuple(System.Plan.choices)),
    Column("plan_target_date", "Plan target date", "date", help="A date, for example 2027-03-31."),
    Column("critical", "Critical system", "boolean", help="One of the council's critical systems."),
    Column("notes", "Notes"),
)
HEADERS = tuple(column.header for column in COLUMNS)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
BOOLEAN_HELP = "yes or no (empty means no)."


def _cell(column: Column, system: System) -> Any:
    """A system's value for one column, as the spreadsheet shows it (dates stay dates)."""
    if column.key == "function":
        return system.function.name
    if column.key == "product":
        return system.product.name if system.product else ""
    if column.key == "supplier":
        return system.product.supplier.name if system.product else ""
    if column.key == "service_area":
        return system.service_area.name if system.service_area else ""
    value = getattr(system, column.key)
    if column.kind == "choice":
        return dict(column.choices).get(value, value) if value else ""
    if column.kind == "boolean":
        return YES if value else NO
    if value is None:
        return ""
    return value


def system_cells(system: System) -> list[Any]:
    """One row of the export (function, product, supplier and service area already loaded)."""
    return [_cell(column, system) for column in COLUMNS]


def register_systems(organisation: Organisation) -> QuerySet[System]:
    """A council's systems in register order, with everything the export shows loaded."""
    return (
        System.objects.filter(organisation=organisation)
        .select_related("function", "product__supplier", "service_area")
        .order_by("function__position", "pk")
    )


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[list[Any]]) -> bytes:
    """The header and the rows as CSV in UTF-8 with a byte-order mark (so Excel reads the £)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _allowed_values() -> dict[str, list[str]]:
    """The values each choice-like column accepts, for the instructions and validation lists."""
    values: dict[str, list[str]] = {
        "function": list(Function.objects.order_by("position").values_list("name", flat=True)),
        "service_area": list(
            ServiceArea.objects.order_by("position").values_list("name", flat=True)
        ),
        "satisfaction": ["1", "2", "3", "4", "5"],
    }
    for column in COLUMNS:
        if column.kind == "choice":
            values[column.key] = [label for _, label in column.choices]
        elif column.kind == "boolean":
            values[column.key] = [YES, NO]
    return values


def _instructions(workbook: Workbook, allowed: dict[str, list[str]]) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    sheet.append(["Column", "What to enter", "Allowed values"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "(every row)",
            "One system a row, under the header row of the Systems sheet. Choices accept the "
            "label or its short key, in any case. Dates as YYYY-MM-DD or DD/MM/YYYY.",
            "",
        ]
    )
    for column in COLUMNS:
        help_text = column.help or (BOOLEAN_HELP if column.kind == "boolean" else "")
        if column.kind == "choice" and not help_text:
            help_text = "One of the allowed values, or empty."
        sheet.append([column.header, help_text, "; ".join(allowed.get(column.key, []))])
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 80


def _add_validation_lists(workbook: Workbook, sheet: Any, allowed: dict[str, list[str]]) -> None:
    """Drop-down lists on the Systems sheet, read from a hidden sheet of allowed values."""
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for list_index, (key, values) in enumerate(allowed.items(), start=1):
        letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=key)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_index, value=value)
        name = f"allowed_{key}"
        workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        )
        position = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)
        target = get_column_letter(position)
        validation = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=COLUMNS[position - 1].header,
            error="Choose a value from the list",
        )
        validation.add(f"{target}2:{target}50001")
        sheet.add_data_validation(validation)


def template_xlsx() -> bytes:
    """An empty register to fill in: header row, drop-down lists and an instructions sheet."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = SYSTEMS_SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 2)
        if column.kind == "date":
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    allowed = _allowed_values()
    _instructions(workbook, allowed)
    _add_validation_lists(workbook, sheet, allowed)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(rows: Iterable[list[Any]]) -> bytes:
    """The header and rows as XLSX (written in streaming mode, so a large register stays small
    in memory), dates as real date cells, followed by the instructions sheet."""
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SYSTEMS_SHEET)
    sheet.freeze_panes = "A2"
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    instructions.append(["Column", "What to enter", "Allowed values"])
    allowed = _allowed_values()
    for column in COLUMNS:
        help_text = column.help or (BOOLEAN_HELP if column.kind == "boolean" else "")
        instructions.append([column.header, help_text, "; ".join(allowed.get(column.key, []))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template(file_format: str) -> bytes:
    """The empty template in CSV or XLSX."""
    return template_xlsx() if file_format == XLSX else write_csv([])


def register_rows(organisation: Organisation) -> Iterator[list[Any]]:
    """The council's systems as spreadsheet rows, read in chunks."""
    for system in register_systems(organisation).iterator(chunk_size=2000):
        yield system_cells(system)


def register_file(organisation: Organisation, file_format: str) -> bytes:
    """A council's register in CSV or XLSX, in the template's columns."""
    rows = register_rows(organisation)
    return write_xlsx(rows) if file_format == XLSX else write_csv(rows)
