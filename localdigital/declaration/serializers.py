"""Write serializers for the Declaration API: they parse input; the services hold the rules.

Required fields carry the same plain-English messages as the pages, so a client sees "Enter the
mission of your commitment" whichever way it signs or commits. Public read representations are in
serializers_public.py.
"""

from typing import Any

from rest_framework import serializers

from localdigital.declaration import services
from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing

PRINCIPLE_UNKNOWN = "There is no principle with the key {value}"
ORGANISATION_HELP = "The organisation's code, like HCK. You must be one of its admins."


def _required(message: str) -> dict[str, Any]:
    return {"required": message, "blank": message, "null": message}


class PrincipleKeyField(serializers.SlugRelatedField):
    """A principle given by its stable key, like user-needs."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": PRINCIPLE_UNKNOWN,
    }

    def __init__(self, **kwargs):  # noqa: ANN003, ANN204 - DRF's signature
        super().__init__(slug_field="key", queryset=Principle.objects.all(), **kwargs)


def _principles(*, required: bool, help_text: str, message: str = "") -> serializers.Field:
    messages = {**_required(message), "empty": message} if message else {}
    return PrincipleKeyField(
        many=True, required=required, help_text=help_text, error_messages=messages
    )


class SigningCreateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40, help_text=ORGANISATION_HELP)
    signed_on = serializers.DateField(
        help_text="The date signed (today or earlier), like 2026-03-27",
        error_messages=_required(services.DATE_REQUIRED),
    )
    senior_officer_name = serializers.CharField(
        max_length=150, error_messages=_required(services.SENIOR_OFFICER_NAME_REQUIRED)
    )
    senior_officer_role = serializers.CharField(
        max_length=150, error_messages=_required(services.SENIOR_OFFICER_ROLE_REQUIRED)
    )
    political_lead_name = serializers.CharField(
        max_length=150, error_messages=_required(services.POLITICAL_LEAD_NAME_REQUIRED)
    )
    political_lead_role = serializers.CharField(
        max_length=150, error_messages=_required(services.POLITICAL_LEAD_ROLE_REQUIRED)
    )
    principles = _principles(
        required=True,
        help_text="Keys of the principles agreed to. Signing means agreeing to all five.",
        message=services.PRINCIPLES_REQUIRED,
    )
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class SigningSerializer(serializers.ModelSerializer):
    """A signing as its organisation's admins see it after signing or withdrawing."""

    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="`active` or `withdrawn`")
    principles_agreed = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = Signing
        fields = [
            "id",
            "organisation",
            "status",
            "method",
            "signed_on",
            "signed_on_precision",
            "senior_officer_name",
            "senior_officer_role",
            "political_lead_name",
            "political_lead_role",
            "principles_agreed",
            "statement",
            "withdrawn_on",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why the organisation is withdrawing; kept with its history",
        error_messages=_required(services.WITHDRAWAL_REASON_REQUIRED),
    )


class CommitmentUpdateSerializer(serializers.Serializer):
    """The fields of a commitment. On PATCH, send only the ones that change."""

    year = serializers.IntegerField(
        help_text="The year the commitment starts", error_messages=_required(services.YEAR_REQUIRED)
    )
    title = serializers.CharField(max_length=200, error_messages=_required(services.TITLE_REQUIRED))
    mission = serializers.CharField(
        help_text="What will be delivered within a year",
        error_messages=_required(services.MISSION_REQUIRED),
    )
    impact = serializers.CharField(
        help_text="Who benefits, and how", error_messages=_required(services.IMPACT_REQUIRED)
    )
    partners = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text=(
            'Partner organisations by code or name, like ["MAN", "Kent"]. Each must be a '
            "current organisation; each is asked to confirm being named. On PATCH the list "
            "replaces the partners: partners left out are removed."
        ),
    )
    principles = _principles(
        required=False, help_text="Keys of the principles the commitment advances"
    )


class CommitmentCreateSerializer(CommitmentUpdateSerializer):
    organisation = serializers.CharField(max_length=40, help_text=ORGANISATION_HELP)


class ProgressSerializer(serializers.Serializer):
    progress = serializers.ChoiceField(
        choices=[(value, label) for value, label in Commitment.Progress.choices if value],
        error_messages={
            **_required(services.PROGRESS_REQUIRED),
            "invalid_choice": services.PROGRESS_REQUIRED,
        },
    )
    note = serializers.CharField(error_messages=_required(services.PROGRESS_NOTE_REQUIRED))


# The `status` fields below are plain strings in the schema, not enums: several serializers
# have a `status` with different choices, and enums would rename the memberships' StatusEnum.
class PartnerRespondSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="`confirmed` or `declined`",
        error_messages=_required(services.RESPONSE_REQUIRED),
    )

    def validate_status(self, value: str) -> str:
        if value not in (CommitmentPartner.Status.CONFIRMED, CommitmentPartner.Status.DECLINED):
            raise serializers.ValidationError(services.RESPONSE_REQUIRED)
        return value


class PartnerSerializer(serializers.ModelSerializer):
    """A partner's answer, as its admins see it."""

    commitment = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="`awaiting`, `confirmed` or `declined`"
    )

    class Meta:
        model = CommitmentPartner
        fields = ["id", "commitment", "organisation", "status", "responded_at"]
        read_only_fields = fields
