"""Catalogue API: assets, adoption records, TCoP profiles and publiccode.yml validation.

Everything reads publicly. Writes need a token (or a two-factor session) and call the same
services as the pages, so the same people may do the same things: owners change assets, members
record their own organisation's adoption.
"""

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from localdigital.catalogue.models import Adoption, Asset, TcopClaim, TcopProfile
from localdigital.catalogue.publiccode import MAX_BYTES
from localdigital.catalogue.publiccode import validate as validate_publiccode
from localdigital.catalogue.services import adoption as adoption_services
from localdigital.catalogue.services import assets as asset_services
from localdigital.catalogue.services import tcop as tcop_services
from localdigital.core.access import (
    access_adoption_for_user,
    access_asset_for_user,
    access_tcop_profile_for_user,
    active_organisation_ids,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.api import WRITE_PERMISSIONS, error_response
from localdigital.pipeline.models import ServiceArea


class AssetSerializer(serializers.ModelSerializer):
    owners = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    service_areas = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    origin = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    publiccode_url = serializers.SerializerMethodField()
    # Declared, not derived: a positive integer's limits differ between SQLite and PostgreSQL,
    # and the committed schema must be the same on both.
    adopter_count = serializers.IntegerField(read_only=True, min_value=0)

    class Meta:
        model = Asset
        fields = [
            "slug", "url", "name", "kind", "summary", "description", "owners", "maintainers",
            "licence", "repository_url", "landing_url", "documentation_url",
            "development_status", "maintenance", "contractors", "service_areas", "tags",
            "platforms", "dependencies", "supports", "origin", "last_verified", "source",
            "publiccode_version", "publiccode_url", "adopter_count", "tcop_tier",
            "tcop_tier_until", "tcop_accredited", "created_at", "updated_at",
        ]  # fmt: skip

    def _absolute(self, path_: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path_) if request else path_

    def get_url(self, asset: Asset) -> str:
        return self._absolute(asset.get_absolute_url())

    def get_publiccode_url(self, asset: Asset) -> str:
        return self._absolute(f"{asset.get_absolute_url()}publiccode.yml")


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField(required=False)


class ContractorSerializer(serializers.Serializer):
    name = serializers.CharField()
    until = serializers.DateField()


class AssetWriteSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=150)
    kind = serializers.ChoiceField(choices=Asset.Kind.choices, required=False)
    summary = serializers.CharField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owners = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Organisation codes"
    )
    licence = serializers.CharField(required=False, allow_blank=True)
    repository_url = serializers.URLField(required=False, allow_blank=True)
    landing_url = serializers.URLField(required=False, allow_blank=True)
    documentation_url = serializers.URLField(required=False, allow_blank=True)
    development_status = serializers.ChoiceField(
        choices=Asset.DevelopmentStatus.choices, required=False
    )
    maintenance = serializers.ChoiceField(choices=Asset.Maintenance.choices, required=False)
    maintainers = ContactSerializer(many=True, required=False)
    contractors = ContractorSerializer(many=True, required=False)
    service_areas = serializers.SlugRelatedField(
        slug_field="key", queryset=ServiceArea.objects.all(), many=True, required=False
    )
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    platforms = serializers.ListField(child=serializers.CharField(), required=False)
    supports = serializers.ListField(
        child=serializers.ChoiceField(choices=list(asset_services.SUPPORTS)), required=False
    )


class AdoptionSerializer(serializers.ModelSerializer):
    asset = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current = serializers.SerializerMethodField()
    lapses_on = serializers.DateField(read_only=True)
    annual_saving = serializers.IntegerField(read_only=True, allow_null=True, min_value=0)
    rating = serializers.IntegerField(read_only=True, allow_null=True, min_value=1, max_value=5)

    class Meta:
        model = Adoption
        fields = [
            "id", "asset", "organisation", "status", "outcomes", "annual_saving",
            "confirmed_on", "lapses_on", "current", "rating", "review",
        ]  # fmt: skip

    def get_current(self, adoption: Adoption) -> bool:
        from django.utils import timezone

        return adoption.is_current(timezone.localdate())


class AdoptionWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Your organisation's code")
    status = serializers.ChoiceField(choices=Adoption.Status.choices)
    outcomes = serializers.CharField(required=False, allow_blank=True, default="")
    annual_saving = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class ClaimSerializer(serializers.ModelSerializer):
    point = serializers.CharField(source="node.code")
    node_id = serializers.CharField(source="node.node_id")
    title = serializers.CharField(source="node.title")
    claim = serializers.CharField(source="level.key", allow_null=True)

    class Meta:
        model = TcopClaim
        fields = ["point", "node_id", "title", "claim", "evidence", "links", "review",
                  "review_comment"]  # fmt: skip


class TcopProfileSerializer(serializers.ModelSerializer):
    framework = serializers.SerializerMethodField()
    reviewer_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta:
        model = TcopProfile
        fields = [
            "id", "state", "framework", "declared_at", "reviewed_at", "reviewer_organisation",
            "assured_at", "assurance_comment", "claims",
        ]  # fmt: skip

    def get_framework(self, profile: TcopProfile) -> str:
        return f"{profile.framework.framework_id}@{profile.framework.version}"


class ClaimWriteSerializer(serializers.Serializer):
    point = serializers.CharField(help_text="The point's code, 1 to 13")
    claim = serializers.CharField(help_text="meets, partly-meets, does-not-meet or not-applicable")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    links = serializers.ListField(child=serializers.URLField(), required=False, default=list)


class ProfileDeclareSerializer(serializers.Serializer):
    claims = ClaimWriteSerializer(many=True)


class ReviewWriteSerializer(serializers.Serializer):
    point = serializers.CharField()
    review = serializers.ChoiceField(choices=TcopClaim.Review.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProfileReviewSerializer(serializers.Serializer):
    reviews = ReviewWriteSerializer(many=True)


class ProfileAssureSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssetFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices)
    development_status = django_filters.ChoiceFilter(choices=Asset.DevelopmentStatus.choices)
    licence = django_filters.CharFilter()
    service_area = django_filters.CharFilter(field_name="service_areas__key")
    owner = django_filters.CharFilter(field_name="owners__code", lookup_expr="iexact")
    tcop_tier = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label="Words to search for")

    class Meta:
        model = Asset
        fields = ["kind", "development_status", "licence"]

    def search(self, queryset: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        from localdigital.catalogue.search import search_scores

        return queryset.filter(pk__in=list(search_scores(value)))


class AssetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Catalogue assets. Anyone reads; create for your organisations; owners change them."""

    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Asset]:
        return (
            Asset.objects.select_related("origin")
            .prefetch_related("owners", "service_areas", "tags")
            .order_by("name", "pk")
            .distinct()
        )

    def get_permissions(self) -> list[Any]:
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [p() for p in WRITE_PERMISSIONS]

    def _data(self, writer: AssetWriteSerializer) -> dict[str, Any] | Response:
        data = dict(writer.validated_data)
        if "owners" in data:
            try:
                data["owners"] = asset_services.owners_from_codes(data["owners"])
            except ApplicationError as error:
                return error_response(error)
        for key in ("maintainers", "contractors"):
            if key in data:
                data[key] = [
                    {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                    for row in data[key]
                ]
        return data

    def _read(self, asset: Asset, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=asset.pk)
        return Response(AssetSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=AssetWriteSerializer, responses={201: AssetSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        writer = AssetWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = self._data(writer)
        if isinstance(data, Response):
            return data
        try:
            asset = asset_services.asset_create(actor=request.user, data=data)
        except ApplicationError as error:
            return error_response(error)
        return self._read(asset, status.HTTP_201_CREATED)

    @extend_schema(request=AssetWriteSerializer, responses={200: AssetSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = access_asset_for_user(request.user, kwargs["slug"], write=True)
        writer = AssetWriteSerializer(data=request.data, partial=True)
        writer.is_valid(raise_exception=True)
        data = self._data(writer)
        if isinstance(data, Response):
            return data
        try:
            asset_services.asset_update(actor=request.user, asset=asset, data=data)
        except ApplicationError as error:
            return error_response(error)
        return self._read(asset)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(responses={200: AdoptionSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="adoption")
    def adoption(self, request: Request, slug: str) -> Response:
        """Every adoption record of the asset, current and lapsed (see `current`)."""
        asset = access_asset_for_user(request.user, slug)
        rows = asset.adoptions.select_related("asset", "organisation").order_by("pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AdoptionSerializer(page, many=True).data)

    @extend_schema(request=AdoptionWriteSerializer, responses={201: AdoptionSerializer})
    @adoption.mapping.post
    def record_adoption(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        asset = access_asset_for_user(request.user, slug)
        writer = AdoptionWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = dict(writer.validated_data)
        organisation = Organisation.objects.filter(
            code__iexact=data.pop("organisation").strip(),
            pk__in=active_organisation_ids(request.user),
        ).first()
        if organisation is None:
            return Response(
                {"organisation": [adoption_services.NOT_A_MEMBER]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            adoption = adoption_services.adoption_record(
                actor=request.user, asset=asset, organisation=organisation, **data
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(AdoptionSerializer(adoption).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: TcopProfileSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="tcop")
    def tcop(self, request: Request, slug: str) -> Response:
        """The asset's declared TCoP profiles, newest first (drafts are never shown)."""
        asset = access_asset_for_user(request.user, slug)
        rows = (
            asset.tcop_profiles.exclude(state=TcopProfile.State.DRAFT)
            .select_related("framework", "reviewer_organisation")
            .prefetch_related("claims__node", "claims__level")
            .order_by("-declared_at", "-pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TcopProfileSerializer(page, many=True).data)


def _profile_response(profile: TcopProfile, code: int = status.HTTP_200_OK) -> Response:
    fresh = (
        TcopProfile.objects.select_related("framework", "reviewer_organisation")
        .prefetch_related("claims__node", "claims__level")
        .get(pk=profile.pk)
    )
    return Response(TcopProfileSerializer(fresh).data, status=code)


class ProfileDeclareView(APIView):
    """The asset's owners declare a TCoP profile: a claim and evidence for every point, in one
    request (the same rules as the pages: every point answered, evidence where applicable)."""

    permission_classes = WRITE_PERMISSIONS

    @extend_schema(request=ProfileDeclareSerializer, responses={201: TcopProfileSerializer})
    def post(self, request: Request, slug: str) -> Response:
        asset = access_asset_for_user(request.user, slug, write=True)
        writer = ProfileDeclareSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        answers = {
            row["point"]: {
                "level": row["claim"],
                "evidence": row["evidence"],
                "links": row["links"],
            }  # fmt: skip
            for row in writer.validated_data["claims"]
        }
        try:
            with transaction.atomic():
                profile = tcop_services.profile_start(actor=request.user, asset=asset)
                tcop_services.profile_save_claims(
                    actor=request.user, profile=profile, answers=answers
                )
                tcop_services.profile_declare(actor=request.user, profile=profile)
        except ApplicationError as error:
            return error_response(error)
        return _profile_response(profile, status.HTTP_201_CREATED)


class ProfileReviewView(APIView):
    """A member of an organisation that does not own the asset confirms or challenges every
    point of its declared profile."""

    permission_classes = WRITE_PERMISSIONS

    @extend_schema(request=ProfileReviewSerializer, responses={200: TcopProfileSerializer})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        asset = access_asset_for_user(request.user, slug)
        profile = access_tcop_profile_for_user(request.user, asset, pk, action="review")
        writer = ProfileReviewSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        reviews = {
            row["point"]: {"review": row["review"], "comment": row["comment"]}
            for row in writer.validated_data["reviews"]
        }
        try:
            tcop_services.profile_review(actor=request.user, profile=profile, reviews=reviews)
        except ApplicationError as error:
            return error_response(error)
        return _profile_response(profile)


class ProfileAssureView(APIView):
    """Programme staff assure a peer-reviewed profile."""

    permission_classes = WRITE_PERMISSIONS

    @extend_schema(request=ProfileAssureSerializer, responses={200: TcopProfileSerializer})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        asset = access_asset_for_user(request.user, slug)
        profile = access_tcop_profile_for_user(request.user, asset, pk, action="assure")
        writer = ProfileAssureSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        try:
            tcop_services.profile_assure(
                actor=request.user, profile=profile, comment=writer.validated_data["comment"]
            )
        except ApplicationError as error:
            return error_response(error)
        return _profile_response(profile)


class AdoptionConfirmView(APIView):
    """Confirm an adoption record is still true (a member of the adopting organisation)."""

    permission_classes = WRITE_PERMISSIONS

    @extend_schema(request=None, responses={200: AdoptionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        adoption = access_adoption_for_user(request.user, pk, write=True)
        adoption = adoption_services.adoption_confirm(actor=request.user, adoption=adoption)
        return Response(AdoptionSerializer(adoption).data)


class MessageSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    key = serializers.CharField()
    text = serializers.CharField()


class ValidationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    errors = MessageSerializer(many=True)
    warnings = MessageSerializer(many=True)


class PubliccodeValidateView(APIView):
    """Validate a publiccode.yml (the request body, as text) and return every error and warning
    with its line and column, as the pages and `import_publiccode` do. Nothing is saved."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request={"application/yaml": {"type": "string"}, "text/plain": {"type": "string"}},
        responses={
            200: ValidationSerializer,
            413: OpenApiResponse(description="The body is larger than 1 MB"),
        },
    )
    def post(self, request: Request) -> Response:
        body = request.body
        if len(body) > MAX_BYTES:
            return Response(
                {"detail": "The file is larger than 1 MB"},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        report = validate_publiccode(body)
        return Response(
            ValidationSerializer(
                {
                    "valid": report.valid,
                    "version": report.version,
                    "errors": report.errors,
                    "warnings": report.warnings,
                }
            ).data
        )


# Accept YAML and plain text bodies on the validation endpoint (parsers read nothing: the view
# reads request.body itself).
PubliccodeValidateView.parser_classes = []


def register(router: DefaultRouter) -> None:
    router.register("catalogue/assets", AssetViewSet, basename="catalogue-asset")


urlpatterns = [
    path(
        "catalogue/publiccode/validate/",
        PubliccodeValidateView.as_view(),
        name="catalogue-publiccode-validate",
    ),
    path(
        "catalogue/assets/<slug:slug>/tcop/declare/",
        ProfileDeclareView.as_view(),
        name="catalogue-tcop-declare",
    ),
    path(
        "catalogue/assets/<slug:slug>/tcop/<int:pk>/review/",
        ProfileReviewView.as_view(),
        name="catalogue-tcop-review",
    ),
    path(
        "catalogue/assets/<slug:slug>/tcop/<int:pk>/assure/",
        ProfileAssureView.as_view(),
        name="catalogue-tcop-assure",
    ),
    path(
        "catalogue/adoption/<int:pk>/confirm/",
        AdoptionConfirmView.as_view(),
        name="catalogue-adoption-confirm",
    ),
]
