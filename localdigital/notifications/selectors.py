"""Reads of notifications. People only ever see their own."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from localdigital.notifications.models import Notification


def notification_list_for_user(*, user: Any) -> QuerySet[Notification]:
    """The person's notifications, newest first; one query for any number of rows."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def notification_unread_count(*, user: Any) -> int:
    """How many of the person's notifications are unread (0 when signed out); one query."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def access_notification_for_user(user: Any, pk: int) -> Notification:
    """One of the person's own notifications. Someone else's, or a missing one, is a 404."""
    if not (user and user.is_authenticated):
        raise Http404("No such notification")
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404("No such notification") from None
