"""Reads of what has happened in the Pipeline: new items, status updates and partnerships
formed from expressions of interest. The start page shows the latest for each person; the
Atom and JSON feeds show the latest on public items to everyone.

Each kind of event is read newest first with its own query, limited to the number wanted, and
the lists are merged: the cost stays the same however much has happened.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from localdigital.core.access import pipeline_visible_q
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, Partnership, ServiceArea, StatusUpdate, Tag

NEW_ITEM = "new_item"
STATUS_UPDATE = "status_update"
PARTNERSHIP = "partnership"
FEED_LIMIT = 50


@dataclass(frozen=True)
class Activity:
    """One thing that happened to an item, for a list or a feed entry."""

    kind: str
    at: dt.datetime
    item: Item
    update: StatusUpdate | None = None
    partner: Organisation | None = None
    tags: list[Tag] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A stable name for the event, used in feed entry ids."""
        if self.update is not None:
            return f"pipeline/updates/{self.update.pk}"
        if self.partner is not None:
            return f"pipeline/items/{self.item.pk}/partners/{self.partner.pk}"
        return f"pipeline/items/{self.item.pk}"


def _newest_first(events: list[Activity], limit: int) -> list[Activity]:
    return sorted(events, key=lambda event: (event.at, event.key), reverse=True)[:limit]


def recent_activity(user: Any, *, limit: int = 10) -> list[Activity]:
    """The latest new items, status updates and accepted partnerships on items the person may
    see, newest first (three queries, plus the person's memberships).

    "New" means published beyond its own organisation: a draft never shows as a new item."""
    visible = pipeline_visible_q(user)
    on_visible_item = pipeline_visible_q(user, prefix="item__")
    items = (
        Item.objects.filter(visible, published_at__isnull=False)
        .exclude(visibility=Item.Visibility.DRAFT)
        .select_related("organisation")
        .order_by("-published_at", "-pk")[:limit]
    )
    updates = (
        StatusUpdate.objects.filter(on_visible_item)
        .select_related("item__organisation", "organisation")
        .order_by("-created_at", "-pk")[:limit]
    )
    partnerships = (
        Partnership.objects.filter(on_visible_item, source=Partnership.Source.INTEREST)
        .select_related("item__organisation", "organisation")
        .order_by("-created_at", "-pk")[:limit]
    )
    events = [Activity(kind=NEW_ITEM, at=item.published_at, item=item) for item in items]  # type: ignore[arg-type]
    events += [
        Activity(kind=STATUS_UPDATE, at=update.created_at, item=update.item, update=update)
        for update in updates
    ]
    events += [
        Activity(
            kind=PARTNERSHIP, at=partner.created_at, item=partner.item, partner=partner.organisation
        )
        for partner in partnerships
    ]
    return _newest_first(events, limit)


@dataclass(frozen=True)
class FeedScope:
    """Which public activity a feed carries: everything, or one service area, organisation or
    tag (at most one is set)."""

    service_area: ServiceArea | None = None
    organisation: Organisation | None = None
    tag: Tag | None = None

    def item_q(self, prefix: str = "") -> Q:
        condition = Q(**{f"{prefix}visibility": Item.Visibility.PUBLIC})
        if self.service_area is not None:
            condition &= Q(**{f"{prefix}service_area": self.service_area})
        if self.organisation is not None:
            condition &= Q(**{f"{prefix}organisation": self.organisation})
        if self.tag is not None:
            condition &= Q(**{f"{prefix}tags": self.tag})
        return condition


def feed_activity(scope: FeedScope, *, limit: int = FEED_LIMIT) -> list[Activity]:
    """The latest new items and status updates on PUBLIC items in the scope, newest first.

    Feeds are read by anyone, signed in or not, so only public items appear, whoever asks:
    never members-only items or drafts (four queries: items, updates and their tags)."""
    items = (
        Item.objects.filter(scope.item_q(), published_at__isnull=False)
        .select_related("organisation", "service_area")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")[:limit]
    )
    updates = (
        StatusUpdate.objects.filter(scope.item_q(prefix="item__"))
        .select_related("item__organisation", "item__service_area", "organisation", "author")
        .prefetch_related("item__tags")
        .order_by("-created_at", "-pk")[:limit]
    )
    events = [
        Activity(kind=NEW_ITEM, at=item.published_at, item=item, tags=list(item.tags.all()))  # type: ignore[arg-type]
        for item in items
    ]
    events += [
        Activity(
            kind=STATUS_UPDATE,
            at=update.created_at,
            item=update.item,
            update=update,
            tags=list(update.item.tags.all()),
        )
        for update in updates
    ]
    return _newest_first(events, limit)
