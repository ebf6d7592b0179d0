"""Reads for an item's own pages: the item, its updates, partners, history and who may act."""

import difflib
import html
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from markupsafe import Markup

from localdigital.core.access import active_organisation_ids
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, Partnership, Revision, StatusUpdate, Watch
from localdigital.pipeline.services.items import LONG_TEXT_FIELDS, PARTNER_FIELD_CHOICES

UPDATES_ON_PAGE = 10


@dataclass
class ItemRoles:
    """What the person may do on the item (from one membership query)."""

    is_owner: bool = False
    is_collaborator: bool = False
    editable: set[str] = field(default_factory=set)

    @property
    def can_edit(self) -> bool:
        return self.is_owner or self.is_collaborator


def item_roles(user: Any, item: Item, partner_ids: list[int]) -> ItemRoles:
    """The person's roles on the item, given its partner organisation ids."""
    own = active_organisation_ids(user)
    if item.organisation_id in own:
        from localdigital.pipeline.services.items import FIELDS

        return ItemRoles(is_owner=True, editable=set(FIELDS))
    if own & set(partner_ids):
        return ItemRoles(is_collaborator=True, editable=set(item.partner_editable_fields))
    return ItemRoles()


def item_page(user: Any, item: Item) -> dict[str, Any]:
    """Everything the item page shows from the Pipeline's own records, in a fixed number of
    queries: partners, tags, latest updates, the person's roles and whether they watch it."""
    partnerships = list(
        Partnership.objects.filter(item=item)
        .select_related("organisation")
        .order_by("organisation__short_name")
    )
    updates = list(
        StatusUpdate.objects.filter(item=item)
        .select_related("organisation", "author")
        .order_by("-created_at", "-pk")[:UPDATES_ON_PAGE]
    )
    roles = item_roles(user, item, [p.organisation_id for p in partnerships])
    watching = bool(user.is_authenticated and Watch.objects.filter(item=item, user=user).exists())
    today = timezone.localdate()
    return {
        "partnerships": partnerships,
        "tags": list(item.tags.all()),
        "updates": updates,
        "roles": roles,
        "watching": watching,
        "is_stale": item.review_by < today and not item.is_archived,
        "revision_count": item.revisions.count(),
    }


def item_with_tags(item: Item) -> Item:
    return item


def revisions_for(item: Item) -> list[Revision]:
    return list(
        Revision.objects.filter(item=item)
        .select_related("actor", "organisation")
        .order_by("-number")
    )


def word_diff(old: str, new: str) -> Markup:
    """A readable word-level diff: removed words in <del>, added in <ins>, each with hidden
    text so screen readers say which is which."""
    old_words, new_words = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(html.escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            removed = html.escape(" ".join(old_words[a1:a2]))
            parts.append(
                f'<del><span class="govuk-visually-hidden">removed: </span>{removed}</del>'
            )
        if op in ("insert", "replace"):
            added = html.escape(" ".join(new_words[b1:b2]))
            parts.append(f'<ins><span class="govuk-visually-hidden">added: </span>{added}</ins>')
    return Markup(" ".join(parts))  # noqa: S704 - every piece is escaped above


def history_rows(revisions: list[Revision]) -> list[dict[str, Any]]:
    """Each revision's changes ready to show: long text as a word diff, short values old → new."""
    rows = []
    for revision in revisions:
        changes = []
        for name, change in revision.changes.items():
            long = name in LONG_TEXT_FIELDS and change["old"] and change["new"]
            changes.append(
                {
                    "label": change["label"],
                    "old": change["old"],
                    "new": change["new"],
                    "diff": word_diff(change["old"], change["new"]) if long else None,
                }
            )
        rows.append({"revision": revision, "changes": changes})
    return rows


def partner_page(item: Item) -> dict[str, Any]:
    partnerships = list(
        Partnership.objects.filter(item=item)
        .select_related("organisation")
        .order_by("organisation__short_name")
    )
    return {"partnerships": partnerships, "field_choices": PARTNER_FIELD_CHOICES}


def organisations_for_new_item(user: Any) -> list[Organisation]:
    """The organisations a person can add items for: those they are an active member of."""
    return list(
        Organisation.objects.filter(pk__in=active_organisation_ids(user)).order_by("short_name")
    )


def item_detail_queryset() -> Any:
    return Item.objects.select_related(
        "organisation", "service_area", "key_contact"
    ).prefetch_related(Prefetch("tags"))
