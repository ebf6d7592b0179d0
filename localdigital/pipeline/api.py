"""Pipeline API: items, status updates and similar work.

Reads follow the same visibility as the pages (`pipeline_visible_q`): visitors see public items,
signed-in sector members also members-only items, and only the lead organisation its drafts.
Writes need a token (or a two-factor session) and call the same services as the pages.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from localdigital.accounts.api import SessionNeedsTwoFactor
from localdigital.core.access import (
    access_interest_for_user,
    access_item_for_user,
    active_organisation_ids,
    pipeline_visible_q,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.matching.engine import similar_to_text
from localdigital.pipeline.models import Interest, InterestMessage, Item, ServiceArea, StatusUpdate
from localdigital.pipeline.services import interest as interest_services
from localdigital.pipeline.services import items as item_services
from localdigital.pipeline.services import updates as update_services

WRITE_PERMISSIONS = [permissions.IsAuthenticated, SessionNeedsTwoFactor]
TEXT_REQUIRED = "Enter some text to match"
LIMIT_RANGE = "The limit must be a whole number from 1 to 50"


def error_response(error: ApplicationError) -> Response:
    body: dict[str, Any] = (
        {error.field: [error.message]} if error.field else {"detail": error.message}
    )
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class ItemSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_area = serializers.SlugRelatedField(slug_field="key", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    partners = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "slug", "url", "kind", "title", "summary", "description", "problem", "user_needs",
            "service_area", "tags", "phase", "collaboration_level", "budget_band",
            "funding_source", "start_date", "end_date", "next_assessment_date", "organisation",
            "partners", "repository_url", "blog_url", "sprint_notes_url", "visibility",
            "status", "last_activity_at", "review_by", "published_at", "created_at",
        ]  # fmt: skip

    def get_url(self, item: Item) -> str:
        request = self.context.get("request")
        path_ = item.get_absolute_url()
        return request.build_absolute_uri(path_) if request else path_


class ItemWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(required=False, help_text="Lead organisation code")
    kind = serializers.ChoiceField(choices=Item.Kind.choices, required=False)
    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True)
    user_needs = serializers.CharField(required=False, allow_blank=True)
    service_area = serializers.SlugRelatedField(
        slug_field="key", queryset=ServiceArea.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    phase = serializers.ChoiceField(choices=Item.Phase.choices, required=False)
    collaboration_level = serializers.ChoiceField(
        choices=Item.CollaborationLevel.choices, required=False
    )
    budget_band = serializers.ChoiceField(choices=Item.BudgetBand.choices, required=False)
    funding_source = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    next_assessment_date = serializers.DateField(required=False, allow_null=True)
    repository_url = serializers.URLField(required=False, allow_blank=True)
    blog_url = serializers.URLField(required=False, allow_blank=True)
    sprint_notes_url = serializers.URLField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Item.Visibility.choices, required=False)


class StatusUpdateSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = StatusUpdate
        fields = ["id", "item", "organisation", "title", "body", "phase", "created_at"]


class StatusUpdateWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    body = serializers.CharField()
    phase = serializers.ChoiceField(choices=Item.Phase.choices, required=False, allow_blank=True)


class ItemFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Item.Kind.choices)
    organisation = django_filters.CharFilter(field_name="organisation__code", lookup_expr="iexact")
    phase = django_filters.ChoiceFilter(choices=Item.Phase.choices)
    service_area = django_filters.CharFilter(field_name="service_area__key")
    collaboration_level = django_filters.ChoiceFilter(choices=Item.CollaborationLevel.choices)
    budget_band = django_filters.ChoiceFilter(choices=Item.BudgetBand.choices)
    status = django_filters.ChoiceFilter(choices=Item.Status.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="last_activity_at", lookup_expr="gte"
    )
    q = django_filters.CharFilter(method="search", label="Words to search for")

    class Meta:
        model = Item
        fields = ["kind", "organisation", "phase", "service_area", "collaboration_level"]

    def search(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        from localdigital.pipeline.matching.search import search_scores

        scores = search_scores(value)
        return queryset.filter(pk__in=list(scores))


class ItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Pipeline items the caller may see. Create for one of your organisations; change as the
    lead organisation or a partner (partners only the agreed fields)."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Item]:
        return (
            Item.objects.filter(pipeline_visible_q(self.request.user))
            .select_related("organisation", "service_area")
            .prefetch_related("tags", "partners")
            .order_by("-last_activity_at", "-pk")
        )

    def get_permissions(self) -> list[Any]:
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [p() for p in WRITE_PERMISSIONS]

    def _read(self, item: Item, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(ItemSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=ItemWriteSerializer, responses={201: ItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        writer = ItemWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = dict(writer.validated_data)
        code = data.pop("organisation", "")
        organisation = Organisation.objects.filter(code__iexact=code.strip()).first()
        if organisation is None:
            return Response(
                {"organisation": ["Enter the code of an organisation you are a member of"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            item = item_services.item_create(
                actor=request.user, organisation=organisation, data=data
            )
        except ApplicationError as error:
            return error_response(error)
        return self._read(item, status.HTTP_201_CREATED)

    @extend_schema(request=ItemWriteSerializer, responses={200: ItemSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = access_item_for_user(request.user, kwargs["slug"], write=True)
        writer = ItemWriteSerializer(data=request.data, partial=True)
        writer.is_valid(raise_exception=True)
        data = {k: v for k, v in writer.validated_data.items() if k != "organisation"}
        try:
            item_services.item_update(actor=request.user, item=item, data=data)
        except ApplicationError as error:
            return error_response(error)
        return self._read(item)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(responses={200: StatusUpdateSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="updates")
    def updates(self, request: Request, slug: str) -> Response:
        item = access_item_for_user(request.user, slug)
        rows = StatusUpdate.objects.filter(item=item).select_related("item", "organisation")
        page = self.paginate_queryset(rows.order_by("-created_at", "-pk"))
        return self.get_paginated_response(StatusUpdateSerializer(page, many=True).data)

    @extend_schema(request=StatusUpdateWriteSerializer, responses={201: StatusUpdateSerializer})
    @updates.mapping.post
    def post_update(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        item = access_item_for_user(request.user, slug, write=True)
        writer = StatusUpdateWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        try:
            update = update_services.status_update_post(
                actor=request.user, item=item, **writer.validated_data
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(StatusUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class SimilarResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    score = serializers.FloatField()
    why = serializers.ListField(child=serializers.CharField())


class SimilarView(APIView):
    """Items most like a text that the caller may see, best first (the same list as
    `manage.py similar_items`)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("text", str, required=True, description="The text to match"),
            OpenApiParameter("limit", int, description="How many items, 1 to 50 (default 5)"),
        ],
        responses={
            200: SimilarResultSerializer(many=True),
            400: OpenApiResponse(description="No text, or a limit out of range"),
        },
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("text", "").strip()
        if not text:
            return Response({"text": [TEXT_REQUIRED]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            limit = int(request.query_params.get("limit", "5"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 50:
            return Response({"limit": [LIMIT_RANGE]}, status=status.HTTP_400_BAD_REQUEST)
        user = request.user if request.user.is_authenticated else None
        return Response(similar_to_text(text, limit=limit, user=user))


class InterestMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterestMessage
        fields = ["from_owner", "body", "created_at"]


class InterestSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    messages = InterestMessageSerializer(many=True, read_only=True)

    class Meta:
        model = Interest
        fields = [
            "id", "item", "organisation", "kind", "message", "status", "created_at",
            "first_response_at", "responded_at", "decline_reason", "messages",
        ]  # fmt: skip


class InterestCreateSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="The item's slug")
    organisation = serializers.CharField(help_text="Your organisation's code")
    kind = serializers.ChoiceField(choices=Interest.Kind.choices)
    message = serializers.CharField()


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField()


class InterestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Interest.Status.choices)
    item = django_filters.CharFilter(field_name="item__slug")
    direction = django_filters.ChoiceFilter(
        choices=[("sent", "sent"), ("received", "received")], method="by_direction"
    )

    class Meta:
        model = Interest
        fields = ["status", "item"]

    def by_direction(self, queryset: QuerySet[Interest], name: str, value: str) -> QuerySet:
        own = active_organisation_ids(self.request.user)
        if value == "sent":
            return queryset.filter(organisation_id__in=own)
        return queryset.filter(item__organisation_id__in=own)


class InterestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Interest sent or received by the caller's organisations, and the answers to it."""

    serializer_class = InterestSerializer
    filterset_class = InterestFilter
    permission_classes = WRITE_PERMISSIONS

    def get_queryset(self) -> QuerySet[Interest]:
        from django.db.models import Q

        own = active_organisation_ids(self.request.user)
        return (
            Interest.objects.filter(Q(organisation_id__in=own) | Q(item__organisation_id__in=own))
            .select_related("item", "organisation")
            .prefetch_related("messages")
            .order_by("-created_at", "-pk")
        )

    def _fresh(self, interest: Interest, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            InterestSerializer(self.get_queryset().get(pk=interest.pk)).data, status=code
        )

    @extend_schema(request=InterestCreateSerializer, responses={201: InterestSerializer})
    def create(self, request: Request) -> Response:
        writer = InterestCreateSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = writer.validated_data
        item = access_item_for_user(request.user, data["item"])
        organisation = Organisation.objects.filter(code__iexact=data["organisation"]).first()
        if organisation is None:
            return Response(
                {"organisation": [interest_services.NOT_A_MEMBER]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            interest = interest_services.interest_express(
                actor=request.user,
                item=item,
                organisation=organisation,
                kind=data["kind"],
                message=data["message"],
            )
        except ApplicationError as error:
            return error_response(error)
        return self._fresh(interest, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InterestSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        interest = access_interest_for_user(request.user, int(pk), respond=True)
        try:
            interest_services.interest_accept(actor=request.user, interest=interest)
        except ApplicationError as error:
            return error_response(error)
        return self._fresh(interest)

    @extend_schema(request=DeclineSerializer, responses={200: InterestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        interest = access_interest_for_user(request.user, int(pk), respond=True)
        writer = DeclineSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        try:
            interest_services.interest_decline(
                actor=request.user, interest=interest, reason=writer.validated_data["reason"]
            )
        except ApplicationError as error:
            return error_response(error)
        return self._fresh(interest)

    @extend_schema(request=ReplySerializer, responses={200: InterestSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        interest = access_interest_for_user(request.user, int(pk))
        writer = ReplySerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        try:
            interest_services.interest_reply(
                actor=request.user, interest=interest, body=writer.validated_data["body"]
            )
        except ApplicationError as error:
            return error_response(error)
        return self._fresh(interest)

    @extend_schema(request=None, responses={200: InterestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        interest = access_interest_for_user(request.user, int(pk))
        try:
            interest_services.interest_withdraw(actor=request.user, interest=interest)
        except ApplicationError as error:
            return error_response(error)
        return self._fresh(interest)


def register(router: DefaultRouter) -> None:
    router.register("pipeline/items", ItemViewSet, basename="pipeline-item")
    router.register("pipeline/interests", InterestViewSet, basename="pipeline-interest")


urlpatterns = [path("pipeline/similar/", SimilarView.as_view(), name="pipeline-similar")]
