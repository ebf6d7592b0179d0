"""Reminding signatories that a commitment's year-end progress report is overdue.

Programme staff press "Send reminders" on the programme view, or a scheduler runs
`manage.py send_declaration_reminders` (or enqueues `send_progress_reminders`). Either way each
overdue commitment's organisation admins are notified at most once every 14 days.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from localdigital.audit.services import event_log
from localdigital.core.access import is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.declaration import selectors
from localdigital.declaration.models import Commitment
from localdigital.notifications.services import notification_create

ONLY_STAFF = "Only the programme team can send reminders"
REMINDER_KIND = "declaration.progress_overdue"


@dataclass
class ReminderResult:
    """What a run did: commitments reminded, notifications sent, and commitments left out
    because their organisation has no admin to tell."""

    reminded: list[Commitment] = field(default_factory=list)
    notifications: int = 0
    without_admins: list[Commitment] = field(default_factory=list)


def _commitment_url(commitment: Commitment) -> str:
    for name in ("declaration:commitment_progress", "declaration:commitment_detail"):
        try:
            return reverse(name, args=[commitment.pk])
        except NoReverseMatch:
            continue
    return commitment.organisation.get_absolute_url()


@transaction.atomic
def commitment_reminders_send(*, actor: Any, now: dt.datetime | None = None) -> ReminderResult:
    """Notify the admins of every organisation with an overdue progress report, unless they
    were reminded about that commitment in the last 14 days, and record when.

    `actor` is a programme staff member, or None for a scheduled run. Each reminded
    commitment gets an audit event on its organisation's record.
    """
    if actor is not None and not is_programme_staff(actor):
        raise ApplicationError(ONLY_STAFF)
    now = now or timezone.now()
    # Locked, so two runs at once (a click and the scheduler) cannot both send.
    commitments = list(
        selectors.commitments_due_a_reminder(now=now).select_for_update(of=("self",))
    )
    admins = selectors.organisation_admins([c.organisation_id for c in commitments])
    result = ReminderResult()
    for commitment in commitments:
        recipients = admins.get(commitment.organisation_id, [])
        if not recipients:
            result.without_admins.append(commitment)
            continue
        organisation = commitment.organisation
        due = date_format(commitment.progress_due_on, "j F Y")
        for person in recipients:
            notification_create(
                recipient=person,
                kind=REMINDER_KIND,
                title=f"Report progress on ‘{commitment.title}’",
                body=(
                    f"{organisation.short_name}’s Local Digital Declaration commitment "
                    f"‘{commitment.title}’ was due a progress report on {due}. Say whether it "
                    "was done, partly done or not done, with a short note."
                ),
                url=_commitment_url(commitment),
                organisation=organisation,
            )
            result.notifications += 1
        event_log(
            actor=actor,
            action="declaration.commitment.remind",
            summary=(
                f"Reminded {organisation.short_name} to report progress on ‘{commitment.title}’"
            ),
            obj=commitment,
            organisation=organisation,
            data={
                "recipients": len(recipients),
                "progress_due_on": commitment.progress_due_on.isoformat(),
            },
        )
        result.reminded.append(commitment)
    if result.reminded:
        Commitment.objects.filter(pk__in=[c.pk for c in result.reminded]).update(
            last_reminder_sent_at=now, updated_at=now
        )
        for commitment in result.reminded:
            commitment.last_reminder_sent_at = now
    return result


@task()
def send_progress_reminders() -> int:
    """The scheduled run: remind every organisation due a reminder. Returns how many
    commitments were reminded."""
    return len(commitment_reminders_send(actor=None).reminded)
