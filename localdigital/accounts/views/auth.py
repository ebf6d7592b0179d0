"""Sign up, confirm an email address, sign in and out, reset and change a password."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from localdigital.accounts import forms, services, tokens
from localdigital.accounts.middleware import requires_two_factor, two_factor_url
from localdigital.core.exceptions import ApplicationError

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter if it points inside the Hub, otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _page(request: HttpRequest, template: str, context: dict[str, Any], **kw: Any) -> HttpResponse:
    form = context.get("form")
    context.setdefault("has_errors", bool(form is not None and form.is_bound and form.errors))
    context.setdefault("nav_section", "accounts")
    return render(request, template, context, **kw)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = forms.SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_sign_up(
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return redirect("accounts:check_email")
    return _page(request, "accounts/sign_up.html", {"form": form, "nav_section": "sign_in"})


@login_required
def check_email(request: HttpRequest) -> HttpResponse:
    if request.user.is_email_verified:
        return redirect("accounts:join")
    return _page(request, "accounts/check_email.html", {})


@require_POST
@login_required
def verify_resend(request: HttpRequest) -> HttpResponse:
    services.user_verification_resend(actor=request.user)
    messages.success(request, f"We have sent a new link to {request.user.email}")
    return redirect("accounts:check_email")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email. Following it confirms the address."""
    try:
        user = services.user_verify_email(token=token)
    except ApplicationError as error:
        return _page(request, "accounts/verify_failed.html", {"message": error.message}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, "Your email address is confirmed")
        return redirect("accounts:join")
    return _page(request, "accounts/verified.html", {"email": user.email})


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("accounts:profile")))
    form = forms.SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # `request` lets django-axes count failures per email address and IP address.
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error("email", forms.SIGN_IN_FAILED)
        else:
            login(request, user)
            target = safe_next(request, reverse("accounts:profile"))
            if requires_two_factor(user):
                return redirect(two_factor_url(target))
            return redirect(target)
    return _page(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": safe_next(request, ""), "nav_section": "sign_in"},
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """A page with a button, so signing out works without JavaScript; the POST signs out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have signed out")
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect("core:home")
    return _page(request, "accounts/sign_out.html", {})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account, so nobody can probe.
        services.user_password_reset_request(email=form.cleaned_data["email"])
        request.session["password_reset_email"] = form.cleaned_data["email"]
        return redirect("accounts:password_reset_sent")
    return _page(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("password_reset_email", "")
    return _page(request, "accounts/password_reset_sent.html", {"email": email})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = tokens.password_reset_user(uidb64, token)
    if user is None:
        return _page(request, "accounts/password_reset_invalid.html", {}, status=400)
    form = forms.PasswordResetForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_password_set(
            actor=user, password=form.cleaned_data["password1"], reason="reset"
        )
        if request.user.is_authenticated:
            logout(request)
        messages.success(request, "Your password has been reset. Sign in with your new password")
        return redirect("accounts:sign_in")
    return _page(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.user_password_set(actor=request.user, password=form.cleaned_data["password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password has been changed")
        return redirect("accounts:profile")
    return _page(request, "accounts/password_change.html", {"form": form})


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes calls this after too many failed sign-ins: a GOV.UK page, status 429."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return _page(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "nav_section": "sign_in"},
        status=429,
    )
