"""Interest that closes the loop: expressing interest, answering it, and escalating silence.

Any signed-in member can express interest in another organisation's item for one of their
organisations. The owner's contacts (`notices.owner_contacts`: the key contact and the creator
while they are members, otherwise the organisation's admins) are told at once. The owner accepts
(the organisation becomes a partner, its people collaborators), declines with a reason, or
replies; either side can keep the conversation going. Unanswered interest is escalated by
`freshness.pipeline_housekeeping_run`: reminded after 10 working days, the owner's admins told
after 20, when the item page also shows "awaiting response" to both sides.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership, Organisation
from localdigital.pipeline.matching.notices import owner_contacts
from localdigital.pipeline.models import Interest, InterestMessage, Item, Partnership
from localdigital.pipeline.services.items import item_partner_add

OWN_ITEM = "You cannot express interest in your own organisation’s item"
NOT_A_MEMBER = "You can only express interest for an organisation you are a member of"
NOT_OPEN = "You cannot express interest in a draft or archived item"
ALREADY_PENDING = "{organisation} has already expressed interest. Reply to that conversation."
ALREADY_PARTNER = "{organisation} is already a partner on this item"
KIND_REQUIRED = "Select why you are interested"
MESSAGE_REQUIRED = "Enter a message for the owner"
REASON_REQUIRED = "Enter a reason for declining"
REPLY_REQUIRED = "Enter your reply"
NOT_PENDING = "This interest has already been answered"
OWNER_ONLY = "Only people from {organisation} can answer interest in its item"
INTERESTED_ONLY = "Only people from {organisation} can withdraw its interest"
NOT_PARTY = "Only the two organisations in this conversation can reply"
KIND = "pipeline.interest"


def _interested_people(interest: Interest) -> list[Any]:
    """The person who expressed interest, if still a member, and otherwise the interested
    organisation's admins."""
    members = {
        m.user_id: m
        for m in Membership.objects.filter(
            organisation_id=interest.organisation_id, status=Membership.Status.ACTIVE
        ).select_related("user")
    }
    if interest.person_id in members:
        return [members[interest.person_id].user]
    return [m.user for m in members.values() if m.role == Membership.Role.ADMIN]


def _tell(
    people: list[Any],
    *,
    exclude: Any,
    interest: Interest,
    title: str,
    body: str,
    organisation: Organisation,
) -> int:  # noqa: E501
    told = 0
    for person in people:
        if exclude is not None and person.pk == exclude.pk:
            continue
        notification_create(
            recipient=person,
            kind=KIND,
            title=title,
            body=body,
            url=f"{interest.item.get_absolute_url()}#interest-{interest.pk}",
            organisation=organisation,
        )
        told += 1
    return told


@transaction.atomic
def interest_express(
    *, actor: Any, item: Item, organisation: Organisation, kind: str, message: str
) -> Interest:
    """Express an organisation's interest in another organisation's item; its owner's contacts
    are told at once."""
    if organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER, field="organisation")
    if organisation.pk == item.organisation_id:
        raise ApplicationError(OWN_ITEM)
    if item.is_draft or item.is_archived:
        raise ApplicationError(NOT_OPEN)
    if kind not in Interest.Kind.values:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    message = (message or "").strip()
    if not message:
        raise ApplicationError(MESSAGE_REQUIRED, field="message")
    if Partnership.objects.filter(item=item, organisation=organisation).exists():
        raise ApplicationError(ALREADY_PARTNER.format(organisation=organisation.short_name))
    pending = Interest.objects.select_for_update().filter(
        item=item,
        organisation=organisation,
        status__in=[Interest.Status.OPEN, Interest.Status.REPLIED],
    )
    if pending.exists():
        raise ApplicationError(ALREADY_PENDING.format(organisation=organisation.short_name))
    interest = Interest(
        item=item, organisation=organisation, person=actor, kind=kind, message=message
    )
    interest.full_clean()
    interest.save()
    told = _tell(
        owner_contacts(item),
        exclude=None,
        interest=interest,
        title=f"{organisation.short_name}: {interest.get_kind_display().lower()} ‘{item.title}’",
        body=f"{organisation.short_name} expressed interest in ‘{item.title}’: “{message[:200]}”. "
        "Accept, decline or reply.",
        organisation=item.organisation,
    )
    event_log(
        actor=actor,
        action="pipeline.interest.express",
        summary=f"{organisation.short_name} expressed interest in “{item.title}”",
        obj=interest,
        organisation=item.organisation,
        data={"kind": kind, "from": organisation.code, "told": told},
    )
    return interest


def _require_owner(actor: Any, interest: Interest) -> None:
    if interest.item.organisation_id not in active_organisation_ids(actor):
        raise ApplicationError(
            OWNER_ONLY.format(organisation=interest.item.organisation.short_name)
        )


def _answered(interest: Interest, actor: Any, now: dt.datetime) -> list[str]:
    fields = ["status", "responded_at", "responded_by", "updated_at"]
    interest.responded_at = now
    interest.responded_by = actor
    if interest.first_response_at is None:
        interest.first_response_at = now
        fields.append("first_response_at")
    return fields


@transaction.atomic
def interest_accept(*, actor: Any, interest: Interest, message: str = "") -> Interest:
    """Accept: the interested organisation becomes a partner and its people collaborators."""
    _require_owner(actor, interest)
    if not interest.is_pending:
        raise ApplicationError(NOT_PENDING)
    now = timezone.now()
    fields = _answered(interest, actor, now)
    interest.status = Interest.Status.ACCEPTED
    interest.save(update_fields=fields)
    if message.strip():
        InterestMessage.objects.create(
            interest=interest, author=actor, from_owner=True, body=message.strip()
        )
    if not Partnership.objects.filter(
        item=interest.item, organisation=interest.organisation
    ).exists():
        item_partner_add(
            actor=actor,
            item=interest.item,
            organisation=interest.organisation,
            source=Partnership.Source.INTEREST,
            interest=interest,
        )
    _tell(
        _interested_people(interest),
        exclude=actor,
        interest=interest,
        title=f"{interest.item.organisation.short_name} accepted your interest in "
        f"‘{interest.item.title}’",
        body=f"{interest.organisation.short_name} is now a partner: you can post updates and "
        "change the fields the owner agreed.",
        organisation=interest.organisation,
    )
    event_log(
        actor=actor,
        action="pipeline.interest.accept",
        summary=f"Accepted {interest.organisation.short_name}’s interest in "
        f"“{interest.item.title}”",
        obj=interest,
        organisation=interest.item.organisation,
        data={"from": interest.organisation.code},
    )
    return interest


@transaction.atomic
def interest_decline(*, actor: Any, interest: Interest, reason: str) -> Interest:
    """Decline, with a reason the interested organisation sees."""
    _require_owner(actor, interest)
    if not interest.is_pending:
        raise ApplicationError(NOT_PENDING)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REASON_REQUIRED, field="reason")
    fields = _answered(interest, actor, timezone.now())
    interest.status = Interest.Status.DECLINED
    interest.decline_reason = reason
    interest.save(update_fields=[*fields, "decline_reason"])
    _tell(
        _interested_people(interest),
        exclude=actor,
        interest=interest,
        title=f"{interest.item.organisation.short_name} declined your interest in "
        f"‘{interest.item.title}’",
        body=f"Their reason: “{reason[:300]}”",
        organisation=interest.organisation,
    )
    event_log(
        actor=actor,
        action="pipeline.interest.decline",
        summary=f"Declined {interest.organisation.short_name}’s interest in "
        f"“{interest.item.title}”",
        obj=interest,
        organisation=interest.item.organisation,
        data={"from": interest.organisation.code},
    )
    return interest


@transaction.atomic
def interest_reply(*, actor: Any, interest: Interest, body: str) -> InterestMessage:
    """A message from either side. The owner's first reply counts as a response, which stops
    the escalation clock; the interest stays pending until accepted or declined."""
    own = active_organisation_ids(actor)
    from_owner = interest.item.organisation_id in own
    if not from_owner and interest.organisation_id not in own:
        raise ApplicationError(NOT_PARTY)
    body = (body or "").strip()
    if not body:
        raise ApplicationError(REPLY_REQUIRED, field="body")
    message = InterestMessage.objects.create(
        interest=interest, author=actor, from_owner=from_owner, body=body
    )
    if from_owner and interest.status == Interest.Status.OPEN:
        fields = _answered(interest, actor, timezone.now())
        interest.status = Interest.Status.REPLIED
        interest.save(update_fields=fields)
    people = _interested_people(interest) if from_owner else owner_contacts(interest.item)
    sender = interest.item.organisation if from_owner else interest.organisation
    _tell(
        people,
        exclude=actor,
        interest=interest,
        title=f"{sender.short_name} replied about ‘{interest.item.title}’",
        body=body[:300],
        organisation=interest.organisation if from_owner else interest.item.organisation,
    )
    event_log(
        actor=actor,
        action="pipeline.interest.reply",
        summary=f"{sender.short_name} replied about interest in “{interest.item.title}”",
        obj=interest,
        organisation=interest.item.organisation,
        data={"from_owner": from_owner},
    )
    return message


@transaction.atomic
def interest_withdraw(*, actor: Any, interest: Interest) -> Interest:
    """The interested organisation withdraws a pending expression of interest."""
    if interest.organisation_id not in active_organisation_ids(actor):
        raise ApplicationError(
            INTERESTED_ONLY.format(organisation=interest.organisation.short_name)
        )
    if not interest.is_pending:
        raise ApplicationError(NOT_PENDING)
    interest.status = Interest.Status.WITHDRAWN
    interest.save(update_fields=["status", "updated_at"])
    event_log(
        actor=actor,
        action="pipeline.interest.withdraw",
        summary=f"{interest.organisation.short_name} withdrew its interest in "
        f"“{interest.item.title}”",
        obj=interest,
        organisation=interest.item.organisation,
        data={},
    )
    return interest
