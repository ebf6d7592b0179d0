"""Accounts pages, split by area: sign-in and passwords, profile and tokens, two-factor,
organisation members, and the programme team's people page.

`placeholder` stays here for other apps' routes that are not built yet; `lockout_response` is
the page django-axes shows after too many failed sign-ins (settings.AXES_LOCKOUT_CALLABLE).
"""

from django.http import HttpRequest, HttpResponse

from localdigital.accounts.views.auth import lockout_response

__all__ = ["lockout_response", "placeholder"]


def placeholder(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("Not built yet", status=501)
