from django.contrib import admin

from localdigital.catalogue.models import Adoption, Asset, TcopProfile


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "development_status", "licence", "tcop_tier", "adopter_count")
    list_filter = ("kind", "development_status", "tcop_tier")
    search_fields = ("name", "summary", "repository_url")
    readonly_fields = ("publiccode_text", "tcop_tier", "tcop_tier_until", "adopter_count")


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ("asset", "organisation", "status", "confirmed_on")
    list_filter = ("status",)


@admin.register(TcopProfile)
class TcopProfileAdmin(admin.ModelAdmin):
    list_display = ("asset", "state", "declared_at", "reviewed_at", "assured_at")
    list_filter = ("state",)
