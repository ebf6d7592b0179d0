"""Public, read-only Declaration API: signatories and commitments (public fields only)."""

from rest_framework.routers import DefaultRouter

urlpatterns: list = []


def register(router: DefaultRouter) -> None:
    """Add the public Declaration viewsets to the v1 router."""
