"""Reads of the technology estate for sector views.

Sector views count councils, never show a council's costs or notes, leave out councils that
share nothing and hide any aggregate of fewer than 5 councils.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from localdigital.estate.models import Function, Hosting, Product, SharingSetting, Supplier, System
from localdigital.organisations.models import Organisation

T = TypeVar("T")

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


# --- Sector pages ------------------------------------------------------------------------------
#
# The pages below count councils in the database (values() + annotate with distinct counts), so
# each page takes the same few queries whether the register holds 500 systems or 400,000.

IN_HOUSE_LABEL = "In-house or other"
CONTRACT_YEARS = 5
CACHE_SECONDS = 300


def _remembered(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache until the Hub's data changes (the newest audit event's id,
    as the public page cache does; ADR 0007), so signed-in people - whom the page cache never
    serves - do not recount 400,000 systems on every visit. Off when the page cache is off."""
    if not settings.HUB_PAGE_CACHE:
        return compute()
    from localdigital.core.cache import data_version

    full_key = f"estate-sector:{data_version()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, CACHE_SECONDS)
    return found


def _hidden_organisations() -> QuerySet[SharingSetting, Any]:
    return SharingSetting.objects.filter(level=SharingSetting.Level.NOTHING).values(
        "organisation_id"
    )


def _sharing_contract_ends() -> QuerySet[SharingSetting, Any]:
    return SharingSetting.objects.filter(
        level=SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS
    ).values("organisation_id")


def counted_systems() -> QuerySet[System]:
    """Systems that function pages count: approved products and in-house or other systems, in
    councils that share something. A system of a proposed or rejected product is not counted
    until its product is approved (then it is counted under the product).

    Unapproved products are excluded by id (a short list) rather than by joining products, so
    the counts read only the (function, product, organisation) and (product, organisation)
    indexes."""
    unapproved = Product.objects.exclude(status=Product.Status.APPROVED).values("pk")
    return System.objects.filter(
        Q(product_id__isnull=True) | ~Q(product_id__in=unapproved)
    ).exclude(organisation_id__in=_hidden_organisations())


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Bar:
    """One row of a chart and its table: a label, a count of councils and its share."""

    label: str
    councils: int
    percent: float
    href: str = ""
    detail: str = ""
    key: str = ""


@dataclass(frozen=True)
class Aggregate:
    """A count of councils split into rows. When `suppressed`, `total` is None and `rows` is
    empty: pages say `suppressed_text` instead."""

    suppressed: bool
    total: int | None
    rows: list[Bar] = field(default_factory=list)
    minimum: int = MINIMUM_COUNCILS

    @property
    def suppressed_text(self) -> str:
        return f"fewer than {self.minimum} councils"


def _aggregate(total: int, rows: list[Bar], *, minimum: int) -> Aggregate:
    if total < minimum:
        return Aggregate(suppressed=True, total=None, minimum=minimum)
    return Aggregate(suppressed=False, total=total, rows=rows, minimum=minimum)


def suppressed_count(councils: int, *, minimum: int = MINIMUM_COUNCILS) -> int | None:
    """A count of councils, or None when it is below the minimum."""
    return councils if councils >= minimum else None


@dataclass(frozen=True)
class FunctionCount:
    function: Function
    councils: int | None  # None: fewer than the minimum


def function_counts(*, minimum: int = MINIMUM_COUNCILS) -> list[FunctionCount]:
    """Every function with how many councils record a system for it (None below `minimum`).
    Two queries, remembered until the data changes."""
    return _remembered(f"function-counts:{minimum}", lambda: _function_counts(minimum))


def _function_counts(minimum: int) -> list[FunctionCount]:
    counts = dict(
        counted_systems()
        .order_by()
        .values("function_id")
        .annotate(councils=Count("organisation_id", distinct=True))
        .values_list("function_id", "councils")
    )
    return [
        FunctionCount(function, suppressed_count(counts.get(function.pk, 0), minimum=minimum))
        for function in Function.objects.all()
    ]


@dataclass(frozen=True)
class FunctionPage:
    """A function's market share (products and "In-house or other", each as councils and a
    share of the councils recording the function) and its hosting mix."""

    function: Function
    share: Aggregate
    hosting: Aggregate
    includes_demo: bool


def function_page(function: Function, *, minimum: int = MINIMUM_COUNCILS) -> FunctionPage:
    """The figures on a function's page (see `_function_page`), remembered until the data
    changes."""
    return _remembered(
        f"function:{function.pk}:{minimum}", lambda: _function_page(function, minimum)
    )


def _function_page(function: Function, minimum: int) -> FunctionPage:
    """The figures on a function's page, in four queries however many systems there are (five
    when a small hosting mix needs an exact count).

    A council counts once per product it records, and under "In-house or other" when it records
    no approved product for the function; shares are of all councils recording the function, so
    a council with two products makes the shares add up to more than 100%. The hosting mix
    counts councils once per hosting model they use, as a share of the same councils; it is
    shown when at least `minimum` councils say how a system is hosted."""
    systems = counted_systems().filter(function=function).order_by()
    totals = systems.aggregate(
        councils=Count("organisation_id", distinct=True),
        with_product=Count("organisation_id", distinct=True, filter=Q(product_id__isnull=False)),
    )
    total = totals["councils"]
    by_hosting = {
        row["hosting"]: row
        for row in systems.values("hosting").annotate(
            councils=Count("organisation_id", distinct=True),
            demo=Count("pk", filter=Q(is_demo=True)),
        )
    }
    includes_demo = any(row["demo"] for row in by_hosting.values())
    rows: list[Bar] = []
    hosting_rows: list[Bar] = []
    if total >= minimum:
        counts = list(
            systems.filter(product_id__isnull=False)
            .values("product_id")
            .annotate(councils=Count("organisation_id", distinct=True))
            .values_list("product_id", "councils")
        )
        products = Product.objects.select_related("supplier").in_bulk([pk for pk, _ in counts])
        counts.sort(key=lambda pair: (-pair[1], products[pair[0]].name))
        rows = [
            Bar(
                label=products[pk].name,
                councils=councils,
                percent=_percent(councils, total),
                key=products[pk].slug,
                detail=products[pk].supplier.name,
            )
            for pk, councils in counts
        ]
        other = total - totals["with_product"]
        if other:
            rows.append(Bar(label=IN_HOUSE_LABEL, councils=other, percent=_percent(other, total)))
    if _enough_hosted(systems, by_hosting, minimum=minimum):
        labels = dict(Hosting.choices)
        hosting_rows = [
            Bar(
                label=str(labels[value]),
                councils=by_hosting[value]["councils"] if value in by_hosting else 0,
                percent=_percent(
                    by_hosting[value]["councils"] if value in by_hosting else 0, total
                ),
                key=value,
            )
            for value in Hosting.values
        ]
        hosting = Aggregate(suppressed=False, total=total, rows=hosting_rows, minimum=minimum)
    else:
        hosting = Aggregate(suppressed=True, total=None, minimum=minimum)
    return FunctionPage(
        function=function,
        share=_aggregate(total, rows, minimum=minimum),
        hosting=hosting,
        includes_demo=includes_demo,
    )


def _enough_hosted(systems: QuerySet[System], by_hosting: dict[str, Any], *, minimum: int) -> bool:
    """Whether at least `minimum` councils say how a system is hosted. Counting them distinctly
    reads every system again, so it is done only when the per-model counts cannot settle it:
    one model used by `minimum` councils is enough, all together fewer is not."""
    counts = [row["councils"] for value, row in by_hosting.items() if value]
    if not counts or sum(counts) < minimum:
        return False
    if max(counts) >= minimum:
        return True
    hosted = systems.exclude(hosting="").aggregate(councils=Count("organisation_id", distinct=True))
    return bool(hosted["councils"] >= minimum)


def product_find(
    *, query: str = "", function: Function | None = None, supplier: Supplier | None = None
) -> QuerySet[Product]:
    """Approved products matching a name or supplier search and the filters, by name."""
    products = Product.objects.filter(status=Product.Status.APPROVED).select_related("supplier")
    words = query.split()
    for word in words:
        products = products.filter(Q(name__icontains=word) | Q(supplier__name__icontains=word))
    if function is not None:
        products = products.filter(functions=function)
    if supplier is not None:
        products = products.filter(supplier=supplier)
    return products.order_by("name", "pk")


def product_council_counts(
    product_ids: list[int], *, minimum: int = MINIMUM_COUNCILS
) -> dict[int, int | None]:
    """How many counted councils use each product (None below `minimum`), in one query."""
    counts = dict(
        counted_systems()
        .filter(product_id__in=product_ids)
        .order_by()
        .values("product_id")
        .annotate(councils=Count("organisation_id", distinct=True))
        .values_list("product_id", "councils")
    )
    return {pk: suppressed_count(counts.get(pk, 0), minimum=minimum) for pk in product_ids}


@dataclass(frozen=True)
class ProductPage:
    """What the sector sees of a product. `councils` is None below the minimum; the member-only
    parts (`users`, `contract_ends`, `satisfaction`) are None for visitors."""

    product: Product
    councils: int | None
    includes_demo: bool
    users: QuerySet[Organisation] | None = None
    contract_ends: Aggregate | None = None
    satisfaction: Aggregate | None = None
    minimum: int = MINIMUM_COUNCILS

    @property
    def suppressed_text(self) -> str:
        return f"fewer than {self.minimum} councils"


def product_page(
    product: Product,
    *,
    member: bool,
    today: datetime.date,
    minimum: int = MINIMUM_COUNCILS,
) -> ProductPage:
    """The sector's figures for a product: one query for visitors; for sector members also the
    councils using it by name (a lazy queryset, to show a page at a time), contract ends by year
    over the next 5 years from councils that share them, and the satisfaction distribution.
    The figures are remembered until the data changes."""
    figures = _remembered(
        f"product:{product.pk}:{member}:{today.isoformat()}:{minimum}",
        lambda: _product_figures(product, member=member, today=today, minimum=minimum),
    )
    if not member:
        return ProductPage(product=product, minimum=minimum, **figures)
    # Lazy: the page shows the councils a page at a time (a product may have thousands).
    users = (
        Organisation.objects.filter(
            pk__in=counted_systems().filter(product=product).values("organisation_id")
        )
        .only("pk", "code", "name", "short_name")
        .order_by("name", "pk")
    )
    return ProductPage(product=product, users=users, minimum=minimum, **figures)


def _product_figures(
    product: Product, *, member: bool, today: datetime.date, minimum: int
) -> dict[str, Any]:
    systems = counted_systems().filter(product=product).order_by()
    last_year = today.year + CONTRACT_YEARS - 1
    in_window = Q(
        organisation_id__in=_sharing_contract_ends(),
        contract_end__gte=today,
        contract_end__year__lte=last_year,
    )
    totals = systems.aggregate(
        councils=Count("organisation_id", distinct=True),
        demo=Count("pk", filter=Q(is_demo=True)),
        rated=Count("organisation_id", distinct=True, filter=Q(satisfaction__isnull=False)),
        ending=Count("organisation_id", distinct=True, filter=in_window),
    )
    figures: dict[str, Any] = {
        "councils": suppressed_count(totals["councils"], minimum=minimum),
        "includes_demo": bool(totals["demo"]),
    }
    if not member:
        return figures
    ending_rows: list[Bar] = []
    if totals["ending"] >= minimum:
        by_year = dict(
            systems.filter(in_window)
            .annotate(year=ExtractYear("contract_end"))
            .values("year")
            .annotate(councils=Count("organisation_id", distinct=True))
            .values_list("year", "councils")
        )
        ending_rows = [
            Bar(
                label=str(year),
                councils=by_year.get(year, 0),
                percent=_percent(by_year.get(year, 0), totals["ending"]),
                key=str(year),
            )
            for year in range(today.year, last_year + 1)
        ]
    rated_rows: list[Bar] = []
    if totals["rated"] >= minimum:
        by_score = dict(
            systems.filter(satisfaction__isnull=False)
            .values("satisfaction")
            .annotate(councils=Count("organisation_id", distinct=True))
            .values_list("satisfaction", "councils")
        )
        rated_rows = [
            Bar(
                label=f"{score} out of 5",
                councils=by_score.get(score, 0),
                percent=_percent(by_score.get(score, 0), totals["rated"]),
                key=str(score),
            )
            for score in range(1, 6)
        ]
    figures["contract_ends"] = _aggregate(totals["ending"], ending_rows, minimum=minimum)
    figures["satisfaction"] = _aggregate(totals["rated"], rated_rows, minimum=minimum)
    return figures


@dataclass(frozen=True)
class SupplierProduct:
    product: Product
    councils: int | None


def supplier_products(
    supplier: Supplier, *, minimum: int = MINIMUM_COUNCILS
) -> list[SupplierProduct]:
    """A supplier's approved products with how many councils use each, in two queries."""
    products = list(
        Product.objects.filter(supplier=supplier, status=Product.Status.APPROVED).order_by("name")
    )
    counts = product_council_counts([product.pk for product in products], minimum=minimum)
    return [SupplierProduct(product, counts[product.pk]) for product in products]
