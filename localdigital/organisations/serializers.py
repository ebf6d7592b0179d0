"""API representations of organisations. Relations are given as organisation codes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from localdigital.organisations.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="code"
    )
    web_url = serializers.SerializerMethodField(help_text="The organisation's page on the Hub.")

    class Meta:
        model = Organisation
        fields = [
            "code",
            "url",
            "web_url",
            "name",
            "short_name",
            "kind",
            "gss_code",
            "nation",
            "region",
            "la_type",
            "la_type_name",
            "is_current",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, organisation: Organisation) -> str:
        request = self.context.get("request")
        path = organisation.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


def _codes(help_text: str, *, many: bool = True) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", many=many, read_only=True, help_text=help_text
    )


class OrganisationDetailSerializer(OrganisationSerializer):
    former_gss_codes = serializers.ListField(
        source="former_gss_code_list", child=serializers.CharField(), read_only=True
    )
    alt_names = serializers.ListField(
        source="alt_name_list", child=serializers.CharField(), read_only=True
    )
    gov_uk_url = serializers.URLField(read_only=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    county = _codes("Code of the county council above this district.", many=False)
    combined_authority = _codes("Code of the combined authority it belongs to.", many=False)
    districts = _codes("Codes of the district councils within this county.")
    constituent_members = _codes("Codes of the councils that make up this combined authority.")
    predecessors = _codes("Codes of the councils this one replaced.")
    successors = _codes("Codes of the councils that replaced this one.")

    class Meta(OrganisationSerializer.Meta):
        fields = [
            *OrganisationSerializer.Meta.fields,
            "former_gss_codes",
            "alt_names",
            "gov_uk_slug",
            "gov_uk_url",
            "population",
            "latitude",
            "longitude",
            "start_date",
            "end_date",
            "county",
            "combined_authority",
            "districts",
            "constituent_members",
            "predecessors",
            "successors",
        ]
        read_only_fields = fields
