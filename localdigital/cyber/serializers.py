"""Serializers for the cyber API. Integer fields are declared, not derived from the models: a
positive integer's limits differ between SQLite and PostgreSQL, and the committed schema must be
the same on both. The benchmark and readiness figures are plain dataclasses from the selectors."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from localdigital.cyber.models import Assessment, OutcomeAnswer, PlanAction


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class AssessmentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    council = serializers.CharField(
        source="cycle.organisation.code", read_only=True, help_text="The council's code."
    )
    council_name = serializers.CharField(source="cycle.organisation.short_name", read_only=True)
    year = serializers.IntegerField(
        source="cycle.year", read_only=True, help_text="The cycle's year: 2026 is 2026/27."
    )
    framework = serializers.CharField(
        source="cycle.framework.key", read_only=True, help_text="Like caf@4.0."
    )

    class Meta:
        model = Assessment
        fields = [
            "id", "url", "council", "council_name", "year", "framework", "kind", "system_name",
            "status", "approved_at", "submitted_at", "assured_at", "updated_at",
        ]  # fmt: skip

    def get_url(self, assessment: Assessment) -> str:
        return _absolute(self, reverse("api:cyber-assessment-detail", args=[assessment.pk]))


class OutcomeAnswerSerializer(serializers.ModelSerializer):
    node_id = serializers.CharField(source="node.node_id", read_only=True)
    code = serializers.CharField(source="node.code", read_only=True)
    title = serializers.CharField(source="node.title", read_only=True)
    suggested_level = serializers.CharField(
        source="suggested_level.key", read_only=True, allow_null=True, default=None
    )
    level = serializers.CharField(
        source="level.key",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The confirmed level's key, like achieved; null until confirmed.",
    )
    level_label = serializers.CharField(
        source="level.label", read_only=True, allow_null=True, default=None
    )
    true_indicators = serializers.ListField(child=serializers.CharField(), read_only=True)
    evidence_links = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = OutcomeAnswer
        fields = [
            "node_id", "code", "title", "status", "true_indicators", "suggested_level", "level",
            "level_label", "justification", "evidence_text", "evidence_links", "due_date",
            "needs_check", "assurer_agrees", "assurer_comment", "updated_at",
        ]  # fmt: skip


class AssessmentDetailSerializer(AssessmentSerializer):
    answers = OutcomeAnswerSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "answers"]


class PlanActionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    outcome = serializers.CharField(
        source="answer.node.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The code of the outcome whose gap the action closes, if any.",
    )

    class Meta:
        model = PlanAction
        fields = [
            "id", "outcome", "description", "priority", "status", "target_date", "updated_at",
        ]  # fmt: skip


class LevelShareSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    count = serializers.IntegerField(
        read_only=True,
        min_value=0,
        help_text="Councils at this level (for an objective: outcome judgements).",
    )
    percent = serializers.IntegerField(read_only=True, min_value=0, max_value=100)


class BenchmarkRowSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    suppressed = serializers.BooleanField(read_only=True)
    councils = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Councils counted in the row; null when fewer than 5 (see `suppressed`).",
    )
    message = serializers.CharField(read_only=True)
    shares = LevelShareSerializer(many=True, read_only=True)


class BenchmarkLevelSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]


class BenchmarkSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True, allow_null=True)
    version = serializers.CharField(
        read_only=True, help_text="The CAF version counted: versions are never added together."
    )
    versions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Every CAF version with counted assessments in the year, newest first.",
    )
    include_approved = serializers.BooleanField(source="filters.include_approved", read_only=True)
    council_type = serializers.CharField(source="filters.council_type", read_only=True)
    region = serializers.CharField(source="filters.region", read_only=True)
    levels = serializers.SerializerMethodField()
    objectives = BenchmarkRowSerializer(many=True, read_only=True)
    outcomes = BenchmarkRowSerializer(many=True, read_only=True)
    includes_demo_data = serializers.BooleanField(
        read_only=True, help_text="True when generated demo cycles are among those counted."
    )

    @extend_schema_field(BenchmarkLevelSerializer(many=True))
    def get_levels(self, benchmark: Any) -> list[dict[str, str]]:
        """The ranked levels, worst first: the columns of every row's shares."""
        return [{"key": key, "label": label} for key, label in benchmark.levels]


class BenchmarkQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    council_type = serializers.CharField(required=False, default="", allow_blank=True)
    region = serializers.CharField(required=False, default="", allow_blank=True)
    include_approved = serializers.BooleanField(required=False, default=False)
    version = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=40,
        help_text="A CAF version, like 4.0; the year's newest counted version if omitted.",
    )


class OfflineBackupShareSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True, allow_null=True)
    suppressed = serializers.BooleanField(read_only=True)
    councils = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Councils that answered the backups question; null when fewer than 5.",
    )
    yes = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Of those, councils that answered yes; null when suppressed.",
    )
    percent = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=100)
    message = serializers.CharField(read_only=True)
    includes_demo_data = serializers.BooleanField(
        read_only=True, help_text="True when generated demo cycles are among those counted."
    )
