"""The append-only audit log of sensitive actions."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.urls import reverse

APPEND_ONLY_MESSAGE = "Audit events are append-only: they cannot be changed or deleted."


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # The log is evidence: block the bulk paths too, not only the admin buttons. Deleting a person
    # or organisation still works, because Django's SET_NULL does not go through these methods.
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class AuditEvent(models.Model):
    """One sensitive action: who did what, to which record, for which organisation, when.

    Rows are only ever inserted (through `audit.services.event_log`); saving an existing row,
    deleting one and bulk updates raise `AppendOnlyError`, and the admin shows them read-only.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_email = models.CharField(max_length=254, blank=True, default="")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("audit:detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)
