"""Where councils went when they moved off a product: destinations with counts by status,
lessons learned and links, for the product's page.

Councils that share nothing of their register are left out entirely. The cost band
distribution only shows when at least 5 councils gave one. A constant number of queries.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from localdigital.core.access import pipeline_visible_q
from localdigital.estate.models import Pathway, Product, SharingSetting, System
from localdigital.pipeline.models import Item

MINIMUM_COUNCILS = 5


@dataclass
class Destination:
    """A product or catalogue asset councils moved to, with counts by status."""

    to_product: Any
    to_asset: Any
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.to_product or self.to_asset)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_rows(self) -> list[tuple[str, int]]:
        return [
            (label, self.counts[value])
            for value, label in Pathway.Status.choices
            if self.counts.get(value)
        ]


@dataclass(frozen=True)
class Lesson:
    council: Any
    destination: str
    status: str
    text: str


@dataclass
class PathwaySummary:
    product: Product
    destinations: list[Destination]
    lessons: list[Lesson]
    items: list[Item]
    cost_bands: list[tuple[str, int]] | None
    cost_band_councils: int
    minimum: int = MINIMUM_COUNCILS

    @property
    def is_empty(self) -> bool:
        return not self.destinations


def _shared_pathways() -> QuerySet[Pathway]:
    hidden = SharingSetting.objects.filter(level=SharingSetting.Level.NOTHING).values(
        "organisation_id"
    )
    return Pathway.objects.exclude(organisation_id__in=hidden)


def pathways_from(product: Product, user: Any = None) -> PathwaySummary:
    """Where councils moving off `product` went: destinations most taken first with counts
    by status, their lessons with the council's name, the Pipeline items `user` may see, and
    the cost band distribution when at least 5 councils gave a cost band."""
    pathways = list(
        _shared_pathways()
        .filter(from_product=product)
        .select_related("organisation", "to_product", "to_asset")
        .order_by("-updated_at", "pk")
    )
    destinations: dict[tuple[str, int], Destination] = {}
    lessons = []
    bands: dict[int, str] = {}
    item_ids = set()
    for pathway in pathways:
        key = (
            ("product", pathway.to_product_id)
            if pathway.to_product_id
            else ("asset", pathway.to_asset_id or 0)
        )
        destination = destinations.setdefault(
            key, Destination(pathway.to_product, pathway.to_asset)
        )
        destination.counts[pathway.status] = destination.counts.get(pathway.status, 0) + 1
        if pathway.lessons:
            lessons.append(
                Lesson(
                    council=pathway.organisation,
                    destination=destination.name,
                    status=pathway.get_status_display(),
                    text=pathway.lessons,
                )
            )
        if pathway.cost_band:
            bands[pathway.organisation_id] = pathway.cost_band
        if pathway.pipeline_item_id:
            item_ids.add(pathway.pipeline_item_id)
    items: list[Item] = []
    if item_ids:
        items = list(
            Item.objects.filter(pipeline_visible_q(user), pk__in=item_ids)
            .select_related("organisation")
            .order_by("title")
        )
    cost_bands = None
    if len(bands) >= MINIMUM_COUNCILS:
        counted = Counter(bands.values())
        cost_bands = [
            (label, counted[value])
            for value, label in System.CostBand.choices
            if counted.get(value)
        ]
    return PathwaySummary(
        product=product,
        destinations=sorted(destinations.values(), key=lambda d: (-d.total, d.name)),
        lessons=lessons,
        items=items,
        cost_bands=cost_bands,
        cost_band_councils=len(bands),
    )
