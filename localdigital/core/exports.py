"""Downloads every app offers: CSV cells that cannot run as spreadsheet formulas, and CSV
and JSON responses with a filename."""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will show as text: one starting with =, +, -, @, a tab or a
    carriage return would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, safe: bool = True) -> str:
    """CSV with a header row. `safe=False` keeps values exactly (for files a program reads back,
    such as an export to re-import); people's downloads stay safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        values = [row.get(column) for column in columns]
        writer.writerow(
            [csv_safe(v) for v in values] if safe else ["" if v is None else v for v in values]
        )
    return buffer.getvalue()


def csv_response(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], filename: str
) -> HttpResponse:
    response = HttpResponse(csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(document: Any, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
