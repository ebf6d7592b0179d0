"""Freshness: every item has a review-by date so nothing is "added and forgotten about".

An edit, a status update or a "still current" click moves the review-by date 90 days on. The
daily housekeeping run (`manage.py pipeline_housekeeping`, or the `pipeline_housekeeping` task)
nudges owners 14 days before the date, and archives items still unreviewed 180 days after it
(restorable, never deleted). It also escalates unanswered interest: the owner's contacts are
reminded after 10 working days, and its admins told after 20.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from localdigital.audit.services import event_log
from localdigital.core.access import can_edit_item, is_item_owner
from localdigital.core.exceptions import ApplicationError
from localdigital.core.working_days import working_days_between
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership
from localdigital.pipeline.models import Interest, Item

REVIEW_PERIOD_DAYS = 90
NUDGE_DAYS_BEFORE = 14
ARCHIVE_DAYS_AFTER = 180
REMIND_AFTER_WORKING_DAYS = 10
ESCALATE_AFTER_WORKING_DAYS = 20
ARCHIVED_REASON = "Not reviewed for 180 days after its review date"
NOT_ALLOWED = "Only people from {organisation} or its partners can confirm this item is current"
OWNER_ONLY = "Only people from {organisation} can archive or restore this item"
ALREADY_ARCHIVED = "This item is already archived"
NOT_ARCHIVED = "This item is not archived"


def review_by_after(moment: dt.datetime) -> dt.date:
    """The review-by date for an item last updated or confirmed at `moment`."""
    return moment.date() + dt.timedelta(days=REVIEW_PERIOD_DAYS)


def touch(item: Item, *, now: dt.datetime) -> list[str]:
    """Mark the item as updated now (an edit, a status update or a "still current" click):
    moves its review-by date on. Returns the fields changed, for save(update_fields=...)."""
    item.last_activity_at = now
    item.last_reviewed_at = now
    item.review_by = review_by_after(now)
    item.review_nudged_at = None
    return ["last_activity_at", "last_reviewed_at", "review_by", "review_nudged_at"]


def is_stale(item: Item, today: dt.date) -> bool:
    return not item.is_archived and item.review_by < today


def awaiting_response(interest: Interest, today: dt.date) -> bool:
    """Open interest unanswered for 20 working days: shown prominently to both sides."""
    return (
        interest.status == Interest.Status.OPEN
        and working_days_between(timezone.localdate(interest.created_at), today)
        >= ESCALATE_AFTER_WORKING_DAYS
    )


@transaction.atomic
def item_confirm_current(*, actor: Any, item: Item, now: dt.datetime | None = None) -> Item:
    """One click: the item is still current. Moves its review-by date on."""
    if not can_edit_item(actor, item):
        raise ApplicationError(NOT_ALLOWED.format(organisation=item.organisation.short_name))
    if item.is_archived:
        raise ApplicationError(ALREADY_ARCHIVED)
    fields = touch(item, now=now or timezone.now())
    item.save(update_fields=[*fields, "updated_at"])
    event_log(
        actor=actor,
        action="pipeline.item.confirm_current",
        summary=f"Confirmed “{item.title}” is still current",
        obj=item,
        organisation=item.organisation,
        data={"review_by": item.review_by.isoformat()},
    )
    return item


def _archive(item: Item, *, actor: Any, reason: str, now: dt.datetime) -> None:
    item.status = Item.Status.ARCHIVED
    item.archived_at = now
    item.archived_reason = reason
    item.save(update_fields=["status", "archived_at", "archived_reason", "updated_at"])
    event_log(
        actor=actor,
        action="pipeline.item.archive",
        summary=f"Archived “{item.title}”: {reason}",
        obj=item,
        organisation=item.organisation,
        data={"reason": reason},
    )


@transaction.atomic
def item_archive(*, actor: Any, item: Item, reason: str = "Archived by its owner") -> Item:
    """Archive an item (the lead organisation). It stays readable and can be restored."""
    if not is_item_owner(actor, item):
        raise ApplicationError(OWNER_ONLY.format(organisation=item.organisation.short_name))
    if item.is_archived:
        raise ApplicationError(ALREADY_ARCHIVED)
    _archive(item, actor=actor, reason=reason, now=timezone.now())
    from localdigital.pipeline.services import hooks

    hooks.item_changed(item, newly_visible=False)
    return item


@transaction.atomic
def item_restore(*, actor: Any, item: Item) -> Item:
    """Bring an archived item back; it counts as reviewed now."""
    if not is_item_owner(actor, item):
        raise ApplicationError(OWNER_ONLY.format(organisation=item.organisation.short_name))
    if not item.is_archived:
        raise ApplicationError(NOT_ARCHIVED)
    item.status = Item.Status.ACTIVE
    item.archived_at = None
    item.archived_reason = ""
    fields = touch(item, now=timezone.now())
    item.save(update_fields=[*fields, "status", "archived_at", "archived_reason", "updated_at"])
    event_log(
        actor=actor,
        action="pipeline.item.restore",
        summary=f"Restored “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={},
    )
    from localdigital.pipeline.services import hooks

    hooks.item_changed(item, newly_visible=False)
    return item


@dataclass
class HousekeepingResult:
    nudged: int = 0
    archived: int = 0
    interest_reminded: int = 0
    interest_escalated: int = 0

    def summary(self) -> str:
        return (
            f"{self.nudged} items nudged for review, {self.archived} archived, "
            f"{self.interest_reminded} interest reminders, "
            f"{self.interest_escalated} escalated to admins"
        )


def _admins(organisation_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        ).select_related("user")
    ]


@transaction.atomic
def pipeline_housekeeping_run(*, now: dt.datetime | None = None) -> HousekeepingResult:
    """The daily run: review nudges, archiving, interest reminders and escalations.

    Idempotent: each nudge, reminder and escalation is recorded on its row, so running twice in
    a day sends nothing twice. Rows are locked so two runs at once cannot both send."""
    from localdigital.pipeline.matching.notices import owner_contacts

    now = now or timezone.now()
    today = timezone.localdate(now)
    result = HousekeepingResult()
    due = (
        Item.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(
            status=Item.Status.ACTIVE,
            review_nudged_at__isnull=True,
            review_by__lte=today + dt.timedelta(days=NUDGE_DAYS_BEFORE),
            review_by__gte=today - dt.timedelta(days=ARCHIVE_DAYS_AFTER),
        )
    )
    for item in due:
        when = date_format(item.review_by, "j F Y")
        for person in owner_contacts(item):
            notification_create(
                recipient=person,
                kind="pipeline.review_due",
                title=f"Is ‘{item.title}’ still current?",
                body=f"Review it by {when}: change what has changed, post an update, or confirm "
                "it is still current. Items not reviewed are archived 180 days after that date.",
                url=item.get_absolute_url(),
                organisation=item.organisation,
            )
        item.review_nudged_at = now
        item.save(update_fields=["review_nudged_at"])
        result.nudged += 1
    stale = (
        Item.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(
            status=Item.Status.ACTIVE, review_by__lt=today - dt.timedelta(days=ARCHIVE_DAYS_AFTER)
        )
    )
    for item in stale:
        _archive(item, actor=None, reason=ARCHIVED_REASON, now=now)
        result.archived += 1
    waiting = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("item__organisation", "organisation")
        .filter(status=Interest.Status.OPEN)
        .filter(Q(reminded_at__isnull=True) | Q(escalated_at__isnull=True))
    )
    for interest in waiting:
        days = working_days_between(timezone.localdate(interest.created_at), today)
        item = interest.item
        url = f"{item.get_absolute_url()}#interest-{interest.pk}"
        if days >= REMIND_AFTER_WORKING_DAYS and interest.reminded_at is None:
            for person in owner_contacts(item):
                notification_create(
                    recipient=person,
                    kind="pipeline.interest_reminder",
                    title=f"{interest.organisation.short_name} is waiting for your answer",
                    body=f"Their interest in ‘{item.title}’ has had no answer for "
                    f"{REMIND_AFTER_WORKING_DAYS} working days. Accept, decline or reply.",
                    url=url,
                    organisation=item.organisation,
                )
            interest.reminded_at = now
            interest.save(update_fields=["reminded_at"])
            result.interest_reminded += 1
        if days >= ESCALATE_AFTER_WORKING_DAYS and interest.escalated_at is None:
            for person in _admins(item.organisation_id):
                notification_create(
                    recipient=person,
                    kind="pipeline.interest_escalated",
                    title=f"Interest in ‘{item.title}’ has had no answer for 20 working days",
                    body=f"{interest.organisation.short_name} expressed interest on "
                    f"{date_format(timezone.localdate(interest.created_at), 'j F Y')}. As an "
                    f"admin of {item.organisation.short_name}, please make sure someone answers.",
                    url=url,
                    organisation=item.organisation,
                )
            interest.escalated_at = now
            interest.save(update_fields=["escalated_at"])
            event_log(
                actor=None,
                action="pipeline.interest.escalate",
                summary=f"Interest from {interest.organisation.short_name} in “{item.title}” "
                "escalated to admins after 20 working days",
                obj=interest,
                organisation=item.organisation,
                data={"working_days": days},
            )
            result.interest_escalated += 1
    return result
