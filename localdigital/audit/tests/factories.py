import datetime as dt
from typing import Any
from unittest import mock

from localdigital.audit.models import AuditEvent
from localdigital.audit.services import event_log


def make_event(*, when: dt.datetime | None = None, **kwargs: Any) -> AuditEvent:
    """An audit event written through the real service, optionally at a chosen moment.

    `created_at` is set by auto_now_add and rows cannot be updated afterwards, so the clock is
    moved instead.
    """
    kwargs.setdefault("actor", None)
    kwargs.setdefault("action", "test.happen")
    kwargs.setdefault("summary", "Something happened")
    if when is None:
        return event_log(**kwargs)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return event_log(**kwargs)
