"""The API's human-readable documentation page (server-rendered, no JavaScript needed)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from localdigital.api import selectors

PARAM_COLUMNS = ("name", "in", "type", "required", "description")
FIELD_COLUMNS = ("name", "type", "required", "read_only", "description")


def _rows(items: list[dict[str, str]], columns: tuple[str, ...]) -> list[list[dict[str, str]]]:
    """Rows in the shape the GOV.UK table macro takes."""
    return [[{"text": str(item[c])} for c in columns] for item in items]


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    groups: list[dict[str, Any]] = selectors.api_outline()
    for group in groups:
        for op in group["operations"]:
            op["parameter_rows"] = _rows(op["parameters"], PARAM_COLUMNS)
            op["request_rows"] = _rows(op["request_fields"], FIELD_COLUMNS)
            op["response_rows"] = _rows(op["response_fields"], FIELD_COLUMNS)
    return render(request, "api/docs.html", {"groups": groups, "nav_section": "api"})
