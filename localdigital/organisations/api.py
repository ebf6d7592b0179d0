"""API views for this app, registered on the v1 router by `register`."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter
from rest_framework.serializers import BaseSerializer

from localdigital.core.cache import public_page_cache
from localdigital.organisations import selectors
from localdigital.organisations.filters import OrganisationFilter
from localdigital.organisations.models import Organisation
from localdigital.organisations.serializers import (
    OrganisationDetailSerializer,
    OrganisationSerializer,
)

urlpatterns: list = []


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description=(
            "Every UK council and the other organisations in the Hub. Current organisations "
            "only unless `status` says otherwise. With `q`, results come best match first; "
            "otherwise in name order."
        ),
    ),
    retrieve=extend_schema(
        summary="Get one organisation",
        description=(
            "One organisation with its codes, tier relations and reorganisations. Related "
            "organisations are given as codes."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=(
                    "The mySociety code (like HCK, any letter case) or, for other "
                    "organisations, the Hub code. A current or former GSS code also works."
                ),
            )
        ],
    ),
)
@method_decorator(public_page_cache, name="dispatch")
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only and public: the directory is open data."""

    permission_classes = [AllowAny]
    filterset_class = OrganisationFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Organisation]:
        if self.action == "retrieve":
            return selectors.organisation_detail_queryset()
        return Organisation.objects.order_by("short_name", "code")

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSerializer

    def get_object(self) -> Organisation:
        # Not through the list filters: a former council is still found by its code.
        lookup = selectors.organisation_lookup(self.kwargs["code"], self.get_queryset())
        if lookup is None:
            raise Http404("No such organisation")
        return lookup.organisation


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the v1 router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
