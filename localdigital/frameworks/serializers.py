"""Read-only serializers for the public frameworks API.

Trees come from `selectors.framework_trees`, passed in the serializer context as `trees`
(framework pk -> root nodes), so serializing makes no queries of its own.
"""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from localdigital.frameworks.models import Framework, Indicator, Level, Profile, ProfileTarget
from localdigital.frameworks.selectors import TreeNode


class IndicatorSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="indicator_id", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "statement"]
        read_only_fields = fields


class LevelSerializer(serializers.ModelSerializer):
    rank = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Higher is better; null for a level outside the order, like not applicable.",
    )

    class Meta:
        model = Level
        fields = ["key", "label", "rank"]
        read_only_fields = fields


class LevelWithIndicatorsSerializer(LevelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta(LevelSerializer.Meta):
        fields = [*LevelSerializer.Meta.fields, "indicators"]


class NodeSerializer(serializers.Serializer):
    """A node of the tree, with its levels and its children (nodes of the same shape)."""

    level_serializer: type[serializers.Serializer] = LevelSerializer

    id = serializers.CharField(source="node.node_id", read_only=True)
    type = serializers.CharField(source="node.type", read_only=True)
    code = serializers.CharField(source="node.code", read_only=True)
    title = serializers.CharField(source="node.title", read_only=True)
    description = serializers.CharField(source="node.description", read_only=True)
    assessable = serializers.BooleanField(source="node.assessable", read_only=True)
    answer = serializers.CharField(
        source="node.answer",
        read_only=True,
        help_text="How an assessable node is answered: level (one of its levels) or date.",
    )
    informs = serializers.ListField(
        source="node.informs",
        child=serializers.CharField(),
        read_only=True,
        help_text="Nodes of other frameworks this one informs, like caf:B5.c.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["levels"] = self.level_serializer(many=True, read_only=True)
        fields["children"] = type(self)(many=True, read_only=True)
        return fields


class NodeDetailSerializer(NodeSerializer):
    """A node with its levels and the indicators under each level."""

    level_serializer = LevelWithIndicatorsSerializer


class FrameworkSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="framework_id", read_only=True)
    key = serializers.CharField(read_only=True, help_text="Id and version, like tcop@2025.")
    # Plain text, not a choice field: an enum would be named KindEnum in the schema, which the
    # organisations' kinds already are.
    kind = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(Framework.Kind.values) + "."
    )
    url = serializers.SerializerMethodField()
    tree = serializers.SerializerMethodField()

    node_serializer: type[NodeSerializer] = NodeSerializer

    class Meta:
        model = Framework
        fields = [
            "id", "version", "key", "url", "name", "description", "kind", "source_url",
            "licence", "statements_source_url", "statements_licence", "content_hash",
            "loaded_at", "tree",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, framework: Framework) -> str:
        path = reverse(
            "api:framework-detail",
            kwargs={"framework_id": framework.framework_id, "version": framework.version},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(NodeSerializer(many=True))
    def get_tree(self, framework: Framework) -> Any:
        roots: list[TreeNode] = self.context["trees"][framework.pk]
        return self.node_serializer(roots, many=True).data


class ProfileTargetSerializer(serializers.ModelSerializer):
    node = serializers.CharField(source="node.node_id", read_only=True)
    level = serializers.CharField(
        source="level.key",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The level to reach; null when the node is not required.",
    )

    class Meta:
        model = ProfileTarget
        fields = ["node", "level"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="profile_id", read_only=True)
    targets = ProfileTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Profile
        fields = ["id", "name", "description", "targets"]
        read_only_fields = fields


class FrameworkDetailSerializer(FrameworkSerializer):
    node_serializer = NodeDetailSerializer
    profiles = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "profiles"]

    @extend_schema_field(NodeDetailSerializer(many=True))
    def get_tree(self, framework: Framework) -> Any:
        return super().get_tree(framework)

    @extend_schema_field(ProfileSerializer(many=True))
    def get_profiles(self, framework: Framework) -> Any:
        return ProfileSerializer(self.context["profiles"], many=True).data
