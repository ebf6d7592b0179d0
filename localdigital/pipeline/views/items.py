"""Pipeline pages for one item: add, show, change, history, updates, partners and watching."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core import sections
from localdigital.core.access import access_item_for_owner, access_item_for_user
from localdigital.core.cache import public_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.rendering import render_page
from localdigital.declaration.services import resolve_partners
from localdigital.pipeline import forms
from localdigital.pipeline.matching import selectors as matching_selectors
from localdigital.pipeline.selectors import interest as interest_selectors
from localdigital.pipeline.selectors import items as selectors
from localdigital.pipeline.services import items as services
from localdigital.pipeline.services import updates as update_services

NAV = "pipeline"


_page = partial(render_page, nav_section=NAV, template_dir="pipeline")


def _service_error(form: Any, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    """Add a project, idea or problem for one of the person's organisations."""
    organisations = selectors.organisations_for_new_item(request.user)
    if not organisations:
        return _page(request, "item_cannot_add.html", {})
    form = forms.ItemForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={
            "phase": "concept",
            "budget_band": "unknown",
            "collaboration_level": "open_to_conversation",
            "visibility": "public",
        },
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data.get("organisation") or form.single_organisation
        try:
            item = services.item_create(
                actor=request.user, organisation=organisation, data=form.service_data()
            )
        except ApplicationError as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                "Your draft has been saved. Only your organisation can see it."
                if item.is_draft
                else f"Your {item.get_kind_display().lower()} has been published.",
            )
            return redirect(item.get_absolute_url())
    return _page(request, "item_form.html", {"form": form, "item": None})


@require_GET
@public_page_cache
def item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An item's page: every field, partners, updates, interest and similar work."""
    item = access_item_for_user(request.user, slug)
    context = selectors.item_page(request.user, item)
    context.update(
        {
            "item": item,
            "interest_panel": interest_selectors.item_interest_panel(request.user, item),
            "similar": matching_selectors.similar_work(request.user, item),
            "same_problem": matching_selectors.councils_with_same_problem(request.user, item),
            # What other capabilities add (the catalogue's "existing solutions").
            "sections": sections.sections_for("pipeline_item", request, item),
        }
    )
    return _page(request, "item_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change an item: the lead organisation any field, partners the fields agreed with them."""
    item = access_item_for_user(request.user, slug, write=True)
    if item.is_archived:
        messages.error(request, services.ARCHIVED)
        return redirect(item.get_absolute_url())
    roles = selectors.item_roles(
        request.user, item, list(item.partnerships.values_list("organisation_id", flat=True))
    )
    form = forms.ItemForm(
        request.POST if request.method == "POST" else None,
        item=item,
        editable=roles.editable,
        initial=forms.initial_for(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, data=form.service_data())
        except ApplicationError as error:
            _service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(item.get_absolute_url())
    return _page(request, "item_form.html", {"form": form, "item": item, "roles": roles})


@require_GET
def item_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change to the item: who, when, which fields, with a readable difference."""
    item = access_item_for_user(request.user, slug)
    rows = selectors.history_rows(selectors.revisions_for(item))
    return _page(request, "item_history.html", {"item": item, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Post a status update (lead organisation and partners)."""
    item = access_item_for_user(request.user, slug, write=True)
    form = forms.StatusUpdateForm(
        request.POST if request.method == "POST" else None, initial={"phase": ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            update = update_services.status_update_post(
                actor=request.user, item=item, **form.cleaned_data
            )
        except ApplicationError as error:
            _service_error(form, error)
        else:
            messages.success(
                request, "Your update has been posted. Watchers and partners have been told."
            )
            return redirect(f"{item.get_absolute_url()}#update-{update.pk}")
    return _page(request, "update_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def item_partners(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead organisation adds or removes partners and chooses the fields they can change."""
    item = access_item_for_owner(request.user, slug)
    add_form = forms.PartnerAddForm(request.POST if "add" in request.POST else None, prefix="add")
    fields_form = forms.PartnerFieldsForm(
        request.POST if "fields" in request.POST else None,
        prefix="fields",
        initial={"fields_": item.partner_editable_fields},
    )
    if request.method == "POST":
        try:
            if "add" in request.POST and add_form.is_valid():
                found = resolve_partners([add_form.cleaned_data["organisation"]])
                services.item_partner_add(actor=request.user, item=item, organisation=found[0])
                messages.success(request, f"{found[0].short_name} is now a partner.")
                return redirect("pipeline:item_partners", slug=item.slug)
            if "remove" in request.POST:
                organisation = next(
                    (
                        p.organisation
                        for p in item.partnerships.select_related("organisation")
                        if p.organisation.code == request.POST["remove"]
                    ),
                    None,
                )
                if organisation is None:
                    raise Http404("No such partner")
                services.item_partner_remove(
                    actor=request.user, item=item, organisation=organisation
                )
                messages.success(request, f"{organisation.short_name} is no longer a partner.")
                return redirect("pipeline:item_partners", slug=item.slug)
            if "fields" in request.POST and fields_form.is_valid():
                services.item_set_partner_fields(
                    actor=request.user, item=item, fields=fields_form.cleaned_data["fields_"]
                )
                messages.success(request, "The fields partners can change have been saved.")
                return redirect("pipeline:item_partners", slug=item.slug)
        except ApplicationError as error:
            target = fields_form if "fields" in request.POST else add_form
            if "fields" in request.POST:
                target.add_error(None, error.message)
            else:
                target.add_error("organisation", error.message)
    context = selectors.partner_page(item)
    context.update({"item": item, "add_form": add_form, "fields_form": fields_form})
    return _page(request, "item_partners.html", context)


@login_required
@require_POST
def item_watch(request: HttpRequest, slug: str) -> HttpResponse:
    """Start or stop hearing about the item's updates."""
    item = access_item_for_user(request.user, slug)
    if request.POST.get("watch") == "stop":
        services.item_unwatch(actor=request.user, item=item)
        messages.success(request, "You will no longer be told about updates to this item.")
    else:
        services.item_watch(actor=request.user, item=item)
        messages.success(request, "You will be told when this item is updated.")
    return redirect(item.get_absolute_url())


urlpatterns = [
    path("new/", item_new, name="item_new"),
    path("<slug:slug>/", item_detail, name="item_detail"),
    path("<slug:slug>/edit/", item_edit, name="item_edit"),
    path("<slug:slug>/history/", item_history, name="item_history"),
    path("<slug:slug>/updates/new/", update_new, name="update_new"),
    path("<slug:slug>/partners/", item_partners, name="item_partners"),
    path("<slug:slug>/watch/", item_watch, name="item_watch"),
]
