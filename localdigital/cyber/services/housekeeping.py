"""Cyber health's daily run: remind the owners of overdue plan actions.

An action is overdue once its target date has passed while it is neither done nor cancelled.
Its owner is reminded (in the Hub and by email) at most once a week, for as long as it stays
overdue, and only while they are still one of the council's cyber people: someone who has left
the team is not sent what the plan says.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from localdigital.cyber.models import CyberRole, PlanAction
from localdigital.cyber.selectors.plan import OPEN_STATUSES
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership

REMIND_EVERY_DAYS = 7


def overdue_to_remind(today: dt.date) -> "list[PlanAction]":
    """Overdue actions whose owner is still on the council's cyber team and was not reminded
    in the last week, locked for this run."""
    organisation = OuterRef("assessment__cycle__organisation")
    owner = OuterRef("owner")
    still_cyber = CyberRole.objects.filter(organisation=organisation, user=owner)
    still_member = Membership.objects.filter(
        organisation=organisation, user=owner, status=Membership.Status.ACTIVE
    )
    return list(
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("owner", "assessment__cycle__organisation")
        .filter(status__in=OPEN_STATUSES, target_date__lt=today, owner__isnull=False)
        .filter(
            Q(reminded_on__isnull=True)
            | Q(reminded_on__lte=today - dt.timedelta(days=REMIND_EVERY_DAYS))
        )
        .filter(Exists(still_cyber), Exists(still_member))
        .order_by("pk")
    )


@transaction.atomic
def overdue_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each overdue action's owner (once a week at most). Returns how many reminded."""
    today = today or timezone.localdate()
    count = 0
    for action in overdue_to_remind(today):
        organisation = action.assessment.cycle.organisation
        due = date_format(action.target_date, "j F Y") if action.target_date else ""
        notification_create(
            recipient=action.owner,
            kind="cyber.action_overdue",
            title=f"A cyber plan action you own was due on {due}",
            body="Open the Improvement and Implementation Plan to record progress, or change "
            "the target date or status if things have moved on.",
            url=reverse("cyber:plan", kwargs={"pk": action.assessment_id}),
            organisation=organisation,
        )
        action.reminded_on = today
        action.save(update_fields=["reminded_on", "updated_at"])
        count += 1
    return count


def cyber_housekeeping_run(*, today: dt.date | None = None) -> str:
    """The daily run. Returns a one-line summary."""
    today = today or timezone.localdate()
    reminded = overdue_reminders_send(today=today)
    return f"{reminded} overdue plan actions reminded"
