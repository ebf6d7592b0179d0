"""Writes for Pipeline items: create, change, publish, partners, agreed fields and watching.

Every change is kept as a `Revision` (who changed which field, when, old and new values as
display text), moves the item's review-by date on (`freshness.touch`) and, once committed,
refreshes its matches (`hooks.item_changed`). Services check who may act themselves, so a caller
that forgets the access helper cannot let the wrong person write.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids, is_item_collaborator, is_item_owner
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, Partnership, Revision, ServiceArea, Tag, Watch
from localdigital.pipeline.services import freshness, hooks

SUMMARY_MAX = 280
TITLE_REQUIRED = "Enter a title"
TITLE_TOO_LONG = "Enter a title of 200 characters or fewer"
SUMMARY_REQUIRED = "Enter a summary"
SUMMARY_TOO_LONG = "Enter a summary of 280 characters or fewer"
KIND_REQUIRED = "Select whether this is a project, an idea or a problem"
END_BEFORE_START = "The estimated end date must be the same as or after the start date"
NOT_A_MEMBER = "You can only add items for an organisation you are a member of"
NOT_ALLOWED = "Only people from {organisation} or its partners can change this item"
OWNER_ONLY = "Only people from {organisation} can do this"
NOT_AGREED = "{organisation} has not agreed that partners can change {label}"
NOTHING_CHANGED = "You have not changed anything"
ARCHIVED = "This item is archived. Restore it before changing it."
PARTNER_IS_OWNER = "{organisation} leads this item, so it cannot also be a partner"
ALREADY_PARTNER = "{organisation} is already a partner"
NOT_A_PARTNER = "{organisation} is not a partner"
PARTNER_NOT_CURRENT = "{organisation} is not a current organisation"
KEY_CONTACT_NOT_MEMBER = "The key contact must be a member of {organisation}"
BAD_TAG = "Tags can only use letters, numbers, spaces and hyphens"
TOO_MANY_TAGS = "Enter 10 tags or fewer"

# Fields a person may set on an item, in the order the history shows them.
FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "problem",
    "user_needs",
    "service_area",
    "tags",
    "phase",
    "collaboration_level",
    "budget_band",
    "funding_source",
    "start_date",
    "end_date",
    "next_assessment_date",
    "key_contact",
    "repository_url",
    "blog_url",
    "sprint_notes_url",
    "visibility",
)
# Only the lead organisation decides these: what the item is, who sees it and who to contact.
OWNER_ONLY_FIELDS = ("kind", "visibility", "key_contact", "title")
# Fields partners may change unless the owner chooses otherwise.
DEFAULT_PARTNER_FIELDS = [
    "summary",
    "description",
    "user_needs",
    "phase",
    "next_assessment_date",
    "repository_url",
    "blog_url",
    "sprint_notes_url",
]
PARTNER_FIELD_CHOICES = [f for f in FIELDS if f not in OWNER_ONLY_FIELDS]
LABELS = {
    "tags": "Tags",
    "summary": "Summary",
    "title": "Title",
    "kind": "Kind",
    "description": "Description",
    "problem": "The problem",
    "user_needs": "Users’ needs",
    "service_area": "Service area",
    "phase": "Phase",
    "collaboration_level": "Collaboration",
    "budget_band": "Budget",
    "funding_source": "Funding source",
    "start_date": "Start date",
    "end_date": "Estimated end date",
    "next_assessment_date": "Next service assessment",
    "key_contact": "Key contact",
    "repository_url": "Code repository",
    "blog_url": "Blog",
    "sprint_notes_url": "Sprint notes",
    "visibility": "Who can see it",
}
LONG_TEXT_FIELDS = ("description", "problem", "user_needs")
# Slugs other routes under /pipeline/ use: an item with one of these would never be reached.
RESERVED_SLUGS = {
    "new",
    "feed.atom",
    "feed.json",
    "feeds",
    "saved-searches",
    "interest",
    "interests",
    "portfolio",
    "organisations",
    "service-areas",
    "tags",
    "similar",
    "export",
    "export.csv",
    "import",
    "archived",
}


def display_value(item: Item, name: str, value: Any = None) -> str:
    """A field's value as a person reads it (choice labels, names, dates), for history."""
    if value is None and name != "tags":
        value = getattr(item, name)
    if name == "tags":
        names = value if value is not None else [t.name for t in item.tags.all()]
        return ", ".join(names)
    if value is None or value == "":
        return ""
    choices: Any = getattr(Item._meta.get_field(name), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if name == "key_contact":
        return value.full_name if hasattr(value, "full_name") else str(value)
    return str(value)


def build_search_text(item: Item, tag_names: Iterable[str]) -> str:
    """The lower-cased words the fallback search reads."""
    parts = [
        item.title,
        item.summary,
        item.problem,
        item.user_needs,
        item.description,
        " ".join(tag_names),
        item.organisation.short_name if item.organisation_id else "",
        item.service_area.name if item.service_area_id and item.service_area else "",
    ]
    return " ".join(" ".join(parts).lower().split())


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "item"
    candidate, n = base, 1
    while True:
        others = Item.objects.filter(slug=candidate)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        taken = candidate in RESERVED_SLUGS or others.exists()
        if not taken:
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def parse_tags(value: str | Iterable[str]) -> list[str]:
    """Tags from "a, b; c" text or a list: trimmed, de-duplicated, at most 10."""
    raw = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    names: list[str] = []
    seen: set[str] = set()
    for name in raw:
        name = " ".join(str(name).split())
        if not name:
            continue
        slug = slugify(name)[:60]
        if not slug:
            raise ApplicationError(BAD_TAG, field="tags")
        if slug not in seen:
            seen.add(slug)
            names.append(name[:60])
    if len(names) > 10:
        raise ApplicationError(TOO_MANY_TAGS, field="tags")
    return names


def _set_tags(item: Item, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
        tags.append(tag)
    item.tags.set(tags)


def _check(values: Mapping[str, Any], organisation: Organisation) -> None:
    title = values.get("title", "")
    if not title:
        raise ApplicationError(TITLE_REQUIRED, field="title")
    if len(title) > 200:
        raise ApplicationError(TITLE_TOO_LONG, field="title")
    summary = values.get("summary", "")
    if not summary:
        raise ApplicationError(SUMMARY_REQUIRED, field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ApplicationError(SUMMARY_TOO_LONG, field="summary")
    if values.get("kind") not in Item.Kind.values:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ApplicationError(END_BEFORE_START, field="end_date")
    contact = values.get("key_contact")
    if contact is not None and organisation.pk not in active_organisation_ids(contact):
        raise ApplicationError(
            KEY_CONTACT_NOT_MEMBER.format(organisation=organisation.short_name),
            field="key_contact",
        )


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "tags":
            value = parse_tags(value or "")
        elif isinstance(value, str):
            value = value.strip() if name in LONG_TEXT_FIELDS else " ".join(value.split())
        values[name] = value
    return values


def _full_clean(item: Item) -> None:
    try:
        item.full_clean(exclude=["slug", "organisation", "service_area", "key_contact"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from None


def revision_add(
    item: Item, *, actor: Any, organisation: Organisation | None, changes: dict, note: str = ""
) -> Revision:
    last = item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        item=item,
        number=last + 1,
        actor=actor,
        organisation=organisation,
        created_at=timezone.now(),
        changes=changes,
        note=note,
    )


def acting_organisation(actor: Any, item: Item) -> Organisation | None:
    """The organisation a person acts for on an item: the lead, else their partner organisation."""
    if actor is None:
        return None
    own = active_organisation_ids(actor)
    if item.organisation_id in own:
        return item.organisation
    partnership = (
        Partnership.objects.filter(item=item, organisation_id__in=own)
        .select_related("organisation")
        .first()
    )
    return partnership.organisation if partnership else None


@transaction.atomic
def item_create(
    *,
    actor: Any,
    organisation: Organisation,
    data: Mapping[str, Any],
    source: str = Item.Source.HUB,
    source_key: str = "",
    now: dt.datetime | None = None,
) -> Item:
    """Add a project, idea or problem led by `organisation`.

    `actor` must be an active member of the organisation; `None` is the system (imports and the
    seed). Revision 1 records every field set. Items not saved as drafts are published at once.
    """
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER, field="organisation")
    now = now or timezone.now()
    values = _clean(data)
    values.setdefault("kind", Item.Kind.PROJECT)
    _check(values, organisation)
    tag_names = values.pop("tags", [])
    item = Item(
        organisation=organisation,
        created_by=actor,
        source=source,
        source_key=source_key,
        partner_editable_fields=list(DEFAULT_PARTNER_FIELDS),
        **values,
    )
    item.slug = unique_slug(item.title)
    freshness.touch(item, now=now)
    if item.visibility != Item.Visibility.DRAFT:
        item.published_at = now
    item.search_text = build_search_text(item, tag_names)
    _full_clean(item)
    item.save()
    _set_tags(item, tag_names)
    changes = {}
    for name in FIELDS:
        new = display_value(item, name, tag_names if name == "tags" else None)
        if new:
            changes[name] = {"label": LABELS[name], "old": "", "new": new}
    revision_add(item, actor=actor, organisation=organisation, changes=changes, note="Created")
    event_log(
        actor=actor,
        action="pipeline.item.create",
        summary=f"{organisation.short_name} added the {item.get_kind_display().lower()} "
        f"“{item.title}”" + (" (imported)" if source != Item.Source.HUB else ""),
        obj=item,
        organisation=organisation,
        data={"slug": item.slug, "kind": item.kind, "visibility": item.visibility},
    )
    hooks.item_changed(item, newly_visible=item.visibility != Item.Visibility.DRAFT)
    return item


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: Item,
    data: Mapping[str, Any],
    note: str = "",
    now: dt.datetime | None = None,
) -> Item:
    """Change an item's fields. The lead organisation's members may change any field; members
    of partner organisations only the fields the owner agreed. Raises NOTHING_CHANGED when
    nothing differs (so re-imports and double submits leave no trace)."""
    owner = actor is None or is_item_owner(actor, item)
    if not owner and not is_item_collaborator(actor, item):
        raise ApplicationError(NOT_ALLOWED.format(organisation=item.organisation.short_name))
    if item.is_archived:
        raise ApplicationError(ARCHIVED)
    now = now or timezone.now()
    values = _clean(data)
    current_tags = [t.name for t in item.tags.all()]
    changes: dict[str, dict[str, str]] = {}
    for name, value in values.items():
        if name == "tags":
            if {slugify(t) for t in value} == {slugify(t) for t in current_tags}:
                continue
            old, new = ", ".join(current_tags), ", ".join(value)
        else:
            if getattr(item, name) == value:
                continue
            old, new = display_value(item, name), display_value(item, name, value)
        if not owner and name not in item.partner_editable_fields:
            raise ApplicationError(
                NOT_AGREED.format(
                    organisation=item.organisation.short_name, label=LABELS[name].lower()
                ),
                field=name,
            )
        changes[name] = {"label": LABELS[name], "old": old, "new": new}
    if not changes:
        raise ApplicationError(NOTHING_CHANGED)
    merged = {name: getattr(item, name) for name in FIELDS if name != "tags"}
    merged.update({k: v for k, v in values.items() if k != "tags"})
    _check(merged, item.organisation)
    was_draft = item.is_draft
    for name, value in values.items():
        if name != "tags":
            setattr(item, name, value)
    tag_names = values.get("tags", current_tags)
    freshness.touch(item, now=now)
    newly_visible = was_draft and not item.is_draft
    if newly_visible and item.published_at is None:
        item.published_at = now
    item.search_text = build_search_text(item, tag_names)
    _full_clean(item)
    item.save()
    if "tags" in changes:
        _set_tags(item, tag_names)
    organisation = acting_organisation(actor, item)
    revision_add(item, actor=actor, organisation=organisation, changes=changes, note=note)
    event_log(
        actor=actor,
        action="pipeline.item.update",
        summary=f"Changed {', '.join(c['label'].lower() for c in changes.values())} "
        f"of “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={"fields": sorted(changes), "acting_for": organisation.code if organisation else ""},
    )
    hooks.item_changed(item, newly_visible=newly_visible)
    return item


def _require_owner(actor: Any, item: Item) -> None:
    if not is_item_owner(actor, item):
        raise ApplicationError(OWNER_ONLY.format(organisation=item.organisation.short_name))


@transaction.atomic
def item_partner_add(
    *,
    actor: Any,
    item: Item,
    organisation: Organisation,
    source: str = Partnership.Source.OWNER,
    interest: Any = None,
) -> Partnership:
    """Name a partner organisation (the owner; `actor=None` for imports). Its active members
    become collaborators and it is listed on the item and on its own council page."""
    if actor is not None:
        _require_owner(actor, item)
    if organisation.pk == item.organisation_id:
        raise ApplicationError(PARTNER_IS_OWNER.format(organisation=organisation.short_name))
    # Imports record history: a partner may since have been abolished or merged.
    if actor is not None and not organisation.is_current:
        raise ApplicationError(PARTNER_NOT_CURRENT.format(organisation=organisation.short_name))
    if Partnership.objects.filter(item=item, organisation=organisation).exists():
        raise ApplicationError(ALREADY_PARTNER.format(organisation=organisation.short_name))
    partnership = Partnership.objects.create(
        item=item, organisation=organisation, source=source, interest=interest, added_by=actor
    )
    revision_add(
        item,
        actor=actor,
        organisation=item.organisation,
        changes={"partners": {"label": "Partners", "old": "", "new": organisation.short_name}},
        note="Partner added",
    )
    event_log(
        actor=actor,
        action="pipeline.partner.add",
        summary=f"{organisation.short_name} became a partner on “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={"partner": organisation.code, "source": source},
    )
    return partnership


@transaction.atomic
def item_partner_remove(*, actor: Any, item: Item, organisation: Organisation) -> None:
    """Remove a partner (the owner only). Its people stop being collaborators at once."""
    _require_owner(actor, item)
    deleted, _ = Partnership.objects.filter(item=item, organisation=organisation).delete()
    if not deleted:
        raise ApplicationError(NOT_A_PARTNER.format(organisation=organisation.short_name))
    revision_add(
        item,
        actor=actor,
        organisation=item.organisation,
        changes={"partners": {"label": "Partners", "old": organisation.short_name, "new": ""}},
        note="Partner removed",
    )
    event_log(
        actor=actor,
        action="pipeline.partner.remove",
        summary=f"{organisation.short_name} is no longer a partner on “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={"partner": organisation.code},
    )


@transaction.atomic
def item_set_partner_fields(*, actor: Any, item: Item, fields: Iterable[str]) -> Item:
    """Choose which fields partners may change (the owner only)."""
    _require_owner(actor, item)
    chosen = [f for f in PARTNER_FIELD_CHOICES if f in set(fields)]
    if chosen == list(item.partner_editable_fields):
        raise ApplicationError(NOTHING_CHANGED)
    old = ", ".join(LABELS[f] for f in item.partner_editable_fields if f in LABELS)
    item.partner_editable_fields = chosen
    item.save(update_fields=["partner_editable_fields", "updated_at"])
    revision_add(
        item,
        actor=actor,
        organisation=item.organisation,
        changes={
            "partner_editable_fields": {
                "label": "Fields partners can change",
                "old": old,
                "new": ", ".join(LABELS[f] for f in chosen),
            }
        },
    )
    event_log(
        actor=actor,
        action="pipeline.item.partner_fields",
        summary=f"Changed which fields partners can change on “{item.title}”",
        obj=item,
        organisation=item.organisation,
        data={"fields": chosen},
    )
    return item


def item_watch(*, actor: Any, item: Item) -> Watch:
    """Hear about the item's status updates (anyone signed in who can see it)."""
    watch, _ = Watch.objects.get_or_create(item=item, user=actor)
    return watch


def item_unwatch(*, actor: Any, item: Item) -> None:
    Watch.objects.filter(item=item, user=actor).delete()


def service_area_by_key(key: str) -> ServiceArea | None:
    return ServiceArea.objects.filter(key=key).first() if key else None
