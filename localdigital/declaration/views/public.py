"""Public Declaration pages: what it is, the register of signatories, its growth chart and map,
the register's downloads, and the Declaration section of each council's page."""

import csv
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdigital.core.cache import public_page_cache
from localdigital.core.exports import csv_safe
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.core.sections import Section
from localdigital.declaration import charts, selectors
from localdigital.declaration.filters import SignatoryFilterForm
from localdigital.declaration.models import Principle, Signing
from localdigital.declaration.serializers_public import (
    DOWNLOAD_COLUMNS,
    LICENCE,
    download_metadata,
    signatory_record,
)
from localdigital.organisations.models import Organisation

NAV = "declaration"
PAGE_SIZE = 50


def _filter_form(request: HttpRequest) -> SignatoryFilterForm:
    return SignatoryFilterForm(request.GET, options=selectors.signatory_filter_options())


def signatory_row(organisation: Organisation) -> dict[str, Any]:
    """What a register row shows about one signatory (an organisation annotated by the
    selector with its active signing)."""
    source = organisation.signing_source_url or ""
    return {
        "organisation": organisation,
        "signed_on": selectors.signed_on_display(
            organisation.signed_on, organisation.signed_on_precision
        ),
        "method": Signing.Method(organisation.signing_method).label,
        "imported": organisation.signing_method == Signing.Method.IMPORTED,
        "evidence": organisation.signing_evidence,
        "source": source,
        "source_is_link": source.startswith(("https://", "http://")),
    }


@require_GET
@public_page_cache
def about(request: HttpRequest) -> HttpResponse:
    """The Declaration, its five principles, and how many councils have signed."""
    return render(
        request,
        "declaration/public/about.html",
        {
            "nav_section": NAV,
            "principles": list(Principle.objects.order_by("position")),
            "coverage": selectors.council_coverage(),
            "latest_published": selectors.published_totals()[-1],
        },
    )


@require_GET
@public_page_cache
def signatories(request: HttpRequest) -> HttpResponse:
    """The register: every organisation with an active signing, searched and filtered."""
    form = _filter_form(request)
    filters = form.to_filters()
    page = paginate(selectors.signatory_list(filters), request, per_page=PAGE_SIZE)
    return render(
        request,
        "declaration/public/signatories.html",
        {
            "nav_section": NAV,
            "form": form,
            "filters": filters,
            "page": page,
            "rows": [signatory_row(organisation) for organisation in page.object_list],
            "pagination": govuk_pagination(page, request),
            "coverage": selectors.council_coverage(),
            "latest_published": selectors.published_totals()[-1],
            "download_query": form.download_query(),
        },
    )


@require_GET
@public_page_cache
def growth(request: HttpRequest) -> HttpResponse:
    """Signatories over time: the Hub's records and the published totals, as a chart and tables."""
    data = selectors.signatory_growth(today=timezone.localdate())
    return render(
        request,
        "declaration/public/growth.html",
        {"nav_section": NAV, "growth": data, "chart": charts.growth_chart(data)},
    )


@require_GET
@public_page_cache
def signatory_map(request: HttpRequest) -> HttpResponse:
    """Current councils on a map, signed or not, with the same figures by region as a table."""
    points = selectors.signatory_map_points()
    return render(
        request,
        "declaration/public/map.html",
        {
            "nav_section": NAV,
            "map": charts.signatory_map(points),
            "regions": selectors.map_region_coverage(points),
            "total": len(points),
            "signed": sum(point.signed for point in points),
        },
    )


def _download_records(request: HttpRequest) -> list[dict[str, Any]]:
    filters = _filter_form(request).to_filters()
    return [
        signatory_record(organisation, request=request)
        for organisation in selectors.signatory_list(filters)
    ]


def _attach(response: HttpResponse, extension: str) -> HttpResponse:
    filename = f"declaration-signatories-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    return response


@require_GET
def signatories_csv(request: HttpRequest) -> HttpResponse:
    """The register as CSV, with the page's filters, under the Open Government Licence."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(DOWNLOAD_COLUMNS)
    for record in _download_records(request):
        writer.writerow([csv_safe(record[column]) for column in DOWNLOAD_COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attach(response, "csv")


@require_GET
def signatories_json(request: HttpRequest) -> HttpResponse:
    """The register as JSON, with the page's filters: the licence and attribution first."""
    records = _download_records(request)
    document = {**download_metadata(request), "count": len(records), "signatories": records}
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _attach(response, "json")


def organisation_section(request: HttpRequest, organisation: Organisation) -> Section:
    """The Declaration on a council's page: whether it signed (and its history), its
    commitments with their partners, and whether the councils it replaced had signed."""
    data = selectors.organisation_declaration(organisation)
    try:
        # The signing pages add buttons for the organisation's admins here.
        from localdigital.declaration.views.manage import admin_actions
    except ImportError:  # pragma: no cover - only before the signing pages exist
        actions: list[dict] = []
    else:
        actions = admin_actions(request.user, organisation, data.active_signing)
    signings = [
        {
            "signing": signing,
            "signed_on": selectors.signed_on_display(
                signing.signed_on, signing.signed_on_precision
            ),
            "source_is_link": signing.source_url.startswith(("https://", "http://")),
        }
        for signing in data.signings
    ]
    predecessors = [
        {
            "signing": signing,
            "signed_on": selectors.signed_on_phrase(signing.signed_on, signing.signed_on_precision),
        }
        for signing in data.predecessor_signings
    ]
    return Section(
        template="declaration/_organisation_section.html",
        context={
            "organisation": organisation,
            "declaration": data,
            "signings": signings,
            "predecessors": predecessors,
            "actions": actions,
            "register_url": reverse("declaration:signatories"),
        },
    )
