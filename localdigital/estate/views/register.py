"""Estate pages: a council's register. Routes are listed in `urlpatterns` and collected by
estate/urls.py."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def register(request: HttpRequest, code: str) -> HttpResponse:
    """A council's register (placeholder until the register pages land)."""
    raise Http404


urlpatterns: list[URLPattern] = [
    path("councils/<str:code>/", register, name="register"),
]
