"""Directory, council pages, and the pages that add and manage organisations."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core.access import (
    access_organisation_domain_for_user,
    access_organisation_for_user,
    is_org_admin,
    is_programme_staff,
)
from localdigital.core.cache import public_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.core.sections import organisation_sections
from localdigital.organisations import selectors, services
from localdigital.organisations.forms import (
    DirectoryFilterForm,
    DomainForm,
    OrganisationDetailsForm,
    OrganisationForm,
    SettingsForm,
)
from localdigital.organisations.models import Organisation

PAGE_SIZE = 50


@require_GET
@public_page_cache
def directory(request: HttpRequest) -> HttpResponse:
    options = selectors.directory_filter_options()
    form = DirectoryFilterForm(request.GET, options=options)
    filters = form.to_filters()
    page = paginate(selectors.organisation_directory(filters), request, per_page=PAGE_SIZE)
    filtered = bool(
        filters.q or filters.nations or filters.regions or filters.types or filters.kinds
    ) or (filters.status != selectors.STATUS_CURRENT)
    return render(
        request,
        "organisations/list.html",
        {
            "nav_section": "organisations",
            "form": form,
            "filters": filters,
            "filtered": filtered,
            "page": page,
            "pagination": govuk_pagination(page, request),
            "can_create": is_programme_staff(request.user),
        },
    )


@require_GET
@public_page_cache
def detail(request: HttpRequest, code: str) -> HttpResponse:
    lookup = selectors.organisation_lookup(code, selectors.organisation_detail_queryset())
    if lookup is None:
        raise Http404("No such organisation")
    organisation = lookup.organisation
    if not lookup.canonical:
        # GSS codes and other letter cases are aliases: one page per organisation.
        return HttpResponsePermanentRedirect(organisation.get_absolute_url())
    can_manage = is_programme_staff(request.user) or is_org_admin(request.user, organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "nav_section": "organisations",
            "organisation": organisation,
            "replaced_on": _replaced_on(organisation),
            "can_manage": can_manage,
            "sections": organisation_sections(request, organisation),
        },
    )


def _replaced_on(organisation: Organisation) -> Any:
    """The day the successors took over (their start date), or else the day this one ended."""
    starts = [s.start_date for s in organisation.successors.all() if s.start_date]
    return min(starts) if starts else organisation.end_date


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not is_programme_staff(request.user):
        raise Http404("No such page")
    # An empty POST is falsy but must still be validated, so test the method, not the data.
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{organisation.name} has been added. Now add its email domains."
            )
            return redirect("organisations:manage", code=organisation.code)
    return render(
        request,
        "organisations/new.html",
        {"nav_section": "organisations", "form": form, "has_errors": bool(form.errors)},
    )


def _manage_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    settings_form: Form | None = None,
    domain_form: Form | None = None,
    details_form: Form | None = None,
) -> HttpResponse:
    staff = is_programme_staff(request.user)
    can_edit_details = staff and services.details_editable(organisation)
    if details_form is None and can_edit_details:
        details_form = OrganisationDetailsForm(
            initial={
                "name": organisation.name,
                "short_name": organisation.short_name,
                "kind": organisation.kind,
                "nation": organisation.nation,
                "alt_names": organisation.alt_names,
                "is_current": organisation.is_current,
            }
        )
    forms_ = {
        "settings_form": settings_form
        or SettingsForm(initial={"allow_automatic_joining": organisation.allow_automatic_joining}),
        "domain_form": (domain_form or DomainForm()) if staff else None,
        "details_form": details_form if can_edit_details else None,
    }
    return render(
        request,
        "organisations/manage.html",
        {
            "nav_section": "organisations",
            "organisation": organisation,
            "domains": list(selectors.organisation_domains(organisation)),
            "is_staff": staff,
            "has_errors": any(f is not None and f.errors for f in forms_.values()),
            **forms_,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """The organisation's domains and settings; the POST saves the settings."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    if request.method == "GET":
        return _manage_page(request, organisation)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                allow_automatic_joining=form.cleaned_data["allow_automatic_joining"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("organisations:manage", code=organisation.code)
    return _manage_page(request, organisation, settings_form=form)


@login_required
@require_POST
def domain_add(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_organisation_for_user(request.user, code, write=True)
    if not is_programme_staff(request.user):
        raise Http404("No such page")
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            record = services.organisation_domain_add(
                actor=request.user, organisation=organisation, domain=form.cleaned_data["domain"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{record.domain} has been added.")
            return redirect("organisations:manage", code=organisation.code)
    return _manage_page(request, organisation, domain_form=form)


@login_required
@require_POST
def domain_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    domain = access_organisation_domain_for_user(request.user, code, pk)
    services.organisation_domain_remove(actor=request.user, domain=domain)
    messages.success(request, f"{domain.domain} has been removed.")
    return redirect("organisations:manage", code=domain.organisation.code)


@login_required
@require_POST
def details_update(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_organisation_for_user(request.user, code, write=True)
    if not (is_programme_staff(request.user) and services.details_editable(organisation)):
        raise Http404("No such page")
    form = OrganisationDetailsForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("organisations:manage", code=organisation.code)
    return _manage_page(request, organisation, details_form=form)
