"""Estate pages: sector intelligence. Routes are listed in `urlpatterns` and collected by
estate/urls.py."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def index(request: HttpRequest) -> HttpResponse:
    """The estate's front page (placeholder until the sector pages land)."""
    raise Http404


def function(request: HttpRequest, key: str) -> HttpResponse:
    """A function's market share (placeholder until the sector pages land)."""
    raise Http404


def product(request: HttpRequest, slug: str) -> HttpResponse:
    """A product's page (placeholder until the sector pages land)."""
    raise Http404


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("functions/<slug:key>/", function, name="function"),
    path("products/<slug:slug>/", product, name="product"),
]
