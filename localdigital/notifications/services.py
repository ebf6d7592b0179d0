"""Notifying people: an in-app notification, and an email sent by the worker after commit."""

from typing import Any

from django.db import transaction

from localdigital.notifications.models import Notification


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
