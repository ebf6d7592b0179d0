"""Telling two owners, once, that their items closely match."""

from typing import Any

from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership
from localdigital.pipeline.models import Item, Match, MatchNotice

NOTICE_SCORE = 0.4
KIND = "pipeline.close_match"


def owner_contacts(item: Item) -> list[Any]:
    """Who hears about an item: its key contact and its creator while they are active members of
    the lead organisation, otherwise the organisation's admins."""
    active = Membership.objects.filter(
        organisation_id=item.organisation_id, status=Membership.Status.ACTIVE
    ).select_related("user")
    members = {m.user_id: m for m in active}
    people = {}
    for person_id in (item.key_contact_id, item.created_by_id):
        if person_id in members:
            people[person_id] = members[person_id].user
    if not people:
        people = {m.user_id: m.user for m in members.values() if m.role == Membership.Role.ADMIN}
    return list(people.values())


def notify_close_matches(item: Item, matches: list[Match]) -> int:
    """For each close match with another organisation's visible item, tell both owners once."""
    if item.visibility == Item.Visibility.DRAFT or item.is_archived:
        return 0
    told = 0
    close = [m for m in matches if m.score >= NOTICE_SCORE]
    if not close:
        return 0
    others = Item.objects.select_related("organisation").in_bulk([m.other_id for m in close])
    for match in close:
        other = others.get(match.other_id)
        if other is None or other.visibility == Item.Visibility.DRAFT or other.is_archived:
            continue
        first, second = sorted((item.pk, other.pk))
        _, created = MatchNotice.objects.get_or_create(
            first_id=first, second_id=second, defaults={"score": match.score}
        )
        if not created:
            continue
        for mine, theirs in ((item, other), (other, item)):
            for person in owner_contacts(mine):
                notification_create(
                    recipient=person,
                    kind=KIND,
                    title=f"‘{theirs.title}’ looks like your ‘{mine.title}’",
                    body=(
                        f"{theirs.organisation.short_name} shared work that closely matches "
                        f"yours. You might solve it together."
                    ),
                    url=theirs.get_absolute_url(),
                    organisation=mine.organisation,
                )
                told += 1
    return told
