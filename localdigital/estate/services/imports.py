"""Importing a council's register from a spreadsheet, and exporting it.

An upload is parsed and checked row by row against the same rules as services/systems.py, and
kept as an EstateImport in preview: nothing reaches the register until the person has seen the
errors, mapped every product the Hub does not know, and applied it. Applying re-checks the rows
and writes them all in one transaction, or nothing.

Speed matters (a 50,000-row file must import at 5,000 rows a second or more on SQLite), so the
reference data and the council's existing systems are loaded once per check, rows are written
with bulk_create / bulk_update, and one audit event records the whole import.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.exports import (
    COLUMNS,
    CSV,
    FORMATS,
    SYSTEMS_SHEET,
    XLSX,
    Column,
    register_file,
)
from localdigital.estate.models import (
    CONTRACT_DATES,
    PRODUCT_OR_NAME,
    SATISFACTION_RANGE,
    EstateImport,
    Function,
    Product,
    System,
)
from localdigital.estate.services.systems import FUNCTION_REQUIRED, NOT_A_MEMBER
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import ServiceArea

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
BATCH_SIZE = 5000
# What the preview keeps of each unknown product's rows: enough to find them in the file.
ROWS_KEPT_PER_PRODUCT = 20
IN_HOUSE = "in-house"

# File-level problems, shown on the upload form; nothing is kept.
FILE_REQUIRED = "Choose a CSV or XLSX file"
FILE_FORMAT = "The file must be a CSV or XLSX file"
FILE_TOO_BIG = "The file must be smaller than 20 MB"
TOO_MANY_ROWS = "The file must have 50,000 systems or fewer: split it into smaller files"
NOT_UTF8 = "The CSV file must be saved as UTF-8 (in Excel, save it as CSV UTF-8)"
NOT_XLSX = "The file could not be read as an XLSX spreadsheet"
NO_HEADER = "The file is empty: the first row must have the template's column names"
NO_ROWS = "The file has no systems under its header row"
UNKNOWN_COLUMN = 'The file has a column "{header}" that is not in the template: remove or rename it'
REPEATED_COLUMN = 'The file has the column "{header}" more than once'
FUNCTION_COLUMN = "The file must have a Function column"

# Row problems, listed in the preview as (row, column, message).
UNKNOWN_FUNCTION = "Enter a function from the instructions sheet, for example Waste"
UNKNOWN_SERVICE_AREA = "Enter a service area from the instructions sheet, or leave it empty"
AMBIGUOUS_PRODUCT = "More than one supplier has a product called {name}: enter the supplier"
CHOICE = "Enter {choices}, or leave it empty"
DATE = "Enter a date as YYYY-MM-DD or DD/MM/YYYY, for example 2027-03-31"
BOOLEAN = "Enter yes or no"
NUMBER = "Enter a whole number of months"
TOO_LONG = "Enter {limit} characters or fewer"
DUPLICATE_ROW = "Rows {first} and {row} are both {name} for {function}: keep one of them"

# Steps taken at the wrong time.
NOT_IN_PREVIEW = "This import has already been {status}"
NOT_READY = "Fix the errors and map every unknown product before importing"
UNKNOWN_MAPPING = "Choose a product from the list or in-house or other system"

DATE_COLUMNS = frozenset(c.key for c in COLUMNS if c.kind == "date")


@dataclass
class ParsedFile:
    """A file's rows as text cells in COLUMNS order: None for a column the file lacks."""

    rows: list[list[Any]]
    present: set[str]


# Reading files


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_map(header: list[str]) -> list[int | None]:
    """For each file column, its index in COLUMNS (by header or key, in any case)."""
    lookup = {}
    for index, column in enumerate(COLUMNS):
        lookup[column.header.lower()] = index
        lookup[column.key.lower()] = index
    positions: list[int | None] = []
    seen: set[int] = set()
    for text in header:
        name = " ".join(text.split())
        if not name:
            positions.append(None)
            continue
        found = lookup.get(name.lower())
        if found is None:
            raise ApplicationError(UNKNOWN_COLUMN.format(header=name), field="file")
        if found in seen:
            raise ApplicationError(REPEATED_COLUMN.format(header=name), field="file")
        seen.add(found)
        positions.append(found)
    if 0 not in seen:
        raise ApplicationError(FUNCTION_COLUMN, field="file")
    return positions


def _collect(lines: Iterator[list[str]]) -> ParsedFile:
    """Rows of text cells (the first being the header) into a ParsedFile; empty rows skipped."""
    header = next(lines, None)
    if header is None or not any(header):
        raise ApplicationError(NO_HEADER, field="file")
    positions = _header_map(header)
    present = {COLUMNS[i].key for i in positions if i is not None}
    width = len(COLUMNS)
    template: list[Any] = [None] * (width + 1)
    for index in positions:
        if index is not None:
            template[index + 1] = ""
    pairs = [(n, i + 1) for n, i in enumerate(positions) if i is not None]
    # A file in the template's own columns (as the Hub writes it) is copied row by row.
    in_order = positions == list(range(width))
    rows: list[list[Any]] = []
    for number, cells in enumerate(lines, start=2):
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ApplicationError(TOO_MANY_ROWS, field="file")
        length = len(cells)
        if in_order and length == width:
            row = [number, *cells]
        else:
            row = template.copy()
            row[0] = number
            for source, target in pairs:
                if source < length:
                    row[target] = cells[source]
        rows.append(row)
    if not rows:
        raise ApplicationError(NO_ROWS, field="file")
    return ParsedFile(rows=rows, present=present)


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(NOT_UTF8, field="file") from None
    for cells in csv.reader(io.StringIO(text, newline="")):
        yield [cell.strip() for cell in cells]


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ApplicationError(NOT_XLSX, field="file") from None
    try:
        names = workbook.sheetnames
        sheet = workbook[SYSTEMS_SHEET] if SYSTEMS_SHEET in names else workbook[names[0]]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def file_format_for(file_name: str, data: bytes) -> str:
    """csv or xlsx, from the file's name (an XLSX file is also a zip archive)."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix == XLSX or (not suffix and data[:4] == b"PK\x03\x04"):
        return XLSX
    if suffix in (CSV, "txt", ""):
        return CSV
    raise ApplicationError(FILE_FORMAT, field="file")


def parse_file(data: bytes, file_format: str) -> ParsedFile:
    """Read a CSV (UTF-8, with or without a byte-order mark) or XLSX file into text cells."""
    if not data:
        raise ApplicationError(NO_HEADER, field="file")
    if len(data) > MAX_BYTES:
        raise ApplicationError(FILE_TOO_BIG, field="file")
    if file_format not in FORMATS:
        raise ApplicationError(FILE_FORMAT, field="file")
    lines = _xlsx_lines(data) if file_format == XLSX else _csv_lines(data)
    return _collect(lines)


# Checking rows


def _unknown_key(name: str, supplier: str) -> str:
    return f"{name.lower()}|{supplier.lower()}"


def _parse_date(text: str) -> dt.date:
    if "/" in text:
        day, month, year = text.split("/")
        if len(year) != 4:
            raise ValueError(text)
        return dt.date(int(year), int(month), int(day))
    if len(text) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _choice_text(labels: list[str]) -> str:
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]


@dataclass
class Lookups:
    """Everything a check needs, loaded once: functions, service areas, approved products and
    the council's existing systems."""

    functions: dict[str, Function]
    service_areas: dict[str, ServiceArea]
    products_by_name: dict[str, list[Product]]
    products_by_supplier: dict[tuple[str, str], Product]
    products_by_pk: dict[int, Product]
    systems_by_product: dict[tuple[int, int], System]
    systems_by_name: dict[tuple[int, str], System]

    @classmethod
    def load(cls, organisation: Organisation) -> "Lookups":
        functions: dict[str, Function] = {}
        for function in Function.objects.select_related("service_area"):
            functions[function.name.lower()] = function
            functions[function.key.lower()] = function
        service_areas: dict[str, ServiceArea] = {}
        for area in ServiceArea.objects.all():
            service_areas[area.name.lower()] = area
            service_areas[area.key.lower()] = area
        by_name: dict[str, list[Product]] = {}
        by_supplier: dict[tuple[str, str], Product] = {}
        by_pk: dict[int, Product] = {}
        products = Product.objects.filter(status=Product.Status.APPROVED).select_related("supplier")
        for product in products:
            by_name.setdefault(product.name.lower(), []).append(product)
            by_supplier[(product.supplier.name.lower(), product.name.lower())] = product
            by_pk[product.pk] = product
        # "Supplier Product" in the product column names a product too, unless it clashes.
        for (supplier, name), product in by_supplier.items():
            full = f"{supplier} {name}"
            if full not in by_name:
                by_name[full] = [product]
        systems_by_product: dict[tuple[int, int], System] = {}
        systems_by_name: dict[tuple[int, str], System] = {}
        for system in System.objects.filter(organisation=organisation).order_by("pk"):
            if system.product_id is not None:
                systems_by_product[(system.function_id, system.product_id)] = system
            elif system.other_name:
                systems_by_name.setdefault((system.function_id, system.other_name.lower()), system)
        return cls(
            functions=functions,
            service_areas=service_areas,
            products_by_name=by_name,
            products_by_supplier=by_supplier,
            products_by_pk=by_pk,
            systems_by_product=systems_by_product,
            systems_by_name=systems_by_name,
        )


@dataclass
class Check:
    """The outcome of checking every row."""

    errors: list[list[Any]] = field(default_factory=list)
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[System, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def unmapped(self) -> list[dict[str, Any]]:
        return [u for u in self.unknown.values() if not u["product"] and not u["in_house"]]

    @property
    def ready(self) -> bool:
        return not self.errors and not self.unmapped


HEADER = {column.key: column.header for column in COLUMNS}
_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


def _column_order(error: list[Any]) -> int:
    """Errors in a row are listed in the order of the file's columns."""
    return _ORDER[error[1]]


# Columns read by the generic loop (function, product, supplier and service area are special).
_SIMPLE = [
    (index + 1, column)
    for index, column in enumerate(COLUMNS)
    if column.kind not in ("function", "product", "supplier", "service_area")
]
_FUNCTION = 1
_PRODUCT = 1 + next(i for i, c in enumerate(COLUMNS) if c.key == "product")
_SUPPLIER = 1 + next(i for i, c in enumerate(COLUMNS) if c.key == "supplier")
_AREA = 1 + next(i for i, c in enumerate(COLUMNS) if c.key == "service_area")
_BOOLEANS = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
# A blank cell's value, by kind: nothing to parse.
_BLANK = {"boolean": False, "choice": "", "date": None, "number": None, "satisfaction": None}


def _choice_parser(column: Column) -> Callable[[str], Any]:
    mapping = {}
    for key, label in column.choices:
        mapping[key.lower()] = key
        mapping[label.lower()] = key
    message = CHOICE.format(choices=_choice_text([label for _, label in column.choices]))

    def parse(text: str) -> str:
        key = mapping.get(text.lower())
        if key is None:
            raise ValueError(message)
        return key

    return parse


def _boolean(text: str) -> bool:
    value = _BOOLEANS.get(text.lower())
    if value is None:
        raise ValueError(BOOLEAN)
    return value


def _date(text: str) -> dt.date:
    try:
        return _parse_date(text)
    except ValueError:
        raise ValueError(DATE) from None


def _number(text: str) -> int:
    if not text.isdigit() or int(text) > 32767:
        raise ValueError(NUMBER)
    return int(text)


def _satisfaction(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValueError(SATISFACTION_RANGE)
    return int(text)


def _parser(column: Column) -> Callable[[str], Any]:
    """A cell's parser: returns the model's value or raises ValueError with the message."""
    if column.kind == "choice":
        return _choice_parser(column)
    parsers: dict[str, Callable[[str], Any]] = {
        "boolean": _boolean,
        "date": _date,
        "number": _number,
        "satisfaction": _satisfaction,
    }
    return parsers[column.kind]


# Free text: (position in a stored row, field, header, longest allowed, message).
_TEXTS = [
    (position, c.key, c.header, c.max_length or 0, TOO_LONG.format(limit=c.max_length))
    for position, c in _SIMPLE
    if c.kind == "text"
]
# Everything else: (position, field, header, blank value, parser). The same few values repeat
# down a column (yes, no, a band, a date), so each check keeps what it has parsed per column.
_PARSERS = [
    (position, c.key, c.header, _BLANK[c.kind], _parser(c))
    for position, c in _SIMPLE
    if c.kind != "text"
]
_MISSING = object()


def _differs(system: System, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        if name in ("product", "function", "service_area"):
            current = getattr(system, f"{name}_id")
            if current != (value.pk if value is not None else None):
                return True
        elif getattr(system, name) != value:
            return True
    return False


def _resolve_unknown(
    result: "Check",
    mappings: dict[str, dict[str, Any]],
    lookups: Lookups,
    number: int,
    product_text: str,
    supplier_text: str,
    values: dict[str, Any],
) -> tuple[Product | None, bool]:
    """Note a product the Hub does not know; apply the person's answer for it, if any.
    Returns the product it is mapped to and whether it is still waiting for an answer."""
    key = _unknown_key(product_text, supplier_text)
    entry = result.unknown.get(key)
    if entry is None:
        answer = mappings.get(key, {})
        mapped = lookups.products_by_pk.get(answer.get("product") or 0)
        entry = {
            "key": key,
            "name": product_text,
            "supplier": supplier_text,
            "rows": [],
            "count": 0,
            "product": mapped.pk if mapped else None,
            "in_house": bool(answer.get("in_house")) and mapped is None,
        }
        result.unknown[key] = entry
    entry["count"] += 1
    if len(entry["rows"]) < ROWS_KEPT_PER_PRODUCT:
        entry["rows"].append(number)
    if entry["product"]:
        return lookups.products_by_pk[entry["product"]], False
    if entry["in_house"]:
        if not values.get("other_name"):
            values["other_name"] = product_text[:150]
        return None, False
    return None, True


def _parse_cells(
    row: list[Any], parsers: list[tuple[int, str, str, Callable[[str], Any], dict]], errors: list
) -> dict[str, Any]:
    """A row's values, parsing the cells not seen before in their column (and keeping them)."""
    values: dict[str, Any] = {}
    for position, key, header, parse, cache in parsers:
        text = row[position]
        value = cache.get(text, _MISSING)
        if value is _MISSING:
            try:
                value = cache[text] = parse(text)
            except ValueError as error:
                errors.append([row[0], header, str(error)])
                continue
        values[key] = value
    return values


def check_rows(
    organisation: Organisation,
    rows: Iterable[list[Any]],
    mappings: dict[str, dict[str, Any]] | None = None,
    lookups: Lookups | None = None,
) -> Check:
    """Check every row; `mappings` (by unknown-product key) carry the person's answers for
    products the Hub does not know. Returns the errors, the unknown products and the writes."""
    lookups = lookups or Lookups.load(organisation)
    mappings = mappings or {}
    result = Check()
    errors = result.errors
    seen: dict[tuple[int, str, Any], int] = {}
    functions, areas = lookups.functions, lookups.service_areas
    rows = rows if isinstance(rows, list) else list(rows)
    # Every row has the same columns (None marks one the file lacks), so look at the first.
    first_row = rows[0] if rows else [None] * (len(COLUMNS) + 1)
    texts = [entry for entry in _TEXTS if first_row[entry[0]] is not None]
    parsers = [
        (position, key, header, parse, {"": blank})
        for position, key, header, blank, parse in _PARSERS
        if first_row[position] is not None
    ]
    fast = [(position, key, cache) for position, key, _, _, cache in parsers]
    for row in rows:
        number = row[0]
        row_errors: list[list[Any]] = []
        values: dict[str, Any]
        try:
            # Nearly every cell is a value already seen in its column.
            values = {key: cache[row[position]] for position, key, cache in fast}
        except KeyError:
            values = _parse_cells(row, parsers, row_errors)
        for position, key, header, limit, message in texts:
            text = row[position]
            if limit and len(text) > limit:
                row_errors.append([number, header, message])
            else:
                values[key] = text
        # Function
        function_text = row[_FUNCTION]
        function = None
        if not function_text:
            row_errors.insert(0, [number, HEADER["function"], FUNCTION_REQUIRED])
        else:
            function = functions.get(function_text.lower())
            if function is None:
                row_errors.insert(0, [number, HEADER["function"], UNKNOWN_FUNCTION])
        values["function"] = function
        # Service area
        area_text = row[_AREA]
        if area_text is not None:
            if area_text:
                area = areas.get(area_text.lower())
                if area is None:
                    row_errors.append([number, HEADER["service_area"], UNKNOWN_SERVICE_AREA])
                values["service_area"] = area
            elif function is not None:
                # An empty cell means the function's usual service area, as when adding one.
                values["service_area"] = function.service_area
            else:
                values["service_area"] = None
        # Product, or an in-house or other system
        product_text = row[_PRODUCT] or ""
        supplier_text = row[_SUPPLIER] or ""
        product = None
        unresolved = ambiguous = False
        if product_text:
            if supplier_text:
                supplier_key = supplier_text.lower()
                product = lookups.products_by_supplier.get((supplier_key, product_text.lower()))
                if product is None:
                    # "Idox" and "Idox Uniform": the product column already names the supplier.
                    named = lookups.products_by_name.get(product_text.lower(), [])
                    same = [p for p in named if p.supplier.name.lower() == supplier_key]
                    product = same[0] if len(same) == 1 else None
            else:
                candidates = lookups.products_by_name.get(product_text.lower(), [])
                if len(candidates) > 1:
                    ambiguous = True
                    message = AMBIGUOUS_PRODUCT.format(name=candidates[0].name)
                    row_errors.append([number, HEADER["supplier"], message])
                elif candidates:
                    product = candidates[0]
            if product is None and not ambiguous:
                product, unresolved = _resolve_unknown(
                    result, mappings, lookups, number, product_text, supplier_text, values
                )
        values["product"] = product
        if product is None and not unresolved and not ambiguous and not values.get("other_name"):
            row_errors.append([number, HEADER["product"], PRODUCT_OR_NAME])
        start, end = values.get("contract_start"), values.get("contract_end")
        if start is not None and end is not None and end < start:
            row_errors.append([number, HEADER["contract_end"], CONTRACT_DATES])
        if row_errors:
            row_errors.sort(key=_column_order)
            errors.extend(row_errors)
            continue
        if unresolved or function is None:
            continue
        # Which system the row is: the same function and product, or the same in-house name.
        if product is not None:
            match_key: tuple[int, str, Any] = (function.pk, "p", product.pk)
            existing = lookups.systems_by_product.get((function.pk, product.pk))
            name = product.name
        else:
            other = values["other_name"]
            match_key = (function.pk, "n", other.lower())
            existing = lookups.systems_by_name.get((function.pk, other.lower()))
            name = other
        first = seen.get(match_key)
        if first is not None:
            header = HEADER["product"] if product is not None else HEADER["other_name"]
            errors.append(
                [
                    number,
                    header,
                    DUPLICATE_ROW.format(first=first, row=number, name=name, function=function),
                ]
            )
            continue
        seen[match_key] = number
        if existing is None:
            result.creates.append(values)
        elif _differs(existing, values):
            result.updates.append((existing, values))
        else:
            result.unchanged += 1
    return result


def _mappings(estate_import: EstateImport) -> dict[str, dict[str, Any]]:
    return {entry["key"]: entry for entry in estate_import.unknown_products}


_CHECK_FIELDS = ["errors", "unknown_products", "created_count", "updated_count", "updated_at"]


def _store_check(estate_import: EstateImport, result: Check) -> None:
    estate_import.errors = result.errors
    estate_import.unknown_products = list(result.unknown.values())
    # While in preview, the counts are what applying would do.
    estate_import.created_count = len(result.creates)
    estate_import.updated_count = len(result.updates)


def _require_member(actor: Any, organisation: Organisation) -> None:
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER)


def _require_preview(estate_import: EstateImport) -> None:
    if estate_import.status != EstateImport.Status.PREVIEW:
        raise ApplicationError(
            NOT_IN_PREVIEW.format(status=estate_import.get_status_display().lower())
        )


# Services


def import_start(
    *, actor: Any, organisation: Organisation, file_name: str, data: bytes
) -> EstateImport:
    """Read and check an uploaded register; keep it in preview. Nothing reaches the register.

    A file that cannot be read at all (wrong format, too big, unknown columns) raises
    ApplicationError; problems in rows are kept on the import as (row, column, message)."""
    _require_member(actor, organisation)
    if not data:
        raise ApplicationError(FILE_REQUIRED, field="file")
    file_format = file_format_for(file_name, data)
    parsed = parse_file(data, file_format)
    result = check_rows(organisation, parsed.rows)
    estate_import = EstateImport(
        organisation=organisation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:255],
        file_format=file_format,
        rows=parsed.rows,
    )
    _store_check(estate_import, result)
    estate_import.save()
    return estate_import


@transaction.atomic
def import_map(*, actor: Any, estate_import: EstateImport, answers: dict[str, str]) -> EstateImport:
    """Record the person's answer for unknown products (by key: a product's pk, or IN_HOUSE)
    and check the rows again."""
    _require_member(actor, estate_import.organisation)
    _lock(estate_import)
    _require_preview(estate_import)
    lookups = Lookups.load(estate_import.organisation)
    mappings = _mappings(estate_import)
    for key, answer in answers.items():
        if key not in mappings:
            continue
        entry = mappings[key]
        if answer == IN_HOUSE:
            entry["product"], entry["in_house"] = None, True
        elif answer.isdigit() and int(answer) in lookups.products_by_pk:
            entry["product"], entry["in_house"] = int(answer), False
        elif answer:
            raise ApplicationError(UNKNOWN_MAPPING, field=key)
        else:
            entry["product"], entry["in_house"] = None, False
    result = check_rows(estate_import.organisation, estate_import.rows, mappings, lookups)
    _store_check(estate_import, result)
    estate_import.save(update_fields=_CHECK_FIELDS)
    return estate_import


def _insert(organisation: Organisation, creates: list[dict[str, Any]]) -> None:
    """Add the new systems with one prepared INSERT run over every row.

    bulk_create spends most of its time preparing each of the ~28 values of each row through
    the field API; a 50,000-row import could not reach 5,000 rows a second that way on SQLite.
    Every value here has already been checked against the model's rules, the database's
    constraints still apply, and the statement is built from the model's own fields."""
    fields = [f for f in System._meta.concrete_fields if not f.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    template: list[Any] = []
    for f in fields:
        if f.name in ("created_at", "updated_at"):
            template.append(now)
        elif f.name == "organisation":
            template.append(organisation.pk)
        else:
            template.append(f.get_db_prep_save(f.get_default(), connection))
    index = {f.name: i for i, f in enumerate(fields)}
    adapt_date = connection.ops.adapt_datefield_value
    converters: dict[str, tuple[int, Callable[[Any], Any] | None]] = {}
    for name, at in index.items():
        if name in DATE_COLUMNS:
            converters[name] = (at, adapt_date)
        elif name in ("function", "product", "service_area"):
            converters[name] = (at, _pk)
        else:
            converters[name] = (at, None)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(System._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    area_at = index["service_area"]
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for values in creates:
            row = template.copy()
            for name, value in values.items():
                at, convert = converters[name]
                row[at] = value if convert is None or value is None else convert(value)
            if row[area_at] is None:
                row[area_at] = values["function"].service_area_id
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _pk(instance: Any) -> Any:
    return instance.pk


def _write(organisation: Organisation, result: Check) -> None:
    if result.creates:
        _insert(organisation, result.creates)
    changed: list[System] = []
    fields: set[str] = set()
    now = timezone.now()
    for system, values in result.updates:
        for name, value in values.items():
            setattr(system, name, value)
        fields.update(values)
        system.updated_at = now
        changed.append(system)
    if changed:
        System.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=200)


def _lock(estate_import: EstateImport) -> None:
    """Lock the import's row and refresh its status and answers (not its rows, which never
    change after upload and are large)."""
    status, unknown = (
        EstateImport.objects.select_for_update()
        .filter(pk=estate_import.pk)
        .values_list("status", "unknown_products")
        .get()
    )
    estate_import.status, estate_import.unknown_products = status, unknown


def import_apply(*, actor: Any, estate_import: EstateImport) -> EstateImport:
    """Write every row of a checked import to the register in one transaction, or nothing.

    Rows matching a system (same function and product; for in-house systems the same function
    and name, ignoring case) update it; the rest are added. The rows are checked again first,
    since products and the register may have changed since the preview. One audit event
    records the counts.
    """
    organisation = estate_import.organisation
    _require_member(actor, organisation)
    with transaction.atomic():
        _lock(estate_import)
        _require_preview(estate_import)
        result = check_rows(organisation, estate_import.rows, _mappings(estate_import))
        if not result.ready:
            _store_check(estate_import, result)
            estate_import.save(update_fields=_CHECK_FIELDS)
        else:
            _write(organisation, result)
            estate_import.status = EstateImport.Status.APPLIED
            estate_import.applied_at = timezone.now()
            estate_import.created_count = len(result.creates)
            estate_import.updated_count = len(result.updates)
            estate_import.save(
                update_fields=[
                    "status",
                    "applied_at",
                    "created_count",
                    "updated_count",
                    "updated_at",
                ]
            )
            event_log(
                actor=actor,
                action="estate.import_apply",
                summary=(
                    f"Imported {estate_import.file_name}: {estate_import.created_count} added, "
                    f"{estate_import.updated_count} changed, {result.unchanged} unchanged"
                ),
                obj=estate_import,
                organisation=organisation,
                data={
                    "rows": len(estate_import.rows),
                    "created": estate_import.created_count,
                    "updated": estate_import.updated_count,
                    "unchanged": result.unchanged,
                    "file_format": estate_import.file_format,
                },
            )
    if not result.ready:
        raise ApplicationError(NOT_READY)
    return estate_import


@transaction.atomic
def import_cancel(*, actor: Any, estate_import: EstateImport) -> EstateImport:
    """Drop an import in preview: it can no longer be applied."""
    _require_member(actor, estate_import.organisation)
    _lock(estate_import)
    _require_preview(estate_import)
    estate_import.status = EstateImport.Status.CANCELLED
    estate_import.save(update_fields=["status", "updated_at"])
    return estate_import


def register_export(*, actor: Any, organisation: Organisation, file_format: str) -> bytes:
    """A council's register as CSV or XLSX for one of its members; the export is audited,
    since it carries costs and notes."""
    _require_member(actor, organisation)
    if file_format not in FORMATS:
        raise ApplicationError(FILE_FORMAT)
    content = register_file(organisation, file_format)
    event_log(
        actor=actor,
        action="estate.register_export",
        summary=f"Downloaded the register as {file_format.upper()}",
        obj=organisation,
        organisation=organisation,
        data={"file_format": file_format},
    )
    return content
