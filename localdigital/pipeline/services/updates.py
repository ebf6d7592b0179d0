"""Status updates: "report once". One update reaches the item page, its watchers, its partners,
the feeds and the lead organisation's portfolio."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.access import can_edit_item
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership
from localdigital.pipeline.models import Item, StatusUpdate, Watch
from localdigital.pipeline.services import freshness, hooks
from localdigital.pipeline.services.items import acting_organisation, display_value, revision_add

UPDATE_TITLE_REQUIRED = "Enter a title for the update"
UPDATE_TITLE_TOO_LONG = "Enter a title of 150 characters or fewer"
UPDATE_BODY_REQUIRED = "Enter what has happened"
NOT_ALLOWED = "Only people from {organisation} or its partners can post updates"
ARCHIVED = "This item is archived. Restore it before posting an update."
KIND = "pipeline.update"


def update_recipients(item: Item, *, exclude: Any = None) -> list[Any]:
    """Everyone an update reaches, each once: watchers, and the active members of the lead and
    partner organisations."""
    organisation_ids = [
        item.organisation_id,
        *item.partnerships.values_list("organisation_id", flat=True),
    ]
    people: dict[int, Any] = {}
    for membership in Membership.objects.filter(
        organisation_id__in=organisation_ids, status=Membership.Status.ACTIVE
    ).select_related("user"):
        people[membership.user_id] = membership.user
    for watch in Watch.objects.filter(item=item).select_related("user"):
        people[watch.user_id] = watch.user
    if exclude is not None:
        people.pop(exclude.pk, None)
    return [p for p in people.values() if p.is_active]


@transaction.atomic
def status_update_post(
    *, actor: Any, item: Item, title: str, body: str, phase: str = ""
) -> StatusUpdate:
    """Post an update (lead organisation or a partner). A phase change is recorded on the item
    with a revision. The review-by date moves on, and every watcher and member of the lead and
    partner organisations is told once (except the author)."""
    if not can_edit_item(actor, item):
        raise ApplicationError(NOT_ALLOWED.format(organisation=item.organisation.short_name))
    if item.is_archived:
        raise ApplicationError(ARCHIVED)
    title, body = " ".join((title or "").split()), (body or "").strip()
    if not title:
        raise ApplicationError(UPDATE_TITLE_REQUIRED, field="title")
    if len(title) > 150:
        raise ApplicationError(UPDATE_TITLE_TOO_LONG, field="title")
    if not body:
        raise ApplicationError(UPDATE_BODY_REQUIRED, field="body")
    if phase and phase not in Item.Phase.values:
        raise ApplicationError("Select a phase from the list", field="phase")
    organisation = acting_organisation(actor, item) or item.organisation
    now = timezone.now()
    update = StatusUpdate(
        item=item, author=actor, organisation=organisation, title=title, body=body, phase=phase
    )
    update.full_clean()
    update.save()
    fields = freshness.touch(item, now=now)
    if phase and phase != item.phase:
        old = display_value(item, "phase")
        item.phase = phase
        fields.append("phase")
        revision_add(
            item,
            actor=actor,
            organisation=organisation,
            changes={"phase": {"label": "Phase", "old": old, "new": display_value(item, "phase")}},
            note=f"Update: {title}",
        )
    item.save(update_fields=[*fields, "updated_at"])
    url = f"{item.get_absolute_url()}#update-{update.pk}"
    recipients = update_recipients(item, exclude=actor)
    for person in recipients:
        notification_create(
            recipient=person,
            kind=KIND,
            title=f"Update on ‘{item.title}’: {title}",
            body=f"{organisation.short_name} posted an update on ‘{item.title}’.",
            url=url,
            organisation=item.organisation,
        )
    event_log(
        actor=actor,
        action="pipeline.update.post",
        summary=f"{organisation.short_name} posted the update “{title}” on “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={"update": update.pk, "phase": phase, "recipients": len(recipients)},
    )
    if phase:
        hooks.item_changed(item, newly_visible=False)
    return update
