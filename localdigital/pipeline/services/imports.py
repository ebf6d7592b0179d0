"""Bulk import of Pipeline items from CSV (`manage.py import_pipeline FILE.csv`).

The whole file is checked before anything is written: every problem is reported with its row
(as a spreadsheet numbers it: the header is row 1) and column, and a file with any problem writes
nothing. Valid rows create or update items keyed by lead organisation and title, through the same
services as the pages (so revisions, freshness and matching all happen); re-importing the same
file changes nothing. The columns are in `pipeline/exports.py` and docs/pipeline.md.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.organisations.selectors import organisation_lookup
from localdigital.pipeline.exports import COLUMNS
from localdigital.pipeline.models import Item, ServiceArea
from localdigital.pipeline.services import items as item_services

REQUIRED = ("title", "summary", "organisation")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, column {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _choice(value: str, choices: Any, column: str, default: str = "") -> tuple[str, str | None]:
    """A choice by its value or its label (any case); blank gives the default."""
    text = value.strip()
    if not text:
        return default, None if default else f"Enter the {column.replace('_', ' ')}"
    for stored, label in choices:
        if text.lower() in (stored.lower(), str(label).lower()):
            return stored, None
    allowed = ", ".join(stored for stored, _ in choices)
    return "", f"Enter one of {allowed}"


def _date(value: str) -> tuple[dt.date | None, str | None]:
    text = value.strip()
    if not text:
        return None, None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date(), None  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None, "Enter a real date like 2026-04-01 or 01/04/2026"


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(1, "", "Save the file as CSV UTF-8 (it is in another encoding)")]
        ) from None


def parse_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Check the whole file. Returns (row number, values for the services) for every row, or
    raises ImportFailed with every problem found."""
    reader = csv.DictReader(io.StringIO(_decode(content)))
    header = [h.strip() for h in (reader.fieldnames or [])]
    errors: list[RowError] = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        errors.append(RowError(1, "", f"Add the columns {', '.join(missing)}"))
    if unknown:
        errors.append(RowError(1, "", f"Remove or rename the columns {', '.join(unknown)}"))
    if errors:
        raise ImportFailed(errors)
    areas = list(ServiceArea.objects.all())
    organisations: dict[str, Organisation | None] = {}
    seen: dict[tuple[int, str], int] = {}
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(reader, start=2):
        record = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(record.values()):
            continue

        def problem(column: str, message: str, number: int = number) -> None:
            errors.append(RowError(number, column, message))

        for column in REQUIRED:
            if not record.get(column):
                problem(column, f"Enter the {column}")
        if len(record.get("title", "")) > 200:
            problem("title", item_services.TITLE_TOO_LONG)
        if len(" ".join(record.get("summary", "").split())) > item_services.SUMMARY_MAX:
            problem("summary", item_services.SUMMARY_TOO_LONG)
        code = record.get("organisation", "")
        if code and code not in organisations:
            lookup = organisation_lookup(code)
            organisations[code] = lookup.organisation if lookup else None
        organisation = organisations.get(code)
        if code and organisation is None:
            problem("organisation", f"There is no organisation with the code {code}")
        values: dict[str, Any] = {
            "title": " ".join(record.get("title", "").split()),
            "summary": " ".join(record.get("summary", "").split()),
            "description": record.get("description", ""),
        }
        for column, choices, default in (
            ("kind", Item.Kind.choices, Item.Kind.PROJECT),
            ("phase", Item.Phase.choices, Item.Phase.CONCEPT),
            ("collaboration_level", Item.CollaborationLevel.choices, "open_to_conversation"),
            ("budget_band", Item.BudgetBand.choices, Item.BudgetBand.UNKNOWN),
        ):
            values[column], message = _choice(record.get(column, ""), choices, column, default)
            if message:
                problem(column, message)
        area_text = record.get("service_area", "")
        area = next(
            (a for a in areas if area_text.lower() in (a.key, a.name.lower())), None
        ) if area_text else None  # fmt: skip
        if area_text and area is None:
            problem("service_area", f"There is no service area called {area_text}")
        values["service_area"] = area
        try:
            values["tags"] = item_services.parse_tags(record.get("tags", "").replace(";", ","))
        except ApplicationError as error:
            problem("tags", error.message)
        values["start_date"], message = _date(record.get("start", ""))
        if message:
            problem("start", message)
        values["end_date"], message = _date(record.get("end", ""))
        if message:
            problem("end", message)
        if (
            values["start_date"]
            and values["end_date"]
            and values["end_date"] < values["start_date"]
        ):
            problem("end", item_services.END_BEFORE_START)
        url = record.get("url", "")
        parsed = urlparse(url)
        if url and (parsed.scheme not in ("http", "https") or not parsed.netloc):
            problem("url", "Enter a web address starting with https://")
        is_code = parsed.netloc.lower().removeprefix("www.") in CODE_HOSTS
        values["repository_url"] = url if url and is_code else ""
        values["blog_url"] = url if url and not is_code else ""
        if organisation is not None and values["title"]:
            key = (organisation.pk, values["title"].lower())
            if key in seen:
                problem("title", f"This item is also on row {seen[key]}")
            else:
                seen[key] = number
        values["organisation"] = organisation
        rows.append((number, values))
    if errors:
        raise ImportFailed(errors)
    return rows


def source_key(organisation: Organisation, title: str) -> str:
    return f"{organisation.code}:{slugify(title)[:150]}"


@transaction.atomic
def pipeline_import(*, actor: Any, content: bytes, dry_run: bool = False) -> ImportResult:
    """Import a whole file or nothing. `actor=None` for the command line (audited as imported)."""
    rows = parse_rows(content)
    result = ImportResult(rows=len(rows))
    for number, values in rows:
        organisation = values.pop("organisation")
        existing = (
            Item.objects.filter(organisation=organisation, title__iexact=values["title"])
            .order_by("pk")
            .first()
        )
        if existing is None:
            if not dry_run:
                item_services.item_create(
                    actor=actor,
                    organisation=organisation,
                    data={**values, "visibility": Item.Visibility.PUBLIC},
                    source=Item.Source.IMPORTED,
                    source_key=source_key(organisation, values["title"]),
                )
            result.created += 1
            continue
        try:
            item_services.item_update(actor=actor, item=existing, data=values, note="Imported")
        except ApplicationError as error:
            if error.message != item_services.NOTHING_CHANGED:
                # Nothing is kept: the whole file is one transaction.
                raise ImportFailed([RowError(number, error.field or "", error.message)]) from None
            result.unchanged += 1
        else:
            result.updated += 1
    if dry_run:
        transaction.set_rollback(True)
    elif result.created or result.updated:
        event_log(
            actor=actor,
            action="pipeline.import",
            summary=f"Imported Pipeline items: {result.summary()}",
            data={"created": result.created, "updated": result.updated},
        )
    return result
