"""Public representations of signatories and commitments: the register's downloads and the
read-only API share them.

Personal data: a signing names the senior officer and the political lead who endorsed it, with
their roles. They sign publicly, in their official capacity, and the programme publishes who
endorsed each council's signature, so the Hub treats those names and roles as public. Nothing
else about people is public here: not who pressed "Sign" on the Hub, who withdrew, who created a
commitment, reported its progress or answered as a partner.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from localdigital.declaration import selectors
from localdigital.declaration.models import Commitment, CommitmentPartner, Signing
from localdigital.organisations.models import Organisation

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Council names and codes: mySociety, UK Local Authority Names and Codes, CC BY 4.0."
)
# One row of the register's downloads, in column order.
RECORD_COLUMNS = [
    "code",
    "name",
    "short_name",
    "kind",
    "gss_code",
    "nation",
    "region",
    "la_type",
    "la_type_name",
    "is_current",
    "signed_on",
    "signed_on_precision",
    "method",
    "evidence",
    "source",
    "senior_officer_name",
    "senior_officer_role",
    "political_lead_name",
    "political_lead_role",
    "statement",
    "hub_url",
]
# The CSV repeats the licence on every row, so it stays with any row copied out of the file.
DOWNLOAD_COLUMNS = [*RECORD_COLUMNS, "licence", "attribution"]


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def signatory_record(organisation: Organisation, *, request: HttpRequest | None = None) -> dict:
    """One signatory (an organisation annotated with its active signing) as a flat record."""
    return {
        "code": organisation.code,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "gss_code": organisation.gss_code,
        "nation": organisation.nation,
        "region": organisation.region,
        "la_type": organisation.la_type,
        "la_type_name": organisation.la_type_name,
        "is_current": organisation.is_current,
        "signed_on": selectors.signed_on_iso(
            organisation.signed_on, organisation.signed_on_precision
        ),
        "signed_on_precision": organisation.signed_on_precision,
        "method": organisation.signing_method,
        "evidence": organisation.signing_evidence,
        "source": organisation.signing_source_url,
        "senior_officer_name": organisation.senior_officer_name,
        "senior_officer_role": organisation.senior_officer_role,
        "political_lead_name": organisation.political_lead_name,
        "political_lead_role": organisation.political_lead_role,
        "statement": organisation.signing_statement,
        "hub_url": _absolute(request, organisation.get_absolute_url()),
        "licence": LICENCE["name"],
        "attribution": ATTRIBUTION,
    }


def download_metadata(request: HttpRequest | None = None) -> dict[str, Any]:
    """The head of the JSON download: what it is, its licence, and how to credit it."""
    return {
        "title": "Local Digital Declaration signatories",
        "publisher": "Local Digital Hub",
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "source": _absolute(request, reverse("declaration:signatories")),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "notes": (
            "Signatories known to the Hub: signed on the Hub, recorded by the programme team, "
            "or known from public evidence (method 'imported', with its source). signed_on is "
            "no more precise than known: a day, a month (YYYY-MM), or empty."
        ),
    }


class SignatorySerializer(serializers.Serializer):
    """A signatory: the organisation and its active signing, flat, as in the downloads."""

    code = serializers.CharField(help_text="The organisation's code (mySociety code for councils).")
    url = serializers.SerializerMethodField(help_text="This record in the API.")
    organisation_url = serializers.SerializerMethodField(
        help_text="The organisation's record in the API."
    )
    hub_url = serializers.SerializerMethodField(help_text="The organisation's page on the Hub.")
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    gss_code = serializers.CharField()
    nation = serializers.CharField()
    region = serializers.CharField()
    la_type = serializers.CharField()
    la_type_name = serializers.CharField()
    is_current = serializers.BooleanField()
    signed_on = serializers.SerializerMethodField(
        help_text="When it signed, no more precise than known: 2018-07-04, 2018-07, or null."
    )
    signed_on_precision = serializers.ChoiceField(choices=Signing.DatePrecision.choices)
    method = serializers.ChoiceField(
        source="signing_method",
        choices=Signing.Method.choices,
        help_text="online (on the Hub), offline (recorded by the programme team) or imported "
        "(known from public evidence).",
    )
    evidence = serializers.CharField(source="signing_evidence")
    source = serializers.CharField(
        source="signing_source_url", help_text="Where the evidence is published."
    )
    senior_officer_name = serializers.CharField()
    senior_officer_role = serializers.CharField()
    political_lead_name = serializers.CharField()
    political_lead_role = serializers.CharField()
    statement = serializers.CharField(source="signing_statement")

    def _build(self, path: str) -> str:
        return _absolute(self.context.get("request"), path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organisation: Organisation) -> str:
        return self._build(reverse("api:declaration-signatory-detail", args=[organisation.code]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_organisation_url(self, organisation: Organisation) -> str:
        return self._build(reverse("api:organisation-detail", args=[organisation.code]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_hub_url(self, organisation: Organisation) -> str:
        return self._build(organisation.get_absolute_url())

    @extend_schema_field(OpenApiTypes.STR)
    def get_signed_on(self, organisation: Organisation) -> str | None:
        return (
            selectors.signed_on_iso(organisation.signed_on, organisation.signed_on_precision)
            or None
        )


class PublicPartnerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="organisation.code")
    name = serializers.CharField(source="organisation.name")
    status = serializers.CharField(
        help_text=(
            "`awaiting` (the partner has not yet confirmed being named) or `confirmed`. "
            "Partners that declined being named are left out."
        )
    )

    class Meta:
        model = CommitmentPartner
        fields = ["code", "name", "status"]
        read_only_fields = fields


class PublicCommitmentSerializer(serializers.ModelSerializer):
    """A commitment's public fields: what, who with, which principles, and how it went."""

    url = serializers.HyperlinkedIdentityField(view_name="api:declaration-commitment-detail")
    hub_url = serializers.SerializerMethodField(help_text="The commitment's page on the Hub.")
    organisation = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the organisation that made it."
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    partners = PublicPartnerSerializer(many=True, read_only=True)
    principles = serializers.SlugRelatedField(
        slug_field="key",
        many=True,
        read_only=True,
        help_text="Keys of the Declaration principles it advances.",
    )
    progress_reported_on = serializers.SerializerMethodField(
        help_text="The day the progress was reported, or null."
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "hub_url",
            "organisation",
            "organisation_name",
            "year",
            "title",
            "mission",
            "impact",
            "partners",
            "principles",
            "progress_due_on",
            "progress",
            "progress_note",
            "progress_reported_on",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_hub_url(self, commitment: Commitment) -> str:
        path = reverse("declaration:commitment_detail", args=[commitment.pk])
        return _absolute(self.context.get("request"), path)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_progress_reported_on(self, commitment: Commitment) -> str | None:
        reported = commitment.progress_reported_at
        return timezone.localtime(reported).date().isoformat() if reported else None
