"""A cache for public pages seen by visitors who are not signed in.

Public pages (the start page, the directory, council pages, public API lists) are the same for
every visitor without a session, and they change only when someone writes through a service. Every
such write records an audit event, so the newest audit event's id is a version for all of the
Hub's public data: cached pages are keyed by it and are never served after a write. A time limit
covers the rare write that is not audited (the Django admin, say). ADR 0007 explains.

Nothing is cached for signed-in people, API token users, anyone with a session or pending
message, or for any response that sets a cookie or is not a 200.

`private_page_cache` is the signed-in counterpart for a few heavy private pages (the cyber task
list, outcome page and benchmarks): each session gets back only its own rendering, keyed by the
same data version and the person's unread notification count, and a rendering that wrote to the
audit log (a read from outside the council is audited) is never stored, so every such read is
audited. ADR 0013 explains.
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


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def _key(request: HttpRequest, version: int) -> str:
    # The Accept header picks between the API's JSON and browsable renderings.
    digest = _digest(request.get_full_path(), request.META.get("HTTP_ACCEPT", ""))
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


def _render_and_keep(response: Any, key: str, *, unless: Callable[[], bool] = lambda: False) -> Any:
    """Mark a freshly made response as a miss and keep its bytes under `key` once rendered, if
    it may be stored and `unless()` does not say otherwise."""

    def store(rendered: HttpResponse) -> None:
        if _storable(rendered) and not unless():
            cache.set(key, _plain_copy(rendered), CACHE_SECONDS)

    if hasattr(response, "render") and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)
    response["X-Hub-Cache"] = "miss"
    return response


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
        return _render_and_keep(view(request, *args, **kwargs), key)

    return wrapped


def _is_plain_signed_in_request(request: HttpRequest) -> bool:
    """A signed-in browser GET with a session and a CSRF cookie and no message waiting: one that
    an earlier rendering for the same session can answer."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return (
        request.method in CACHEABLE_METHODS
        and user is not None
        and user.is_authenticated
        and session is not None
        and bool(session.session_key)
        and settings.CSRF_COOKIE_NAME in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "_messages" not in session
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _private_key(request: HttpRequest, version: int, unread: int) -> str:
    """Per session (so per person), per CSRF secret (the page's forms carry a token for it), per
    address and format, and per unread notification count (the navigation shows it, and reading
    a notification is not audited)."""
    digest = _digest(
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        unread,
    )
    return f"private-page:{request.user.pk}:{version}:{digest}"


def private_page_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a signed-in person's own earlier rendering of a page while the Hub's data is
    unchanged. Put it inside `login_required`; the view's access checks run on every miss, and
    every write that could change what the person may see is audited, which changes the key."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.HUB_PAGE_CACHE or not _is_plain_signed_in_request(request):
            return view(request, *args, **kwargs)
        from localdigital.notifications.selectors import notification_unread_count

        version = data_version()
        key = _private_key(request, version, notification_unread_count(user=request.user))
        cached = cache.get(key)
        if cached is not None:
            cached["X-Hub-Cache"] = "hit"
            return cached
        # A rendering that wrote an audit event (an audited read) is never reused: the next read
        # must run the view, and be audited, again.
        return _render_and_keep(
            view(request, *args, **kwargs), key, unless=lambda: data_version() != version
        )

    return wrapped
