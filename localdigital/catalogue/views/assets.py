"""Catalogue pages: find solutions, an asset's page, add and change one, its history, exports,
and publiccode.yml in (upload, paste, check only) and out."""

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, re_path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.catalogue import forms, selectors
from localdigital.catalogue.exports import COLUMNS, asset_row
from localdigital.catalogue.publiccode import validate as validate_publiccode
from localdigital.catalogue.services import assets as services
from localdigital.catalogue.services import publiccode as publiccode_services
from localdigital.core.access import (
    access_asset_for_user,
    active_organisation_ids,
    is_asset_owner,
)
from localdigital.core.cache import public_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.exports import csv_response, json_response
from localdigital.core.forms import add_service_error
from localdigital.core.pagination import govuk_pagination
from localdigital.core.rendering import render_page
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item

NAV = "catalogue"


page = partial(render_page, nav_section=NAV, template_dir="catalogue")


def _my_organisations(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=active_organisation_ids(user)).order_by("name")


def asset_page_url(request: HttpRequest, asset: Any) -> str:
    base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/")[:-1]
    return base.rstrip("/") + asset.get_absolute_url()


@require_GET
@public_page_cache
def asset_list(request: HttpRequest) -> HttpResponse:
    """Find solutions: relevance-ranked search, filters, sorting and pages of results."""
    found = selectors.asset_find(request.user, request.GET, page_number=request.GET.get("page"))
    query = found.filters.to_query(with_sort=True)
    return page(
        request,
        "list.html",
        {
            "form": found.form,
            "filters": found.filters,
            "page": found.page,
            "total": found.total,
            "pagination": govuk_pagination(found.page, request),
            "today": timezone.localdate(),
            "has_errors": bool(found.form.errors),
            "export_query": f"?{query}" if query else "",
            "signed_in_member": bool(active_organisation_ids(request.user)),
        },
    )


@require_GET
def asset_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The assets the list's filters select, as CSV or JSON."""
    assets = selectors.assets_for_export(request.user, request.GET)
    rows = [asset_row(asset) for asset in assets]
    if fmt == "csv":
        return csv_response(COLUMNS, rows, "catalogue.csv")
    return json_response({"count": len(rows), "assets": rows}, "catalogue.json")


@require_GET
@public_page_cache
def asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An asset's page: what it is, its TCoP profile, who uses it and similar solutions."""
    asset = access_asset_for_user(request.user, slug)
    data = selectors.asset_page(request.user, asset)
    own = active_organisation_ids(request.user)
    link_form = None
    if own:
        items = Item.objects.filter(organisation_id__in=own, status="active").order_by("title")
        link_form = forms.ItemAssetLinkForm(items=items)
        if not items.exists():
            link_form = None
    return page(
        request,
        "asset_detail.html",
        {
            "asset": data.asset,
            "data": data,
            "today": timezone.localdate(),
            "is_owner": is_asset_owner(request.user, data.asset),
            "can_adopt": bool(own) and not data.mine,
            "link_form": link_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_new(request: HttpRequest) -> HttpResponse:
    """Add a solution owned by one or more of the person's organisations."""
    organisations = _my_organisations(request.user)
    if not organisations.exists():
        return page(request, "cannot_add.html", {})
    form = forms.AssetForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={
            "owners": [organisations[0].code],
            "development_status": "development",
            "maintenance": "internal",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(actor=request.user, data=form.service_data())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"‘{asset.name}’ has been added to the catalogue.")
            return redirect(asset.get_absolute_url())
    return page(request, "asset_form.html", {"form": form, "asset": None})


@login_required
@require_http_methods(["GET", "POST"])
def asset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    asset = access_asset_for_user(request.user, slug, write=True)
    current = list(asset.owners.all())
    organisations = Organisation.objects.filter(
        pk__in={o.pk for o in current} | active_organisation_ids(request.user)
    ).order_by("name")
    form = forms.AssetForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial=forms.AssetForm.initial_for(asset),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(actor=request.user, asset=asset, data=form.service_data())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(asset.get_absolute_url())
    return page(request, "asset_form.html", {"form": form, "asset": asset})


@login_required
@require_POST
def asset_verify(request: HttpRequest, slug: str) -> HttpResponse:
    asset = access_asset_for_user(request.user, slug, write=True)
    services.asset_verify(actor=request.user, asset=asset)
    messages.success(request, "Thank you: the entry is marked as verified today.")
    return redirect(asset.get_absolute_url())


@require_GET
def asset_history(request: HttpRequest, slug: str) -> HttpResponse:
    asset = access_asset_for_user(request.user, slug)
    revisions = list(asset.revisions.select_related("author").all()[:200])
    return page(request, "asset_history.html", {"asset": asset, "revisions": revisions})


@require_GET
def asset_publiccode(request: HttpRequest, slug: str) -> HttpResponse:
    """The asset as publiccode.yml 0.4."""
    asset = access_asset_for_user(request.user, slug)
    text = publiccode_services.asset_publiccode(asset, page_url=asset_page_url(request, asset))
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def asset_import(request: HttpRequest) -> HttpResponse:
    """Add or update a solution from a publiccode.yml, uploaded or pasted. Every error and
    warning is listed with its line; a file with errors saves nothing."""
    organisations = _my_organisations(request.user)
    if not organisations.exists():
        return page(request, "cannot_add.html", {})
    form = forms.PubliccodeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=organisations,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = publiccode_services.publiccode_import(
                actor=request.user,
                content=form.cleaned_data["content"],
                owners=[form.cleaned_data["owner"]],
            )
        except publiccode_services.PubliccodeInvalid as error:
            report = error.report
            form.add_error(None, error.message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            asset = outcome.asset
            if outcome.created:
                text = f"‘{asset.name}’ has been added to the catalogue."
            elif outcome.changed:
                text = f"‘{asset.name}’ has been updated from the file."
            else:
                text = f"‘{asset.name}’ already says what the file says: nothing changed."
            if outcome.report.warnings:
                text += f" The file has {len(outcome.report.warnings)} warnings to look at."
            messages.success(request, text)
            return redirect(asset.get_absolute_url())
    return page(request, "import.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def publiccode_check(request: HttpRequest) -> HttpResponse:
    """Check a publiccode.yml without saving anything: anyone may use it."""
    form = forms.PubliccodeCheckForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        report = validate_publiccode(form.cleaned_data["content"])
    return page(request, "check.html", {"form": form, "report": report})


urlpatterns = [
    path("", asset_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", asset_export, name="export"),
    path("new/", asset_new, name="asset_new"),
    path("import/", asset_import, name="import"),
    path("validate/", publiccode_check, name="check"),
    path("<slug:slug>/", asset_detail, name="asset"),
    path("<slug:slug>/edit/", asset_edit, name="asset_edit"),
    path("<slug:slug>/verify/", asset_verify, name="asset_verify"),
    path("<slug:slug>/history/", asset_history, name="asset_history"),
    path("<slug:slug>/publiccode.yml", asset_publiccode, name="asset_publiccode"),
]
