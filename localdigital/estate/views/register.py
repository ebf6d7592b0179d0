"""Estate pages: a council's register, adding, changing and removing its systems, and its
sharing setting. Routes are listed in `urlpatterns` and collected by estate/urls.py."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.rendering import render_page
from localdigital.estate.access import (
    access_register_for_member,
    access_register_for_user,
    access_sharing_for_user,
    access_system_for_user,
    sharing_level,
)
from localdigital.estate.forms.register import SHARING_HINTS, SharingForm, SystemForm
from localdigital.estate.models import SharingSetting
from localdigital.estate.selectors import register as selectors
from localdigital.estate.services import systems as services

NAV = "estate"


page = partial(render_page, nav_section=NAV, template_dir="estate")


def register_url(code: str) -> str:
    return reverse("estate:register", kwargs={"code": code})


@login_required
@require_GET
def register(request: HttpRequest, code: str) -> HttpResponse:
    """A council's register: in full for its members, within its sharing setting for the rest
    of the sector."""
    access = access_register_for_user(request.user, code)
    organisation = access.organisation
    context: dict[str, Any] = {
        "access": access,
        "organisation": organisation,
        "groups": selectors.register_systems(access),
    }
    if access.is_member:
        context.update(
            {
                "same": selectors.same_systems(organisation, request.user),
                "pathways": selectors.organisation_pathways(organisation),
                "sharing_label": SharingSetting.Level(sharing_level(organisation)).label,
                "import_url": reverse("estate:import", kwargs={"code": organisation.code}),
                "export_urls": {
                    fmt: reverse("estate:export", kwargs={"code": organisation.code, "fmt": fmt})
                    for fmt in ("xlsx", "csv")
                },
            }
        )
    return page(request, "register_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def system_add(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_register_for_member(request.user, code)
    form = SystemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            system = services.system_create(
                actor=request.user, organisation=organisation, data=form.data_for_service()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{system.display_name} has been added to the register.")
            return redirect(register_url(organisation.code))
    return page(
        request,
        "register_system_form.html",
        {"form": form, "organisation": organisation, "system": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    system = access_system_for_user(request.user, pk, write=True)
    form = SystemForm(request.POST if request.method == "POST" else None, system=system)
    if request.method == "POST" and form.is_valid():
        try:
            services.system_update(actor=request.user, system=system, data=form.data_for_service())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{system.display_name} has been updated.")
            return redirect(register_url(system.organisation.code))
    return page(
        request,
        "register_system_form.html",
        {"form": form, "organisation": system.organisation, "system": system},
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Check, then remove a system from the register."""
    system = access_system_for_user(request.user, pk, write=True)
    organisation = system.organisation
    if request.method == "POST":
        name = system.display_name
        services.system_delete(actor=request.user, system=system)
        messages.success(request, f"{name} has been removed from the register.")
        return redirect(register_url(organisation.code))
    return page(
        request,
        "register_system_delete.html",
        {"system": system, "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, code: str) -> HttpResponse:
    """What the sector sees of the register (the council's admins only)."""
    organisation = access_sharing_for_user(request.user, code)
    form = SharingForm(
        request.POST if request.method == "POST" else None,
        initial={"level": sharing_level(organisation)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            setting = services.sharing_set(
                actor=request.user, organisation=organisation, level=form.cleaned_data["level"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Other councils now see: {setting.get_level_display().lower()}."
            )
            return redirect(register_url(organisation.code))
    levels = [(label, SHARING_HINTS[value]) for value, label in SharingSetting.Level.choices]
    return page(
        request,
        "register_sharing.html",
        {"form": form, "organisation": organisation, "levels": levels},
    )


urlpatterns: list[URLPattern] = [
    path("councils/<str:code>/", register, name="register"),
    path("councils/<str:code>/systems/new/", system_add, name="system_add"),
    path("councils/<str:code>/sharing/", sharing, name="sharing"),
    path("systems/<int:pk>/", system_edit, name="system_edit"),
    path("systems/<int:pk>/remove/", system_delete, name="system_delete"),
]
