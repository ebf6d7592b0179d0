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
