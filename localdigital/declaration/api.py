"""Declaration API: public reads (api_public.py) and the signatories' writes (this module)."""

from rest_framework.routers import DefaultRouter

from localdigital.declaration import api_public

urlpatterns: list = [*api_public.urlpatterns]


def register(router: DefaultRouter) -> None:
    """Add the Declaration's viewsets to the v1 router."""
    api_public.register(router)
