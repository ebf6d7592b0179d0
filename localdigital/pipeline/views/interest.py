"""Pipeline pages for interest and freshness: express interest, the conversation with its
answers, the person's interest page, and confirming, archiving and restoring items."""

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core.access import (
    access_interest_for_user,
    access_item_for_owner,
    access_item_for_user,
    active_organisation_ids,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.core.rendering import render_page
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Interest
from localdigital.pipeline.selectors import interest as selectors
from localdigital.pipeline.services import freshness
from localdigital.pipeline.services import interest as services

NAV = "pipeline"


class ExpressForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation are you interested for?",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"required": "Select your organisation"},
    )
    kind = forms.ChoiceField(
        label="Why are you interested?",
        choices=Interest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.KIND_REQUIRED},
    )
    message = forms.CharField(
        label="Message",
        help_text="Say who you are and what you would like to happen next",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": services.MESSAGE_REQUIRED},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("short_name")
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0].code)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.REPLY_REQUIRED},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining?",
        help_text="The other organisation will see this",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REASON_REQUIRED},
    )


_page = partial(render_page, nav_section=NAV, template_dir="pipeline")


@login_required
@require_http_methods(["GET", "POST"])
def interest_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Express interest in another organisation's item."""
    item = access_item_for_user(request.user, slug)
    panel = selectors.item_interest_panel(request.user, item)
    if not panel["can_express"]:
        messages.error(
            request,
            services.OWN_ITEM
            if panel["is_owner"]
            else "You cannot express interest in this item. You need to be a member of another "
            "organisation that is not already a partner or waiting for an answer.",
        )
        return redirect(item.get_absolute_url())
    form = ExpressForm(
        request.POST if request.method == "POST" else None,
        organisations=panel["express_organisations"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            interest = services.interest_express(
                actor=request.user,
                item=item,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"{item.organisation.short_name} has been told. You will hear when they answer.",
            )
            return redirect("pipeline:interest_detail", pk=interest.pk)
    return _page(request, "interest_new.html", {"item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def interest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversation about one expression of interest, for both organisations."""
    interest = access_interest_for_user(request.user, pk)
    own = active_organisation_ids(request.user)
    is_owner = interest.item.organisation_id in own
    action = request.POST.get("action", "")
    reply_form = ReplyForm(request.POST if action == "reply" else None)
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    if request.method == "POST":
        try:
            if action == "reply" and reply_form.is_valid():
                services.interest_reply(
                    actor=request.user, interest=interest, body=reply_form.cleaned_data["body"]
                )
                messages.success(request, "Your reply has been sent.")
                return redirect("pipeline:interest_detail", pk=pk)
            if action == "accept":
                interest = access_interest_for_user(request.user, pk, respond=True)
                services.interest_accept(actor=request.user, interest=interest)
                messages.success(
                    request, f"{interest.organisation.short_name} is now a partner on this item."
                )
                return redirect("pipeline:interest_detail", pk=pk)
            if action == "decline" and decline_form.is_valid():
                interest = access_interest_for_user(request.user, pk, respond=True)
                services.interest_decline(
                    actor=request.user,
                    interest=interest,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(request, "You have declined. They have been told why.")
                return redirect("pipeline:interest_detail", pk=pk)
            if action == "withdraw":
                services.interest_withdraw(actor=request.user, interest=interest)
                messages.success(request, "Your interest has been withdrawn.")
                return redirect("pipeline:interest_detail", pk=pk)
        except ApplicationError as error:
            target = decline_form if action == "decline" else reply_form
            target.add_error(None, error.message)
    from django.utils import timezone

    return _page(
        request,
        "interest_detail.html",
        {
            "interest": interest,
            "item": interest.item,
            "is_owner": is_owner,
            "awaiting": freshness.awaiting_response(interest, timezone.localdate()),
            "conversation": selectors.conversation(interest),
            "reply_form": reply_form,
            "decline_form": decline_form,
        },
    )


@login_required
@require_GET
def interest_list(request: HttpRequest) -> HttpResponse:
    """Interest sent and received by the person's organisations, with its state."""
    return _page(request, "interest_list.html", selectors.interests_for_person(request.user))


@login_required
@require_POST
def item_confirm_current(request: HttpRequest, slug: str) -> HttpResponse:
    item = access_item_for_user(request.user, slug, write=True)
    try:
        freshness.item_confirm_current(actor=request.user, item=item)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Thank you. The next review is due by {item.review_by:%-d %B %Y}."
        )
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def item_archive(request: HttpRequest, slug: str) -> HttpResponse:
    item = access_item_for_owner(request.user, slug)
    try:
        if request.POST.get("restore"):
            freshness.item_restore(actor=request.user, item=item)
            messages.success(request, "The item has been restored.")
        else:
            freshness.item_archive(actor=request.user, item=item)
            messages.success(request, "The item has been archived. You can restore it at any time.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(item.get_absolute_url())


urlpatterns = [
    path("interest/", interest_list, name="interest_list"),
    path("interest/<int:pk>/", interest_detail, name="interest_detail"),
    path("<slug:slug>/interest/", interest_new, name="interest_new"),
    path("<slug:slug>/confirm-current/", item_confirm_current, name="item_confirm_current"),
    path("<slug:slug>/archive/", item_archive, name="item_archive"),
]
