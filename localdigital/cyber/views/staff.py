"""Cyber pages for programme staff: cycle progress across the sector, and assigning a cycle's
independent assurer. Routes are listed in `urlpatterns` and collected by cyber/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.access import is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.cyber.access import access_cycle_for_user
from localdigital.cyber.forms.workflow import AssignAssurerForm, ProgressFilterForm
from localdigital.cyber.selectors.progress import (
    PROGRESS_STATES,
    current_cycle_year,
    progress_counts,
    progress_filter_choices,
    sector_progress,
)
from localdigital.cyber.services.assurers import cycle_assign_assurer

NAV = "cyber"
PAGE_SIZE = 50


def _require_staff(request: HttpRequest) -> None:
    if not is_programme_staff(request.user):
        raise Http404("No such page")


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Cycle progress across the sector for a year: counts, and councils by state."""
    _require_staff(request)
    this_year = current_cycle_year()
    years = list(range(this_year + 1, 2023, -1))
    choices = progress_filter_choices()
    form = ProgressFilterForm(
        request.GET or None, years=years, la_types=choices.la_types, regions=choices.regions
    )
    filters = {"year": this_year, "la_type": "", "region": "", "state": ""}
    if form.is_bound and form.is_valid():
        filters.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    elif not form.is_bound:
        form = ProgressFilterForm(
            initial={"year": this_year},
            years=years,
            la_types=choices.la_types,
            regions=choices.regions,
        )
    councils = sector_progress(
        year=filters["year"], la_type=filters["la_type"], region=filters["region"]
    )
    counts = progress_counts(councils)
    shown = councils.filter(progress_state=filters["state"]) if filters["state"] else councils
    page = paginate(shown, request, per_page=PAGE_SIZE)
    return render(
        request,
        "cyber/staff_progress.html",
        {
            "nav_section": NAV,
            "form": form,
            "year": filters["year"],
            "counts": counts,
            "total": sum(counts.values()),
            "states": PROGRESS_STATES,
            "page": page,
            "pagination": govuk_pagination(page, request),
            "has_errors": form.is_bound and bool(form.errors),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign_assurer(request: HttpRequest, pk: int) -> HttpResponse:
    """Programme staff choose a cycle's independent assurer by email address."""
    _require_staff(request)
    cycle = access_cycle_for_user(request.user, pk, action="read")
    form = AssignAssurerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_assign_assurer(
                actor=request.user, cycle=cycle, assurer=form.cleaned_data["email"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['email'].email} is now the assurer of {cycle}."
            )
            return redirect(reverse("cyber:assign_assurer", args=[cycle.pk]))
    has_errors = form.is_bound and bool(form.errors)
    return render(
        request,
        "cyber/staff_assign_assurer.html",
        {"nav_section": NAV, "cycle": cycle, "form": form, "has_errors": has_errors},
        status=400 if has_errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("progress/", progress, name="progress"),
    path("cycles/<int:pk>/assurer/", assign_assurer, name="assign_assurer"),
]
