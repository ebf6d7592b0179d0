"""Declaration API: public reads (api_public.py) and the signatories' writes (this module).

Writes call the same access helpers and services as the pages. Routes:

- POST /signings/ signs for an organisation the caller administers;
- POST /signings/<id>/withdraw/ withdraws it;
- POST /commitments/, PATCH /commitments/<id>/ and POST /commitments/<id>/progress/ extend the
  public read-only commitments viewset, which is registered again in its place;
- POST /commitment-partners/<id>/respond/ confirms or declines being named as a partner.

A personal token acts as its owner. Browser sessions of admins must have passed two-factor.
"""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from localdigital.accounts.api import SessionNeedsTwoFactor
from localdigital.core.access import (
    access_commitment_for_user,
    access_commitment_partner_for_user,
    access_signing_for_user,
    can_act_for_declaration,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.declaration import api_public, selectors, services
from localdigital.declaration.models import Commitment, Signing
from localdigital.declaration.serializers import (
    CommitmentCreateSerializer,
    CommitmentUpdateSerializer,
    PartnerRespondSerializer,
    PartnerSerializer,
    ProgressSerializer,
    SigningCreateSerializer,
    SigningSerializer,
    WithdrawSerializer,
)
from localdigital.declaration.serializers_public import PublicCommitmentSerializer
from localdigital.organisations.models import Organisation

urlpatterns: list = [*api_public.urlpatterns]

ORGANISATION_UNKNOWN = "There is no organisation with the code {code}"
WRITE_PERMISSIONS = [permissions.IsAuthenticated, SessionNeedsTwoFactor]
BAD_REQUEST = OpenApiResponse(description="A field is missing or breaks a rule; see the body")
FORBIDDEN = OpenApiResponse(description="You are not an admin of that organisation")
NOT_FOUND = OpenApiResponse(description="No such record, or not one you can change")


def error_response(error: ApplicationError) -> Response:
    """A service's rule broken: 400, on the field it names when it names one."""
    body: dict[str, Any] = (
        {error.field: [error.message]} if error.field else {"detail": error.message}
    )
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def organisation_to_act_for(request: Request, code: str) -> Organisation:
    """The organisation named in a write. Organisations are public, so an unknown code is a
    field error and a known one the caller cannot act for is 403, not a 404."""
    organisation = Organisation.objects.filter(code__iexact=code.strip()).first()
    if organisation is None:
        raise ApplicationError(ORGANISATION_UNKNOWN.format(code=code), field="organisation")
    if not can_act_for_declaration(request.user, organisation):
        raise PermissionDenied(services.NOT_ALLOWED.format(organisation=organisation.short_name))
    return organisation


def _public_commitment(request: Request, commitment: Commitment) -> dict:
    fresh = selectors.commitment_public_queryset().get(pk=commitment.pk)
    return PublicCommitmentSerializer(fresh, context={"request": request}).data


def _partners(values: list[str] | None) -> list[Organisation] | None:
    return None if values is None else services.resolve_partners(values)


class SigningViewSet(viewsets.GenericViewSet):
    """Sign the Declaration for an organisation you administer, and withdraw."""

    permission_classes = WRITE_PERMISSIONS
    serializer_class = SigningSerializer
    queryset = Signing.objects.none()

    @extend_schema(
        summary="Sign the Declaration for an organisation",
        description=(
            "As an admin of the organisation (or programme staff). The organisation must be "
            "current and not already signed; the date cannot be in the future; all five "
            "principles must be agreed."
        ),
        request=SigningCreateSerializer,
        responses={201: SigningSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        incoming = SigningCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            organisation = organisation_to_act_for(request, data.pop("organisation"))
            signing = services.signing_create(actor=request.user, organisation=organisation, **data)
        except ApplicationError as error:
            return error_response(error)
        return Response(SigningSerializer(signing).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw an organisation's signature",
        description="The signing is kept, closed, with the reason. The organisation can sign "
        "again later.",
        request=WithdrawSerializer,
        responses={200: SigningSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        signing = access_signing_for_user(request.user, int(str(pk)), write=True)
        incoming = WithdrawSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            signing = services.signing_withdraw(
                actor=request.user, signing=signing, reason=incoming.validated_data["reason"]
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(SigningSerializer(signing).data)


class CommitmentViewSet(api_public.CommitmentReadViewSet):
    """The public commitments, plus creating and changing them for their organisation's admins."""

    write_actions = frozenset({"create", "partial_update", "progress"})

    def get_permissions(self) -> Any:
        if self.action in self.write_actions:
            return [permission() for permission in WRITE_PERMISSIONS]
        return super().get_permissions()

    @extend_schema(
        summary="Add a commitment",
        description=(
            "A yearly commitment for an organisation that has signed, as one of its admins. "
            "Each partner's admins are asked to confirm being named."
        ),
        request=CommitmentCreateSerializer,
        responses={201: PublicCommitmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        incoming = CommitmentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            organisation = organisation_to_act_for(request, data.pop("organisation"))
            commitment = services.commitment_create(
                actor=request.user,
                organisation=organisation,
                year=data["year"],
                title=data["title"],
                mission=data["mission"],
                impact=data["impact"],
                principles=data.get("principles", []),
                partners=_partners(data.get("partners")) or [],
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(_public_commitment(request, commitment), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a commitment",
        description="Send only the fields that change. A partners list replaces the partners.",
        request=CommitmentUpdateSerializer,
        responses={200: PublicCommitmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        commitment = access_commitment_for_user(request.user, int(str(pk)), write=True)
        incoming = CommitmentUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            commitment = services.commitment_update(
                actor=request.user,
                commitment=commitment,
                year=data.get("year"),
                title=data.get("title"),
                mission=data.get("mission"),
                impact=data.get("impact"),
                principles=data.get("principles"),
                partners=_partners(data.get("partners")),
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(_public_commitment(request, commitment))

    @extend_schema(
        summary="Report progress on a commitment",
        description="Done, partly done or not done, with a note. A later report replaces it.",
        request=ProgressSerializer,
        responses={200: PublicCommitmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        commitment = access_commitment_for_user(request.user, int(str(pk)), write=True)
        incoming = ProgressSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            commitment = services.commitment_progress_report(
                actor=request.user, commitment=commitment, **incoming.validated_data
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(_public_commitment(request, commitment))


class CommitmentPartnerViewSet(viewsets.GenericViewSet):
    """A partner organisation's answer to being named in a commitment."""

    permission_classes = WRITE_PERMISSIONS
    serializer_class = PartnerSerializer
    queryset = Commitment.objects.none()

    @extend_schema(
        summary="Confirm or decline being named as a partner",
        description="As an admin of the partner organisation. You can change your answer.",
        request=PartnerRespondSerializer,
        responses={200: PartnerSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        partner = access_commitment_partner_for_user(request.user, int(str(pk)))
        incoming = PartnerRespondSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            partner = services.commitment_partner_respond(
                actor=request.user, partner=partner, status=incoming.validated_data["status"]
            )
        except ApplicationError as error:
            return error_response(error)
        return Response(PartnerSerializer(partner).data)


def register(router: DefaultRouter) -> None:
    """Add the Declaration's viewsets to the v1 router.

    The public module registers a read-only `commitments` viewset; the one here extends it with
    the writes and takes its place, so one URL serves reading and writing without a clash.
    """
    api_public.register(router)
    router.registry[:] = [
        (
            prefix,
            CommitmentViewSet if viewset is api_public.CommitmentReadViewSet else viewset,
            basename,
        )
        for prefix, viewset, basename in router.registry
    ]
    router.register("signings", SigningViewSet, basename="declaration-signing")
    router.register(
        "commitment-partners", CommitmentPartnerViewSet, basename="declaration-commitment-partner"
    )
