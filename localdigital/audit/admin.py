"""The audit log in the Django admin: readable by staff, never changeable."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from localdigital.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_email", "organisation", "summary"]
    list_filter = ["action", "created_at"]
    search_fields = ["action", "actor_email", "summary", "object_id", "organisation__code"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # "Delete selected" would be refused anyway; do not offer it.
        return {}
