"""Serializers for the estate API. Integer fields are declared, not derived from the models: a
positive integer's limits differ between SQLite and PostgreSQL, and the committed schema must be
the same on both."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from localdigital.estate.models import Function, Product, Supplier, System


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["slug", "name"]


class ProductSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    supplier = SupplierSerializer(read_only=True)
    functions: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    hosting_models = serializers.ListField(child=serializers.CharField(), read_only=True)
    catalogue_asset: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Product
        fields = [
            "slug", "url", "name", "supplier", "functions", "hosting_models",
            "support_status", "end_of_support", "catalogue_asset", "updated_at",
        ]  # fmt: skip

    def get_url(self, product: Product) -> str:
        return _absolute(self, reverse("estate:product", args=[product.slug]))


class FunctionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    service_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    councils = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Councils that record a system for this function (an approved product, or "
        "an in-house or other system) and share their register; null when fewer than 5 (see "
        "`suppressed`).",
    )
    suppressed = serializers.BooleanField(read_only=True)
    message = serializers.CharField(read_only=True)
    includes_demo_data = serializers.BooleanField(
        read_only=True, help_text="Whether generated demo systems are among those counted"
    )

    class Meta:
        model = Function
        fields = [
            "key", "url", "name", "service_area", "councils", "suppressed", "message",
            "includes_demo_data",
        ]  # fmt: skip

    def get_url(self, function: Function) -> str:
        return _absolute(self, reverse("estate:function", args=[function.key]))


class ShareRowSerializer(serializers.Serializer):
    product = serializers.CharField(source="product.slug", help_text="The product's slug")
    name = serializers.CharField(source="product.name")
    supplier = serializers.CharField(source="product.supplier.name")
    councils = serializers.IntegerField(min_value=0)


class MarketShareSerializer(serializers.Serializer):
    function = serializers.CharField(source="function.key")
    suppressed = serializers.BooleanField()
    total = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        help_text="Councils counted; null when fewer than the minimum.",
    )
    minimum = serializers.IntegerField(min_value=1)
    message = serializers.SerializerMethodField()
    includes_demo_data = serializers.SerializerMethodField(
        help_text="Whether generated demo systems are among those counted"
    )
    rows = ShareRowSerializer(many=True)

    def get_message(self, share: Any) -> str:
        return share.suppressed_text if share.suppressed else ""

    def get_includes_demo_data(self, share: Any) -> bool:
        return bool(self.context.get("includes_demo_data", False))


class SystemSerializer(serializers.ModelSerializer):
    """A system in a council's own register, with every field (members only)."""

    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    function: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    service_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    product: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    product_name = serializers.SerializerMethodField()
    supplier = serializers.SerializerMethodField()
    name = serializers.CharField(source="display_name", read_only=True)
    notice_period_months = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=32767
    )
    satisfaction = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=1, max_value=5
    )

    class Meta:
        model = System
        fields = [
            "id", "organisation", "function", "service_area", "product", "product_name",
            "supplier", "other_name", "name", "version", "hosting", "contract_start",
            "contract_end", "notice_period_months", "annual_cost_band", "user_count_band",
            "open_apis", "data_export", "satisfaction", "out_of_support",
            "unsupported_platform", "single_person_dependency", "no_api",
            "heavy_customisation", "plan", "plan_target_date", "critical", "notes", "is_demo",
            "created_at", "updated_at",
        ]  # fmt: skip

    def get_product_name(self, system: System) -> str | None:
        return system.product.name if system.product else None

    def get_supplier(self, system: System) -> str | None:
        return system.product.supplier.name if system.product else None
