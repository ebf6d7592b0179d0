"""Reads of stored matches for the item page and the API."""

from dataclasses import dataclass
from typing import Any

from localdigital.core.access import pipeline_visible_q
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Interest, Item, Match


@dataclass(frozen=True)
class SimilarItem:
    item: Item
    score: float
    why: list[str]


def similar_work(user: Any, item: Item, *, limit: int = 5) -> list[SimilarItem]:
    """The item's stored matches from other organisations that the person may see, best first
    (never drafts or archived items). One query."""
    matches = (
        Match.objects.filter(item=item)
        .filter(pipeline_visible_q(user, prefix="other__"))
        .filter(other__status=Item.Status.ACTIVE)
        .exclude(other__visibility=Item.Visibility.DRAFT)
        .exclude(other__organisation_id=item.organisation_id)
        .select_related("other__organisation", "other__service_area")
        .order_by("rank")[:limit]
    )
    return [SimilarItem(item=m.other, score=m.score, why=list(m.why)) for m in matches]


@dataclass(frozen=True)
class SameProblem:
    organisation: Organisation
    reason: str
    item: Item | None = None


def councils_with_same_problem(user: Any, item: Item) -> list[SameProblem]:
    """Other organisations with the same problem: those whose similar items are problems, and
    those that said "we have this problem too" about this item (not withdrawn or declined)."""
    found: dict[int, SameProblem] = {}
    interests = (
        Interest.objects.filter(item=item, kind=Interest.Kind.SAME_PROBLEM)
        .exclude(status__in=[Interest.Status.WITHDRAWN, Interest.Status.DECLINED])
        .select_related("organisation")
    )
    for interest in interests:
        found.setdefault(
            interest.organisation_id,
            SameProblem(interest.organisation, "said they have this problem too"),
        )
    for similar in similar_work(user, item, limit=10):
        if similar.item.kind == Item.Kind.PROBLEM:
            found.setdefault(
                similar.item.organisation_id,
                SameProblem(similar.item.organisation, "shared a similar problem", similar.item),
            )
    return sorted(found.values(), key=lambda entry: entry.organisation.short_name)
