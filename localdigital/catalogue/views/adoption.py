"""Adoption pages: record that your organisation uses an asset, change or reconfirm the record,
review it, and link an asset to your Pipeline items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from localdigital.catalogue import forms
from localdigital.catalogue.models import ItemAssetLink
from localdigital.catalogue.services import adoption as services
from localdigital.catalogue.services import assets as asset_services
from localdigital.catalogue.views.assets import _my_organisations, page
from localdigital.core.access import (
    access_adoption_for_user,
    access_asset_for_user,
    access_item_for_owner,
    active_organisation_ids,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.pipeline.models import Item


@login_required
@require_http_methods(["GET", "POST"])
def adoption_new(request: HttpRequest, slug: str) -> HttpResponse:
    asset = access_asset_for_user(request.user, slug)
    organisations = _my_organisations(request.user).exclude(adoptions__asset=asset)
    if not organisations.exists():
        return page(request, "cannot_add.html", {"asset": asset})
    form = forms.AdoptionForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_record(actor=request.user, asset=asset, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your organisation’s use has been recorded.")
            return redirect(asset.get_absolute_url() + "#adoption")
    return page(request, "adoption_form.html", {"form": form, "asset": asset, "adoption": None})


@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = access_adoption_for_user(request.user, pk, write=True)
    organisations = _my_organisations(request.user).filter(pk=adoption.organisation_id)
    form = forms.AdoptionForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={
            "organisation": adoption.organisation.code,
            "status": adoption.status,
            "outcomes": adoption.outcomes,
            "annual_saving": adoption.annual_saving,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("organisation")
        try:
            services.adoption_update(actor=request.user, adoption=adoption, **data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The record has been updated and confirmed for a year.")
            return redirect(adoption.asset.get_absolute_url() + "#adoption")
    return page(
        request,
        "adoption_form.html",
        {"form": form, "asset": adoption.asset, "adoption": adoption},
    )


@login_required
@require_POST
def adoption_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = access_adoption_for_user(request.user, pk, write=True)
    services.adoption_confirm(actor=request.user, adoption=adoption)
    messages.success(request, "Thank you: the record counts for another year.")
    return redirect(adoption.asset.get_absolute_url() + "#adoption")


@login_required
@require_http_methods(["GET", "POST"])
def adoption_review(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = access_adoption_for_user(request.user, pk, write=True)
    form = forms.AdoptionReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"rating": adoption.rating, "review": adoption.review},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_review(actor=request.user, adoption=adoption, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Thank you: your account of what worked is published.")
            return redirect(adoption.asset.get_absolute_url() + "#reviews")
    return page(
        request,
        "adoption_review.html",
        {"form": form, "asset": adoption.asset, "adoption": adoption},
    )


@login_required
@require_POST
def item_link_new(request: HttpRequest, slug: str) -> HttpResponse:
    """From an asset's page: one of your organisation's items reuses or produces it."""
    asset = access_asset_for_user(request.user, slug)
    items = Item.objects.filter(
        organisation_id__in=active_organisation_ids(request.user), status="active"
    )
    form = forms.ItemAssetLinkForm(request.POST, items=items)
    if form.is_valid():
        item = access_item_for_owner(request.user, form.cleaned_data["item"].slug)
        try:
            asset_services.item_asset_link(
                actor=request.user,
                item=item,
                asset=asset,
                relation=form.cleaned_data["relation"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"‘{item.title}’ now lists ‘{asset.name}’.")
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect(asset.get_absolute_url() + "#projects")


@login_required
@require_POST
def item_link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = ItemAssetLink.objects.select_related("item__organisation", "asset").filter(pk=pk).first()
    if link is None:
        raise Http404("No such link")
    access_item_for_owner(request.user, link.item.slug)
    asset_services.item_asset_unlink(actor=request.user, link=link)
    messages.success(request, f"‘{link.item.title}’ no longer lists ‘{link.asset.name}’.")
    return redirect(link.item.get_absolute_url() + "#solutions")


urlpatterns = [
    path("<slug:slug>/adoption/new/", adoption_new, name="adoption_new"),
    path("<slug:slug>/items/", item_link_new, name="item_link_new"),
    path("adoption/<int:pk>/", adoption_edit, name="adoption_edit"),
    path("adoption/<int:pk>/confirm/", adoption_confirm, name="adoption_confirm"),
    path("adoption/<int:pk>/review/", adoption_review, name="adoption_review"),
    path("links/<int:pk>/delete/", item_link_delete, name="item_link_delete"),
]
