"""The person's own account: profile, joining organisations, personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from localdigital.accounts import forms, selectors, services
from localdigital.accounts.views.auth import _page
from localdigital.core.access import access_api_token_for_user
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Membership, Organisation

TOKEN_SESSION_KEY = "accounts_new_api_token"  # noqa: S105 - a session key name


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = list(selectors.memberships_for_user(user))
    suggestion = None
    if user.is_email_verified:
        suggestion = selectors.organisation_for_email(user.email)
        if suggestion is not None and any(
            m.organisation_id == suggestion.pk
            and m.status in (Membership.Status.ACTIVE, Membership.Status.PENDING)
            for m in memberships
        ):
            suggestion = None
    return _page(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "suggestion": suggestion,
            "api_tokens": selectors.api_tokens_for_user(user),
            "two_factor": selectors.two_factor_status(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "job_title": user.job_title}
    form = forms.ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            actor=user,
            full_name=form.cleaned_data["full_name"],
            job_title=form.cleaned_data["job_title"],
        )
        messages.success(request, "Your details have been saved")
        return redirect("accounts:profile")
    return _page(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Ask to join an organisation: the one the email domain suggests, or any current one."""
    user = request.user
    if not user.is_email_verified:
        return redirect("accounts:check_email")
    search = forms.JoinSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        # Validate against every organisation the person may join: the suggestion's button
        # posts a code that a narrowed search list may not hold.
        joinable = selectors.organisations_to_join(user)
        form = forms.JoinForm(request.POST, choices=[(o.code, o.short_name) for o in joinable])
        if form.is_valid():
            organisation = Organisation.objects.get(code=form.cleaned_data["organisation"])
            try:
                membership = services.membership_request(
                    actor=user, organisation=organisation, note=form.cleaned_data["note"]
                )
            except ApplicationError as error:
                form.add_error("organisation", error.message)
            else:
                if membership.status == Membership.Status.ACTIVE:
                    messages.success(request, f"You have joined {organisation.short_name}")
                else:
                    messages.success(
                        request,
                        f"You have asked to join {organisation.short_name}. "
                        "We will tell you when an admin has decided",
                    )
                return redirect("accounts:profile")
    else:
        narrowed = selectors.organisations_to_join(user, query)
        form = forms.JoinForm(choices=[(o.code, o.short_name) for o in narrowed])
    suggestion = selectors.organisation_for_email(user.email)
    if (
        suggestion is not None
        and not selectors.organisations_to_join(user).filter(pk=suggestion.pk).exists()
    ):
        suggestion = None
    return _page(
        request,
        "accounts/join.html",
        {"form": form, "search": search, "query": query, "suggestion": suggestion},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    form = forms.ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        # Shown once on the next page, then gone: the session is the only other copy.
        request.session[TOKEN_SESSION_KEY] = {"id": token.pk, "raw": raw}
        return redirect("accounts:token_created")
    return _page(request, "accounts/token_create.html", {"form": form})


@login_required
def token_created(request: HttpRequest) -> HttpResponse:
    data = request.session.pop(TOKEN_SESSION_KEY, None)
    if not data:
        return redirect("accounts:profile")
    token = access_api_token_for_user(request.user, data["id"])
    return _page(request, "accounts/token_created.html", {"token": token, "raw": data["raw"]})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access_api_token_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=request.user, token=token)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The token {token.name} has been revoked")
        return redirect("accounts:profile")
    return _page(request, "accounts/token_revoke.html", {"token": token})
