"""Notifying people: an in-app notification, and an email sent by the worker after commit."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification

# Read notifications are kept this long, as the privacy notice says.
READ_NOTIFICATION_RETENTION_DAYS = 180
RETENTION_TOO_SHORT = "Enter a number of days that is 1 or more"


@transaction.atomic
def notification_create(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    organisation: Any = None,
    send_email: bool = True,
) -> Notification:
    """Create an in-app notification and, after the transaction commits, email it."""
    notification = Notification(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        organisation=organisation,
    )
    notification.full_clean()
    notification.save()
    if send_email:
        from localdigital.notifications.tasks import email_notification

        transaction.on_commit(lambda: email_notification.enqueue(notification.pk))
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications as read; reading it again changes nothing.

    The caller fetches `notification` through `access_notification_for_user`, so it is the
    actor's own.
    """
    if notification.recipient_id != actor.pk:
        raise ApplicationError("You can only mark your own notifications as read")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor as read. Returns how many changed."""
    now = timezone.now()
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


@transaction.atomic
def notification_prune_read(
    *, actor: Any = None, older_than_days: int = READ_NOTIFICATION_RETENTION_DAYS
) -> int:
    """Delete read notifications read more than `older_than_days` ago; unread ones stay.

    This is the retention rule in the privacy notice. Returns how many were deleted and
    records the clean-up in the audit log when it deleted anything.
    """
    if older_than_days < 1:
        raise ApplicationError(RETENTION_TOO_SHORT, field="older_than_days")
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    if deleted:
        event_log(
            actor=actor,
            action="notification.prune",
            summary=f"Deleted {deleted} read notifications older than {older_than_days} days",
            data={"deleted": deleted, "older_than_days": older_than_days},
        )
    return deleted
