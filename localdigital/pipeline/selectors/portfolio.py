"""An organisation's Pipeline portfolio: its items by phase, stale items, upcoming service
assessments and the work it partners on, as the viewer may see them."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from localdigital.core.access import pipeline_visible_q
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, StatusUpdate

UPCOMING_DAYS = 180


@dataclass
class Portfolio:
    organisation: Organisation
    by_phase: list[tuple[str, list[Item]]] = field(default_factory=list)
    total: int = 0
    stale: list[Item] = field(default_factory=list)
    upcoming_assessments: list[Item] = field(default_factory=list)
    partner_items: list[Item] = field(default_factory=list)
    archived: int = 0
    latest_updates: list[StatusUpdate] = field(default_factory=list)


def portfolio_items(user: Any, organisation: Organisation) -> QuerySet[Item]:
    """The organisation's items the viewer may see, active and archived, for pages and exports."""
    return (
        Item.objects.filter(pipeline_visible_q(user), organisation=organisation)
        .select_related("organisation", "service_area")
        .prefetch_related("tags")
        .order_by("title", "pk")
    )


def organisation_portfolio(
    user: Any, organisation: Organisation, *, with_updates: bool = True
) -> Portfolio:
    """Everything the portfolio shows, in a fixed number of queries (two for the council page
    section, which leaves out the latest updates)."""
    today = timezone.localdate()
    items = list(portfolio_items(user, organisation))
    active = [i for i in items if not i.is_archived]
    portfolio = Portfolio(organisation=organisation, total=len(active))
    portfolio.archived = len(items) - len(active)
    for value, _label in Item.Phase.choices:
        in_phase = [i for i in active if i.phase == value]
        if in_phase:
            portfolio.by_phase.append((value, in_phase))
    portfolio.stale = [i for i in active if i.review_by < today]
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    portfolio.upcoming_assessments = sorted(
        (
            i
            for i in active
            if i.next_assessment_date and today <= i.next_assessment_date <= horizon
        ),
        key=lambda i: i.next_assessment_date or today,
    )
    portfolio.partner_items = list(
        Item.objects.filter(pipeline_visible_q(user), partnerships__organisation=organisation)
        .filter(status=Item.Status.ACTIVE)
        .select_related("organisation")
        .order_by("title")
    )
    if not with_updates:
        return portfolio
    portfolio.latest_updates = list(
        StatusUpdate.objects.filter(
            pipeline_visible_q(user, prefix="item__"), item__organisation=organisation
        )
        .select_related("item")
        .order_by("-created_at", "-pk")[:5]
    )
    return portfolio
