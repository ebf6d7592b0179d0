"""Public, read-only Declaration API: signatories and commitments (public fields only).

Routes: `signatories` (basename `declaration-signatory`) and `commitments` (basename
`declaration-commitment`), GET only. The writes (signing, commitment creation and changes) are
in api.py under their own paths; a viewset that adds writes to `commitments` can extend
`CommitmentReadViewSet` and be registered in its place.
"""

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from localdigital.core.cache import public_page_cache
from localdigital.declaration import selectors
from localdigital.declaration.filters import SignatoryFilter
from localdigital.declaration.models import Commitment, Principle
from localdigital.declaration.serializers_public import (
    PublicCommitmentSerializer,
    SignatorySerializer,
)
from localdigital.organisations.models import Organisation

urlpatterns: list = []


@extend_schema_view(
    list=extend_schema(
        summary="List Declaration signatories",
        description=(
            "Every organisation with an active signing of the Local Digital Declaration, with "
            "the same search and filters as the register page. Current organisations only "
            "unless `former` is true. Published under the Open Government Licence v3.0."
        ),
    ),
    retrieve=extend_schema(
        summary="Get one Declaration signatory",
        description="One organisation's active signing. 404 when it has none.",
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The organisation's code, like HCK.",
            )
        ],
    ),
)
@method_decorator(public_page_cache, name="dispatch")
class SignatoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only and public: the register is open data."""

    permission_classes = [AllowAny]
    serializer_class = SignatorySerializer
    filterset_class = SignatoryFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.signatory_list()

    def get_object(self) -> Organisation:
        # Not through the list filters: a former council's signing is still found by its code.
        organisation = selectors.signatory_get(self.kwargs["code"])
        if organisation is None:
            raise Http404("No such signatory")
        return organisation


class CommitmentFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__code", label="Code of the organisation that made it, like HCK"
    )
    year = django_filters.NumberFilter(label="The year the commitment starts")
    principle = django_filters.ModelChoiceFilter(
        field_name="principles",
        to_field_name="key",
        queryset=Principle.objects.all(),
        label="Key of a principle it advances, like user-needs",
    )
    progress = django_filters.ChoiceFilter(
        choices=[(value, label) for value, label in Commitment.Progress.choices if value],
        label="Progress reported at the year's end",
    )

    class Meta:
        model = Commitment
        fields = ["organisation", "year", "principle", "progress"]


@extend_schema_view(
    list=extend_schema(
        summary="List Declaration commitments",
        description=(
            "Signatories' yearly commitments with their public fields, newest year first. "
            "Partners that declined being named are left out."
        ),
    ),
    retrieve=extend_schema(summary="Get one Declaration commitment"),
)
@method_decorator(public_page_cache, name="dispatch")
class CommitmentReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only and public: commitments are published by the organisations that make them."""

    permission_classes = [AllowAny]
    serializer_class = PublicCommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self) -> QuerySet[Commitment]:
        return selectors.commitment_public_queryset().order_by("-year", "title", "pk")


def register(router: DefaultRouter) -> None:
    """Add the public Declaration viewsets to the v1 router."""
    router.register("signatories", SignatoryViewSet, basename="declaration-signatory")
    router.register("commitments", CommitmentReadViewSet, basename="declaration-commitment")
