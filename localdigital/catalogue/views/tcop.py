"""TCoP profile pages: the owner answers and declares, another organisation reviews, programme
staff assure; any declared profile (current or past) can be read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.catalogue import forms, selectors
from localdigital.catalogue.services import tcop as services
from localdigital.catalogue.views.assets import page
from localdigital.core.access import access_asset_for_user, access_tcop_profile_for_user
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error


@login_required
@require_POST
def profile_start(request: HttpRequest, slug: str) -> HttpResponse:
    asset = access_asset_for_user(request.user, slug, write=True)
    try:
        profile = services.profile_start(actor=request.user, asset=asset)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(asset.get_absolute_url() + "#tcop")
    return redirect("catalogue:tcop_edit", slug=asset.slug, pk=profile.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The owner's answers to the 13 points; saving keeps a draft, declaring publishes it."""
    asset = access_asset_for_user(request.user, slug, write=True)
    profile = access_tcop_profile_for_user(request.user, asset, pk, action="edit")
    claims = selectors.profile_claims(profile)
    form = forms.TcopClaimsForm(request.POST if request.method == "POST" else None, claims=claims)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save_claims(
                actor=request.user, profile=profile, answers=form.answers()
            )
            if "declare" in request.POST:
                services.profile_declare(actor=request.user, profile=profile)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if "declare" in request.POST:
                messages.success(
                    request,
                    "The profile is declared: it shows as self-declared until another "
                    "organisation reviews it.",
                )
                return redirect(asset.get_absolute_url() + "#tcop")
            messages.success(request, "Your answers are saved as a draft.")
            return redirect("catalogue:tcop_edit", slug=asset.slug, pk=profile.pk)
    return page(request, "tcop_form.html", {"asset": asset, "profile": profile, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A member of another organisation confirms or challenges every point."""
    asset = access_asset_for_user(request.user, slug)
    profile = access_tcop_profile_for_user(request.user, asset, pk, action="review")
    claims = selectors.profile_claims(profile)
    form = forms.TcopReviewForm(request.POST if request.method == "POST" else None, claims=claims)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_review(actor=request.user, profile=profile, reviews=form.reviews())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Thank you: your peer review is recorded.")
            return redirect(asset.get_absolute_url() + "#tcop")
    return page(request, "tcop_review.html", {"asset": asset, "profile": profile, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile_assure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Programme staff (always signed in with two factors) sign off a peer-reviewed profile."""
    asset = access_asset_for_user(request.user, slug)
    profile = access_tcop_profile_for_user(request.user, asset, pk, action="assure")
    claims = selectors.profile_claims(profile)
    form = forms.TcopAssureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_assure(
                actor=request.user, profile=profile, comment=form.cleaned_data["comment"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The profile is assured.")
            return redirect(asset.get_absolute_url() + "#tcop")
    return page(
        request,
        "tcop_assure.html",
        {
            "asset": asset,
            "profile": profile,
            "claims": claims,
            "form": form,
            "tier": services.tier_of(profile, timezone.localdate(), claims),
        },
    )


@require_GET
def profile_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One profile, current or past, point by point."""
    asset = access_asset_for_user(request.user, slug)
    profile = access_tcop_profile_for_user(request.user, asset, pk)
    claims = selectors.profile_claims(profile)
    return page(
        request,
        "tcop_detail.html",
        {
            "asset": asset,
            "profile": profile,
            "claims": claims,
            "tier": services.tier_of(profile, timezone.localdate(), claims),
        },
    )


urlpatterns = [
    path("<slug:slug>/tcop/new/", profile_start, name="tcop_start"),
    path("<slug:slug>/tcop/<int:pk>/", profile_detail, name="tcop_detail"),
    path("<slug:slug>/tcop/<int:pk>/edit/", profile_edit, name="tcop_edit"),
    path("<slug:slug>/tcop/<int:pk>/review/", profile_review, name="tcop_review"),
    path("<slug:slug>/tcop/<int:pk>/assure/", profile_assure, name="tcop_assure"),
]
