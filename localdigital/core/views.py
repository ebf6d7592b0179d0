"""The start page, the service's static pages, health check and GOV.UK error pages."""

import sys

from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from localdigital.core import selectors
from localdigital.core.cache import public_page_cache
from localdigital.core.middleware import RETRY_AFTER_SECONDS
from localdigital.pipeline.selectors.activity import recent_activity


@require_GET
@public_page_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"figures": selectors.home_figures(), "activity": recent_activity(request.user)},
    )


def static_page(template: str, nav_section: str = ""):  # noqa: ANN201 - a view factory
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template, {"nav_section": nav_section})

    view.__name__ = template.replace("/", "_").replace(".html", "")
    return view


# Outside ATOMIC_REQUESTS: opening the request's transaction would fail before the check runs.
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database reachable, 503 when it is not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: the failure may be in what that context needs.
    # A database outage met before any view ran (loading the session, say) is still an outage.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = render(None, "errors/503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(None, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"csrf": True}, status=403)
