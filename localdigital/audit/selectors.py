"""Reads of the audit log. Only programme staff may read it."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.access import is_programme_staff


@dataclass(frozen=True)
class AuditFilters:
    """The filters a person can apply to the audit log. Empty values mean "any"."""

    action: str = ""
    actor_email: str = ""
    organisation_code: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.action
            or self.actor_email
            or self.organisation_code
            or self.date_from
            or self.date_to
        )


def audit_log_access(user: Any) -> None:
    """Let programme staff through; raise 404 for everyone else, so the log's address
    reveals nothing to people who may not read it."""
    if not is_programme_staff(user):
        raise Http404("No such page")


def _start_of_day(day: dt.date) -> dt.datetime:
    # Staff think in UK dates, so a day runs from local midnight to local midnight.
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def audit_event_list(*, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by `filters`; one query for any number of rows.

    `action` matches from the start, so "membership" finds every membership action;
    `actor_email` matches anywhere in the address; `organisation_code` matches exactly; the dates
    are inclusive UK calendar days.
    """
    filters = filters or AuditFilters()
    events = AuditEvent.objects.select_related("actor", "organisation").order_by(
        "-created_at", "-id"
    )
    if filters.action:
        events = events.filter(action__startswith=filters.action.strip().lower())
    if filters.actor_email:
        events = events.filter(actor_email__icontains=filters.actor_email.strip())
    if filters.organisation_code:
        events = events.filter(organisation__code__iexact=filters.organisation_code.strip())
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + dt.timedelta(days=1)
        events = events.filter(created_at__lt=_start_of_day(next_day))
    return events


def audit_event_get(*, user: Any, pk: int) -> AuditEvent:
    """One audit event for programme staff; 404 for anyone else or when it does not exist."""
    audit_log_access(user)
    try:
        return AuditEvent.objects.select_related("actor", "organisation").get(pk=pk)
    except AuditEvent.DoesNotExist:
        raise Http404("No such audit event") from None
