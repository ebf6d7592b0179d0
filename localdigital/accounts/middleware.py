"""Two-factor enforcement: programme staff, organisation admins, people with a cyber role and
cyber assurers must verify with TOTP.

So must anyone who chose to set up an authenticator: once it is on, it is always asked for.
"""

from collections.abc import Callable
from urllib.parse import quote

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in person who still owes a second factor may visit.
EXEMPT_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/", "/static/", "/healthz")


def requires_two_factor(user) -> bool:  # noqa: ANN001 - any user object
    """Whether this person must use a second factor: privileged roles, or a device they set up.

    One query at most, whatever the answer, so pages keep a fixed query count.
    """
    if not (user and user.is_authenticated):
        return False
    if user.is_programme_staff or user.is_staff or user.is_superuser:
        return True
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from localdigital.accounts.models import User
    from localdigital.cyber.models import CyberRole, Cycle
    from localdigital.organisations.models import Membership

    admin_of_something = Membership.objects.filter(
        user=OuterRef("pk"), role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    )
    has_authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    cyber_role = CyberRole.objects.filter(user=OuterRef("pk"))
    assurer = Cycle.objects.filter(assurer=OuterRef("pk"))
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(admin_of_something)
            | Exists(has_authenticator)
            | Exists(cyber_role)
            | Exists(assurer)
        )
        .exists()
    )


def two_factor_url(next_path: str) -> str:
    return f"{reverse('accounts:two_factor')}?next={quote(next_path, safe='/')}"


class RequireTwoFactorMiddleware:
    """Send privileged people who signed in with a password only to set up or enter TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.path.startswith("/api/")
            and not user.is_verified()
            and requires_two_factor(user)
        ):
            return redirect(two_factor_url(request.get_full_path()))
        return self.get_response(request)
