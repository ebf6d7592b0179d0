"""The Django admin for the estate: the product list and its suppliers, the function reference
list (read-only: it is loaded from data/functions.yaml) and councils' systems.

Changes made here are not audited; curation normally goes through the product pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from localdigital.estate.models import Function, Product, Supplier, System


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "supplier", "status", "support_status", "end_of_support")
    list_filter = ("status", "support_status", "functions")
    list_select_related = ("supplier",)
    search_fields = ("name", "supplier__name")
    autocomplete_fields = ("supplier",)
    raw_id_fields = ("catalogue_asset", "proposed_by")
    filter_horizontal = ("functions",)


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "service_area", "position")
    list_select_related = ("service_area",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "function", "hosting", "is_demo")
    list_filter = (
        "is_demo",
        "function",
        "hosting",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("organisation", "product", "function")
    search_fields = ("organisation__name", "product__name", "other_name")
    raw_id_fields = ("organisation", "product", "service_area")
    show_full_result_count = False
