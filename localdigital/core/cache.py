"""A cache for public pages seen by visitors who are not signed in.

Public pages (the start page, the directory, council pages, public API lists) are the same for
every visitor without a session, and they change only when someone writes through a service. Every
such write records an audit event, so the newest audit event's id is a version for all of the
Hub's public data: cached pages are keyed by it and are never served after a write. A time limit
covers the rare write that is not audited (the Django admin, say). ADR 0007 explains.

Nothing is cached for signed-in people, API token users, anyone with a session or pending
message, or for any response that sets a cookie or is not a 200.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse

from localdigital.audit.models import AuditEvent

CACHE_SECONDS = 300
CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
MESSAGES_COOKIE = "messages"


def data_version() -> int:
    """The newest audit event's id: it changes whenever public data may have changed."""
    return AuditEvent.objects.aggregate(version=Max("id"))["version"] or 0


def _is_stateless_visitor(request: HttpRequest) -> bool:
    """A request that can only ever see the public version of a page."""
    return (
        request.method in CACHEABLE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _key(request: HttpRequest, version: int) -> str:
    # The Accept header picks between the API's JSON and browsable renderings.
    raw = f"{request.get_full_path()}|{request.META.get('HTTP_ACCEPT', '')}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"public-page:{version}:{digest}"


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "no-store" not in response.get("Cache-Control", "")
    )


def _plain_copy(response: HttpResponse) -> HttpResponse:
    """Just the bytes and headers: an API response also carries its data, which would be
    pickled and unpickled on every hit for nothing."""
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.headers.items():
        copy[header] = value
    return copy


def public_page_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a view's public rendering from the cache for visitors with no session."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.HUB_PAGE_CACHE or not _is_stateless_visitor(request):
            return view(request, *args, **kwargs)
        key = _key(request, data_version())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Hub-Cache"] = "hit"
            return cached
        response = view(request, *args, **kwargs)

        def store(rendered: HttpResponse) -> None:
            if _storable(rendered):
                cache.set(key, _plain_copy(rendered), CACHE_SECONDS)

        if hasattr(response, "render") and not response.is_rendered:
            response.add_post_render_callback(store)
        else:
            store(response)
        response["X-Hub-Cache"] = "miss"
        return response

    return wrapped
