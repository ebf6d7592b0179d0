"""Frameworks in the Django admin: to look at, never to change.

A loaded framework version is immutable (assessments point at it); new versions come from files
through `load_framework` or `load_reference_data`.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from localdigital.frameworks.models import Framework, Indicator, Level, Node, Profile, ProfileTarget


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LevelInline(ReadOnlyMixin, admin.TabularInline):
    model = Level
    fields = ["position", "key", "label", "rank"]
    extra = 0


class IndicatorInline(ReadOnlyMixin, admin.TabularInline):
    model = Indicator
    fields = ["position", "indicator_id", "level", "statement"]
    extra = 0


class ProfileTargetInline(ReadOnlyMixin, admin.TabularInline):
    model = ProfileTarget
    fields = ["node", "level"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["framework_id", "version", "name", "kind", "licence", "loaded_at"]
    list_filter = ["kind", "framework_id"]
    search_fields = ["framework_id", "name"]
    readonly_fields = [f.name for f in Framework._meta.fields]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(Node)
class NodeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["node_id", "code", "title", "type", "assessable", "framework"]
    list_filter = ["framework", "type", "assessable"]
    search_fields = ["node_id", "code", "title"]
    list_select_related = ["framework"]
    ordering = ["framework", "position"]
    readonly_fields = [f.name for f in Node._meta.fields]
    inlines = [LevelInline, IndicatorInline]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(Profile)
class ProfileAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["profile_id", "name", "framework", "origin"]
    list_filter = ["framework", "origin"]
    list_select_related = ["framework"]
    readonly_fields = [f.name for f in Profile._meta.fields]
    inlines = [ProfileTargetInline]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}
