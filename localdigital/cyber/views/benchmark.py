"""Cyber pages: the sector benchmark for programme staff, and a council's own levels against the
sector for its cyber people. Routes are listed in `urlpatterns` and collected by cyber/urls.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from localdigital.core.access import is_programme_staff
from localdigital.core.cache import private_page_cache
from localdigital.cyber.access import cyber_roles
from localdigital.cyber.forms.benchmark import BenchmarkFilterForm
from localdigital.cyber.selectors.benchmark import (
    benchmark_filter_choices,
    benchmark_years,
    council_benchmark,
    sector_benchmark,
)
from localdigital.cyber.selectors.readiness import offline_backup_share
from localdigital.organisations.models import Organisation

NAV = "cyber"


@login_required
@require_GET
@private_page_cache
def benchmark(request: HttpRequest) -> HttpResponse:
    """The sector's shares per outcome and objective, filtered, for programme staff only."""
    if not is_programme_staff(request.user):
        raise Http404("No such page")
    form = BenchmarkFilterForm(
        request.GET or None,
        years=benchmark_years(include_approved=True),
        **benchmark_filter_choices(),
    )
    filters = form.filters()
    result = sector_benchmark(filters)
    return render(
        request,
        "cyber/benchmark_sector.html",
        {
            "nav_section": NAV,
            "form": form,
            "benchmark": result,
            "backups": offline_backup_share(result.year),
        },
    )


@login_required
@require_GET
@private_page_cache
def council_benchmark_page(request: HttpRequest, code: str) -> HttpResponse:
    """A council's own levels beside the sector's shares, for the council's cyber people."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None or not cyber_roles(request.user, organisation):
        raise Http404("No such council")
    include_approved = request.GET.get("include_approved") == "true"
    result = council_benchmark(organisation, include_approved=include_approved)
    return render(
        request,
        "cyber/benchmark_council.html",
        {
            "nav_section": NAV,
            "organisation": organisation,
            "result": result,
            "include_approved": include_approved,
        },
    )


urlpatterns: list[URLPattern] = [
    path("benchmark/", benchmark, name="benchmark"),
    path("councils/<str:code>/benchmark/", council_benchmark_page, name="council_benchmark"),
]
