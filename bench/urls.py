"""The Hub's routes plus the floor: the cheapest page the same server can send."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as hub_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

MAX_FLOOR_BYTES = 5_000_000
FILLER = b"<p>Local Digital Hub benchmark floor.</p>\n"


@transaction.non_atomic_requests
@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    """An HTML page of `bytes` bytes through the same middleware, with no database and no
    template: what any page here costs before it does its own work."""
    try:
        size = max(0, min(int(request.GET.get("bytes", "0")), MAX_FLOOR_BYTES))
    except ValueError:
        size = 0
    body = (FILLER * (size // len(FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("_bench/floor", floor, name="bench_floor"), *hub_urls]
