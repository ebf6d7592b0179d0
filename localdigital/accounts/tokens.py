"""Signed links sent by email: confirming an email address and resetting a password.

Neither link is stored: the verification link is a signature over the person's id and current
email address (so changing the address voids old links), and the password reset link uses
Django's token generator, which is void once the password changes.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from localdigital.accounts.models import User

VERIFY_SALT = "localdigital.accounts.verify-email"


class LinkExpired(Exception):
    """The link was genuine but is older than the allowed age."""


class LinkInvalid(Exception):
    """The link was altered, or was never ours."""


def email_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


def email_verification_read(token: str) -> tuple[int, str]:
    """The (user id, email) a verification token was made for."""
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=settings.HUB_EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or "u" not in data or "e" not in data:
        raise LinkInvalid
    return int(data["u"]), str(data["e"])


def email_verification_url(user: User) -> str:
    path = reverse("accounts:verify_email", kwargs={"token": email_verification_token(user)})
    return f"{settings.SITE_URL}{path}"


def password_reset_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def password_reset_user(uidb64: str, token: str) -> User | None:
    """The person a password reset link belongs to, or None if the link is not valid now."""
    try:
        pk: Any = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not default_token_generator.check_token(user, token):
        return None
    return user
