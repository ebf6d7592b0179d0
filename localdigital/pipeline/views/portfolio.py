"""Pipeline pages: portfolio."""

from django.urls import path  # noqa: F401

urlpatterns: list = []


def organisation_section(request, organisation):  # type: ignore[no-untyped-def]
    """The council page's Pipeline section (placeholder until the portfolio lands)."""
    return None
