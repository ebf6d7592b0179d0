"""API views for this app, registered on the v1 router by `register`."""

from rest_framework.routers import DefaultRouter

urlpatterns: list = []


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the v1 router."""
