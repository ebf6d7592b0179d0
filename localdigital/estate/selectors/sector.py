"""Reads of the technology estate for sector views.

Sector views count councils, never show a council's costs or notes, leave out councils that
share nothing and hide any aggregate of fewer than 5 councils.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from localdigital.estate.models import Function, Product, SharingSetting, System

MINIMUM_COUNCILS = 5
SUPPRESSED_TEXT = "fewer than 5 councils"


@dataclass(frozen=True)
class ShareRow:
    product: Product
    councils: int


@dataclass(frozen=True)
class MarketShare:
    """Market share for one function. When `suppressed`, `total` is None and `rows` is empty."""

    function: Function
    suppressed: bool
    total: int | None
    rows: list[ShareRow] = field(default_factory=list)
    minimum: int = MINIMUM_COUNCILS

    @property
    def suppressed_text(self) -> str:
        return f"fewer than {self.minimum} councils"


def sector_systems() -> QuerySet[System]:
    """Systems the sector may count: approved products, in councils that share something."""
    hidden = SharingSetting.objects.filter(level=SharingSetting.Level.NOTHING).values(
        "organisation_id"
    )
    return System.objects.filter(product__status=Product.Status.APPROVED).exclude(
        organisation_id__in=hidden
    )


def market_share(function: Function, *, minimum: int = MINIMUM_COUNCILS) -> MarketShare:
    """Products used for `function`, each with the number of councils using it, most used
    first. Two queries however many systems there are; hidden below `minimum` councils."""
    systems = sector_systems().filter(function=function)
    total = systems.values("organisation_id").distinct().count()
    if total < minimum:
        return MarketShare(function=function, suppressed=True, total=None, minimum=minimum)
    hidden = SharingSetting.objects.filter(level=SharingSetting.Level.NOTHING).values(
        "organisation_id"
    )
    products = (
        Product.objects.filter(status=Product.Status.APPROVED)
        .annotate(
            councils=Count(
                "systems__organisation",
                distinct=True,
                filter=Q(systems__function=function) & ~Q(systems__organisation_id__in=hidden),
            )
        )
        .filter(councils__gt=0)
        .select_related("supplier")
        .order_by("-councils", "name")
    )
    rows = [ShareRow(product=product, councils=product.councils) for product in products]
    return MarketShare(function=function, suppressed=False, total=total, rows=rows, minimum=minimum)
