"""API views for accounts: `me` and memberships. Registered on the v1 router by `register`.

They call the same selectors, access helpers and services as the pages. Session requests from
people who must use two-factor authentication are refused until they have; token requests act
as the token's owner.
"""

from django.db.models import QuerySet
from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from localdigital.accounts import selectors, services
from localdigital.accounts.middleware import requires_two_factor
from localdigital.accounts.models import User
from localdigital.core.access import access_membership_for_user
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Membership, Organisation

ORGANISATION_UNKNOWN = "There is no current organisation with that code"


class SessionNeedsTwoFactor(permissions.BasePermission):
    """Browser sessions of privileged people must have passed two-factor, as on the pages."""

    message = "Verify your sign-in with two-factor authentication first."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.auth is not None:
            return True
        user = request.user
        if not user.is_authenticated:
            return True
        verified = getattr(user, "is_verified", None)
        return not requires_two_factor(user) or bool(verified and verified())


class MembershipOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["code", "short_name", "name"]


class MembershipPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = MembershipOrganisationSerializer(read_only=True)
    person = MembershipPersonSerializer(source="user", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "person",
            "role",
            "status",
            "request_note",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class MembershipRequestSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        max_length=40, help_text="The organisation's code, for example HCK"
    )
    note = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text="For the admins"
    )


class MyMembershipSerializer(serializers.ModelSerializer):
    organisation = MembershipOrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "status"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(source="is_email_verified", read_only=True)
    memberships = serializers.SerializerMethodField()
    global_roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "job_title",
            "email_verified",
            "global_roles",
            "memberships",
        ]
        read_only_fields = fields

    @extend_schema_field(MyMembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict]:
        return MyMembershipSerializer(selectors.memberships_for_user(user), many=True).data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(services.GLOBAL_ROLES)))
    )
    def get_global_roles(self, user: User) -> list[str]:
        return [role for role, attr in services.GLOBAL_ROLES.items() if getattr(user, attr)]


class MeView(APIView):
    """The signed-in person, their memberships and their global roles."""

    permission_classes = [permissions.IsAuthenticated, SessionNeedsTwoFactor]

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve", tags=["accounts"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class MembershipFilter(filters.FilterSet):
    organisation = filters.CharFilter(
        field_name="organisation__code", lookup_expr="iexact", label="Organisation code"
    )
    status = filters.ChoiceFilter(choices=Membership.Status.choices)
    role = filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = ["organisation", "status", "role"]


def _error(error: ApplicationError) -> Response:
    body = {"detail": error.message}
    if error.field:
        body = {error.field: [error.message]}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="Memberships you can see",
        description="Your own memberships, and every membership of the organisations you "
        "administer (programme staff see all).",
    ),
    retrieve=extend_schema(summary="One membership"),
)
@extend_schema(tags=["accounts"])
class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MembershipSerializer
    permission_classes = [permissions.IsAuthenticated, SessionNeedsTwoFactor]
    filterset_class = MembershipFilter
    queryset = Membership.objects.none()

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_visible_to(self.request.user)

    def get_object(self) -> Membership:
        write = self.action in {"approve", "decline"}
        return access_membership_for_user(self.request.user, int(self.kwargs["pk"]), write=write)

    @extend_schema(
        summary="Ask to join an organisation",
        request=MembershipRequestSerializer,
        responses={201: MembershipSerializer, 400: OpenApiResponse(description="Not allowed")},
    )
    def create(self, request: Request) -> Response:
        incoming = MembershipRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(
            code__iexact=incoming.validated_data["organisation"], is_current=True
        ).first()
        if organisation is None:
            return Response(
                {"organisation": [ORGANISATION_UNKNOWN]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            membership = services.membership_request(
                actor=request.user, organisation=organisation, note=incoming.validated_data["note"]
            )
        except ApplicationError as error:
            return _error(error)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve a request to join (organisation admins and programme staff)",
        request=None,
        responses={200: MembershipSerializer, 400: OpenApiResponse(description="Not pending")},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        try:
            membership = services.membership_approve(
                actor=request.user, membership=self.get_object()
            )
        except ApplicationError as error:
            return _error(error)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(
        summary="Decline a request to join (organisation admins and programme staff)",
        request=None,
        responses={200: MembershipSerializer, 400: OpenApiResponse(description="Not pending")},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        try:
            membership = services.membership_decline(
                actor=request.user, membership=self.get_object()
            )
        except ApplicationError as error:
            return _error(error)
        return Response(MembershipSerializer(membership).data)


urlpatterns = [path("me/", MeView.as_view(), name="me")]


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the v1 router."""
    router.register("memberships", MembershipViewSet, basename="membership")
