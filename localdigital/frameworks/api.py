"""Public, read-only frameworks API.

Routes: `frameworks/` lists every framework version with its node tree and levels (paginated,
filtered by `id` and `kind`); `frameworks/<id>/<version>/` is one version with its tree, the
indicators under each level, and its profiles; `frameworks/<id>/` is the newest version.
"""

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from localdigital.core.cache import public_page_cache
from localdigital.frameworks import selectors
from localdigital.frameworks.models import Framework
from localdigital.frameworks.serializers import FrameworkDetailSerializer, FrameworkSerializer

NOT_FOUND = OpenApiResponse(description="No framework with that id (and version)")
FRAMEWORK_ID = OpenApiParameter(
    "framework_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The framework's id, like tcop.",
)
VERSION = OpenApiParameter(
    "version", OpenApiTypes.STR, OpenApiParameter.PATH, description="The version, like 2025."
)


class FrameworkFilter(django_filters.FilterSet):
    id = django_filters.CharFilter(field_name="framework_id", label="Framework id, like tcop")
    kind = django_filters.ChoiceFilter(choices=Framework.Kind.choices, label="Kind of framework")

    class Meta:
        model = Framework
        fields = ["id", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="List frameworks",
        description=(
            "Every framework version the Hub holds (the Technology Code of Practice now; the "
            "NCSC Cyber Assessment Framework later), newest version first within each "
            "framework, with its tree of nodes and each assessable node's levels. Indicators "
            "and profiles are on each version's own page. Each version gives its source and "
            "licence."
        ),
    )
)
@method_decorator(public_page_cache, name="dispatch")
class FrameworkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Read-only and public: frameworks are published reference data."""

    permission_classes = [AllowAny]
    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilter

    def get_queryset(self) -> QuerySet[Framework]:
        return selectors.framework_list()

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        frameworks = list(page if page is not None else queryset)
        serializer = self.get_serializer(frameworks, many=True)
        serializer.context["trees"] = selectors.framework_trees(frameworks)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        summary="Get one framework version",
        description=(
            "One framework version with its tree of nodes, each assessable node's levels with "
            "the indicators under each level, and its target profiles (a target level per "
            "assessable node, null for not required)."
        ),
        parameters=[FRAMEWORK_ID, VERSION],
        operation_id="frameworks_version_retrieve",
        responses={200: FrameworkDetailSerializer, 404: NOT_FOUND},
    )
)
@method_decorator(public_page_cache, name="dispatch")
class FrameworkDetailView(generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = FrameworkDetailSerializer
    queryset = Framework.objects.none()
    pagination_class = None

    def get(self, request: Request, framework_id: str, version: str | None = None) -> Response:
        framework = selectors.framework_get(framework_id, version)
        if framework is None:
            raise Http404("No such framework")
        serializer = self.get_serializer(framework)
        serializer.context["trees"] = {framework.pk: selectors.framework_tree(framework)}
        serializer.context["profiles"] = list(selectors.framework_profiles(framework))
        return Response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        summary="Get the newest version of a framework",
        description=(
            "The same as the version's own page, for the newest version (versions compare part "
            "by part as numbers, so 3.10 is newer than 3.9)."
        ),
        operation_id="frameworks_latest_retrieve",
        parameters=[FRAMEWORK_ID],
        responses={200: FrameworkDetailSerializer, 404: NOT_FOUND},
    )
)
class FrameworkLatestView(FrameworkDetailView):
    pass


urlpatterns: list = [
    path(
        "frameworks/<slug:framework_id>/<str:version>/",
        FrameworkDetailView.as_view(),
        name="framework-detail",
    ),
    path(
        "frameworks/<slug:framework_id>/",
        FrameworkLatestView.as_view(),
        name="framework-latest",
    ),
]


def register(router: DefaultRouter) -> None:
    """Add the frameworks list to the v1 router; the detail routes are in `urlpatterns`."""
    router.register("frameworks", FrameworkViewSet, basename="framework")
