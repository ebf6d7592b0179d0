from django.contrib import admin

from localdigital.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "organisation"]
    readonly_fields = ["created_at", "updated_at", "emailed_at"]
