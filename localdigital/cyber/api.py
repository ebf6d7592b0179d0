"""The cyber API: a council's CAF assessments with their answers and plan, the sector benchmark
and the sector's offline-backup figure.

Assessments are confidential. The list holds the assessments of the councils where the person
(by token or session) is an active member with a cyber role. One assessment, its answers and its
plan are read through the same access helper as the pages: the council's cyber people, the
cycle's assurer and programme staff, whose reads from outside the council are audited; anyone
else gets 404. The benchmark is for programme staff and the cyber people of participating
councils, with the pages' suppression below 5 councils. The offline-backup figure is public.
Reads only: answers are written through the pages. As on the pages, a browser session of
someone who must use two-factor authentication (a cyber role, an assurer, programme staff) is
refused with 403 until it has passed it; a token acts as its owner.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from localdigital.accounts.api import SessionNeedsTwoFactor
from localdigital.core.access import is_programme_staff
from localdigital.core.cache import public_page_cache
from localdigital.cyber.access import access_assessment_for_user, cyber_organisation_ids
from localdigital.cyber.models import Assessment, OutcomeAnswer, PlanAction
from localdigital.cyber.selectors.benchmark import BenchmarkFilters, sector_benchmark
from localdigital.cyber.selectors.readiness import offline_backup_share
from localdigital.cyber.serializers import (
    AssessmentDetailSerializer,
    AssessmentSerializer,
    BenchmarkQuerySerializer,
    BenchmarkSerializer,
    OfflineBackupShareSerializer,
    PlanActionSerializer,
)

BENCHMARK_NOT_ALLOWED = (
    "Only programme staff and the cyber people of participating councils can read the benchmark"
)
NOT_FOUND = OpenApiResponse(description="No such assessment, or you may not read it (404 for both)")


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Your councils' CAF assessments, newest cycle first: for people with a cyber role at the
    council. One assessment comes with every outcome answer."""

    permission_classes = [permissions.IsAuthenticated, SessionNeedsTwoFactor]
    filter_backends: list[Any] = []
    queryset = Assessment.objects.none()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return AssessmentDetailSerializer
        if self.action == "plan":
            return PlanActionSerializer
        return AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            Assessment.objects.filter(
                cycle__organisation_id__in=cyber_organisation_ids(self.request.user)
            )
            .select_related("cycle__organisation", "cycle__framework")
            .order_by(
                "-cycle__year", "cycle__organisation__short_name", "kind", "system_name", "pk"
            )
        )

    def _assessment(self) -> Assessment:
        # The access helper lets the assurer and programme staff read too, and audits it.
        return access_assessment_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(responses={200: AssessmentDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self._assessment()
        answers = list(
            OutcomeAnswer.objects.filter(assessment=assessment)
            .select_related("node", "level", "suggested_level")
            .order_by("node__position", "pk")
        )
        assessment._prefetched_objects_cache = {"answers": answers}  # type: ignore[attr-defined]
        return Response(self.get_serializer(assessment).data)

    @extend_schema(responses={200: PlanActionSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="plan")
    def plan(self, request: Request, pk: str) -> Response:
        """The assessment's Improvement and Implementation Plan actions, by target date."""
        assessment = self._assessment()
        actions = (
            PlanAction.objects.filter(assessment=assessment)
            .select_related("answer__node")
            .order_by("target_date", "pk")
        )
        page = self.paginate_queryset(actions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class BenchmarkView(APIView):
    """The sector's shares of councils at each level, per CAF outcome and objective, counting
    assured assessments (or, with `include_approved`, approved and later), on one CAF version
    (`version`, the year's newest counted one if omitted). Each council counts once per outcome,
    at its lowest level across its assessments; judgements the assurer disagreed with are left
    out. Any row of fewer than 5 councils within the filters is suppressed: `councils` is null
    and `shares` empty. For programme staff and people with a cyber role at a council."""

    permission_classes = [permissions.IsAuthenticated, SessionNeedsTwoFactor]

    @extend_schema(
        parameters=[BenchmarkQuerySerializer],
        responses={
            200: BenchmarkSerializer,
            403: OpenApiResponse(description=BENCHMARK_NOT_ALLOWED),
        },
    )
    def get(self, request: Request) -> Response:
        if not (is_programme_staff(request.user) or cyber_organisation_ids(request.user)):
            raise PermissionDenied(BENCHMARK_NOT_ALLOWED)
        query = BenchmarkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = BenchmarkFilters(
            year=query.validated_data.get("year"),
            council_type=query.validated_data["council_type"],
            region=query.validated_data["region"],
            include_approved=query.validated_data["include_approved"],
            version=query.validated_data["version"],
        )
        return Response(BenchmarkSerializer(sector_benchmark(filters)).data)


@method_decorator(public_page_cache, name="dispatch")
class OfflineBackupsView(APIView):
    """The share of councils with offline or immutable backups of critical data, from the
    ransomware readiness questionnaire: of the councils that answered in their latest cycle (or
    in the cycle of `year`), those that answered yes. Suppressed below 5 councils. Public."""

    # Public, but a browser session that must pass two-factor is refused until it has, as the
    # pages redirect it.
    permission_classes = [permissions.AllowAny, SessionNeedsTwoFactor]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="A cycle year (2026 is 2026/27); the latest if omitted"
            )
        ],
        responses={200: OfflineBackupShareSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and len(raw) == 4 else None
        return Response(OfflineBackupShareSerializer(offline_backup_share(year)).data)


def register(router: DefaultRouter) -> None:
    """Add the cyber viewsets to the API router."""
    router.register("cyber/assessments", AssessmentViewSet, basename="cyber-assessment")


urlpatterns: list[URLPattern] = [
    path("cyber/benchmark/", BenchmarkView.as_view(), name="cyber-benchmark"),
    path(
        "cyber/readiness/offline-backups/",
        OfflineBackupsView.as_view(),
        name="cyber-offline-backups",
    ),
]
