"""Turn a database outage into the GOV.UK "service unavailable" page instead of a 500."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Long enough for a database restart or fail-over, short enough that people come back soon.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with the "Sorry, the service is unavailable" page when the database is down.

    A lost connection is an outage, not a bug: the page tells people their information is safe
    and load balancers and crawlers see a status that means "try again later".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
        # Rendered without the request: the signed-in person and messages need the database.
        response = render(None, "errors/503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SQLiteReadTransactionMiddleware:
    """On SQLite, let requests that only read start DEFERRED transactions.

    Writes use IMMEDIATE transactions (settings) so a transaction that reads and then writes can
    never deadlock on the lock upgrade. With ATOMIC_REQUESTS every request is a transaction, so
    IMMEDIATE alone would make every page view take the write lock and queue behind the others.
    Reads need no write lock: with WAL they see a consistent snapshot. ADR 0007 explains.
    PostgreSQL is untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        if connection.vendor != "sqlite" or request.method not in SAFE_METHODS:
            return self.get_response(request)
        # The mode is read from settings when the connection opens, so open it first.
        connection.ensure_connection()
        configured = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            return self.get_response(request)
        finally:
            connection.transaction_mode = configured
