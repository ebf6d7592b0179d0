"""An organisation's Pipeline portfolio: the council page section, the full page and exports."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdigital.core.access import access_organisation_for_user
from localdigital.core.cache import public_page_cache
from localdigital.core.exports import csv_response, json_response
from localdigital.core.sections import Section
from localdigital.pipeline.exports import COLUMNS, item_rows
from localdigital.pipeline.selectors.portfolio import organisation_portfolio, portfolio_items


def organisation_section(request: HttpRequest, organisation: Any) -> Section | None:
    """The Pipeline on a council's page: its items by phase, stale ones, assessments due and
    the work it partners on. Nothing when it has none the viewer may see."""
    portfolio = organisation_portfolio(request.user, organisation, with_updates=False)
    if not (portfolio.total or portfolio.partner_items or portfolio.archived):
        return None
    return Section("pipeline/_portfolio_section.html", {"portfolio": portfolio})


@require_GET
@public_page_cache
def portfolio_page(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_organisation_for_user(request.user, code)
    return render(
        request,
        "pipeline/portfolio.html",
        {
            "nav_section": "pipeline",
            "portfolio": organisation_portfolio(request.user, organisation),
        },
    )


def _filename(code: str, extension: str) -> str:
    return f"pipeline-{code.lower()}-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
def portfolio_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The organisation's items the requester may see, in the import file format."""
    organisation = access_organisation_for_user(request.user, code)
    rows = item_rows(portfolio_items(request.user, organisation))
    return csv_response(COLUMNS, rows, _filename(organisation.code, "csv"))


@require_GET
def portfolio_json(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_organisation_for_user(request.user, code)
    items = list(portfolio_items(request.user, organisation))
    document = {
        "organisation": {"code": organisation.code, "name": organisation.name},
        "count": len(items),
        "items": [
            {**row, "slug": item.slug, "status": item.status, "review_by": item.review_by}
            for row, item in zip(item_rows(items), items, strict=True)
        ],
    }
    return json_response(document, _filename(organisation.code, "json"))


urlpatterns = [
    path("organisations/<str:code>/", portfolio_page, name="portfolio"),
    path("organisations/<str:code>/items.csv", portfolio_csv, name="portfolio_csv"),
    path("organisations/<str:code>/items.json", portfolio_json, name="portfolio_json"),
]
