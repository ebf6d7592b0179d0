"""Two-factor enforcement: programme staff and organisation admins must verify with TOTP."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in person who still owes a second factor may visit.
EXEMPT_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/", "/static/", "/healthz")


def requires_two_factor(user) -> bool:  # noqa: ANN001 - any user object
    """Whether this person must use a second factor: privileged global or council roles."""
    if not (user and user.is_authenticated):
        return False
    if user.is_programme_staff or user.is_staff or user.is_superuser:
        return True
    from localdigital.organisations.models import Membership

    return Membership.objects.filter(
        user=user, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    ).exists()


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
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
