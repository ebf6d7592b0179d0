"""The unread count for the "Notifications" navigation item.

Lazy, so pages that do not show the navigation (and signed-out visitors) make no query.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from localdigital.notifications.selectors import notification_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: notification_unread_count(user=user))}
