"""Two-factor authentication: set up an authenticator app, or enter a code from it."""

import base64
from xml.etree import ElementTree

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import forms, services
from localdigital.accounts.views.auth import _page, safe_next
from localdigital.core.exceptions import ApplicationError

BACKUP_CODES_SESSION_KEY = "accounts_backup_codes"


def qr_code_svg(text: str) -> SafeString:
    """An inline SVG QR code made on the server: no script, no data: URL, no style attribute."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    svg = image.get_image()
    svg.set("role", "img")
    svg.set("aria-label", "QR code to scan with your authenticator app")
    svg.set("class", "app-qr-code")
    svg.set("width", "200")
    svg.set("height", "200")
    # The markup is built by the qrcode library from the otpauth URL, not from page input.
    return mark_safe(ElementTree.tostring(svg, encoding="unicode"))  # noqa: S308


def grouped_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a code (if an authenticator is set up), otherwise set one up."""
    user = request.user
    target = safe_next(request, reverse("accounts:profile"))
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device and user.is_verified():
        return redirect(target)
    if has_device:
        form = forms.CodeForm(request.POST if request.method == "POST" else None, allow_backup=True)
        if request.method == "POST" and form.is_valid():
            device = services.two_factor_verify(actor=user, code=form.cleaned_data["code"])
            if device is not None:
                django_otp.login(request, device)
                return redirect(target)
            form.add_error("code", services.CODE_WRONG)
        return _page(request, "accounts/two_factor_verify.html", {"form": form, "next": target})

    device = services.two_factor_device_for_setup(actor=user)
    form = forms.CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                actor=user, device=device, code=form.cleaned_data["code"]
            )
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = {"codes": codes, "next": target}
            return redirect("accounts:backup_codes")
    return _page(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": target,
            "qr_svg": qr_code_svg(device.config_url),
            "secret": grouped_secret(device),
        },
    )


@never_cache
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes, shown once straight after set-up."""
    data = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not data:
        return redirect("accounts:profile")
    messages.success(request, "Two-factor authentication is set up")
    return _page(
        request,
        "accounts/backup_codes.html",
        {"codes": data["codes"], "next": data.get("next") or reverse("accounts:profile")},
    )
