"""The estate's REST API routes. `register` adds viewsets to the shared router; `urlpatterns`
holds the plain views."""

from django.urls import URLPattern
from rest_framework.routers import DefaultRouter

urlpatterns: list[URLPattern] = []


def register(router: DefaultRouter) -> None:
    """Add the estate's viewsets to the API router."""
