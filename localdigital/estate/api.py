"""Estate API: products, suppliers, functions with their market shares, and a council's own
register.

Products (approved only), suppliers, functions and market shares are public, and the counts in
them follow the sector pages' rules: councils that share nothing are left out and any count of
fewer than 5 councils is hidden. A council's register, with every field, is for its own members
(and programme staff, who may read it) with a token or a session; everyone else gets 404.
The public reads are cached for visitors without a session, as the other public lists are: at
10x a function's market share counts over 400,000 systems.
Reads only, for now: the register is changed through the pages and the import.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from localdigital.core.cache import public_page_cache
from localdigital.estate.access import access_register_for_member
from localdigital.estate.models import Function, Product, Supplier, System
from localdigital.estate.selectors.sector import (
    SUPPRESSED_TEXT,
    counted_systems,
    function_counts,
    market_share,
    sector_systems,
)
from localdigital.estate.serializers import (
    FunctionSerializer,
    MarketShareSerializer,
    ProductSerializer,
    SupplierSerializer,
    SystemSerializer,
)


class ProductFilter(django_filters.FilterSet):
    function = django_filters.CharFilter(field_name="functions__key", label="Function key")
    supplier = django_filters.CharFilter(field_name="supplier__slug", label="Supplier slug")
    q = django_filters.CharFilter(method="search", label="Words in the product or supplier name")

    class Meta:
        model = Product
        fields = ["function", "supplier"]

    def search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return queryset.filter(Q(name__icontains=value) | Q(supplier__name__icontains=value))


@method_decorator(public_page_cache, name="dispatch")
class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved products on the shared list, by name. Proposed and rejected ones are not shown."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Product]:
        return (
            Product.objects.filter(status=Product.Status.APPROVED)
            .select_related("supplier", "catalogue_asset")
            .prefetch_related("functions")
            .order_by("name", "pk")
            .distinct()
        )


@method_decorator(public_page_cache, name="dispatch")
class SupplierViewSet(viewsets.ReadOnlyModelViewSet):
    """Suppliers of at least one approved product, by name."""

    serializer_class = SupplierSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Supplier]:
        approved = Product.objects.filter(status=Product.Status.APPROVED).values("supplier_id")
        return Supplier.objects.filter(pk__in=approved).order_by("name", "pk")


def _with_counts(functions: list[Function]) -> list[Function]:
    """Set each function's `councils` (None below 5, as the function pages show it),
    `suppressed`, `message` and `includes_demo_data`. The counts are the sector pages' own
    (`function_counts`, remembered until the data changes)."""
    counts = {row.function.pk: row.councils for row in function_counts()}
    demo = set(
        counted_systems()
        .filter(is_demo=True)
        .order_by()
        .values_list("function_id", flat=True)
        .distinct()
    )
    for function in functions:
        councils = counts.get(function.pk)
        function.councils = councils  # type: ignore[attr-defined]
        function.suppressed = councils is None  # type: ignore[attr-defined]
        function.message = SUPPRESSED_TEXT if councils is None else ""  # type: ignore[attr-defined]
        function.includes_demo_data = councils is not None and function.pk in demo  # type: ignore[attr-defined]
    return functions


@method_decorator(public_page_cache, name="dispatch")
class FunctionViewSet(viewsets.ReadOnlyModelViewSet):
    """The functions a council system serves, with how many councils the sector can count for
    each (null, with `suppressed`, when fewer than 5)."""

    serializer_class = FunctionSerializer
    lookup_field = "key"
    permission_classes = [permissions.AllowAny]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Function]:
        return Function.objects.select_related("service_area").order_by("position")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = _with_counts(list(self.paginate_queryset(self.get_queryset()) or []))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        [function] = _with_counts([self.get_object()])
        return Response(self.get_serializer(function).data)

    @extend_schema(responses={200: MarketShareSerializer})
    @action(detail=True, methods=["get"], url_path="market-share", filter_backends=[])
    def market_share(self, request: Request, key: str) -> Response:
        """Approved products used for the function, each with its number of councils, most used
        first. When fewer than 5 councils can be counted, `suppressed` is true, `total` is null
        and `rows` is empty. `includes_demo_data` says generated demo systems are counted."""
        function = Function.objects.filter(key=key).first()
        if function is None:
            raise Http404("No such function")
        share = market_share(function)
        demo = not share.suppressed and (
            sector_systems().filter(function=function, is_demo=True).exists()
        )
        context = {"includes_demo_data": demo}
        return Response(MarketShareSerializer(share, context=context).data)


@extend_schema(
    responses={
        200: SystemSerializer(many=True),
        404: OpenApiResponse(description="No such council, or you are not one of its members"),
    }
)
class OrganisationSystemsView(generics.ListAPIView):
    """Every system in a council's register with every field: for the council's own active
    members only."""

    serializer_class = SystemSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[System]:
        organisation = access_register_for_member(self.request.user, self.kwargs["code"])
        return (
            System.objects.filter(organisation=organisation)
            .select_related("organisation", "function", "service_area", "product__supplier")
            .order_by("function__position", "pk")
        )


def register(router: DefaultRouter) -> None:
    """Add the estate's viewsets to the API router."""
    router.register("estate/products", ProductViewSet, basename="estate-product")
    router.register("estate/suppliers", SupplierViewSet, basename="estate-supplier")
    router.register("estate/functions", FunctionViewSet, basename="estate-function")


urlpatterns: list[URLPattern] = [
    path(
        "estate/organisations/<str:code>/systems/",
        OrganisationSystemsView.as_view(),
        name="estate-organisation-systems",
    ),
]
