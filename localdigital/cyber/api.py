"""The cyber API routes. `register` adds viewsets to the shared router; `urlpatterns` holds the
plain views."""

from django.urls import URLPattern
from rest_framework.routers import DefaultRouter

urlpatterns: list[URLPattern] = []


def register(router: DefaultRouter) -> None:
    """Add the cyber viewsets to the API router."""
