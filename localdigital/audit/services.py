"""Writing the audit log. Services call `event_log` for every sensitive action."""

from typing import Any

from django.db import models

from localdigital.audit.models import AuditEvent


def event_log(
    *,
    actor: Any,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    organisation: Any = None,
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event: `action` is `<area>.<verb>` (e.g. `membership.approve`).

    `actor` may be None for system actions (loaders, the worker).
    """
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_email=actor.email if is_person else "",
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data=data or {},
        ip_address=ip_address,
    )
