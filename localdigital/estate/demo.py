"""Generated demo records for the functions the real seed does not cover.

No public per-council list of social care, revenues and benefits, waste or finance systems
exists (see NOTICE.md), so the demo fills those functions with generated systems whose market
shape follows the published facts: two suppliers serve 86% of councils for social care case
management; four supply 91% of council tax (revenues and benefits) and 90% of electoral
registration systems; about 37% of councils run an in-house waste application and about 5% an
in-house planning back-office system.

Every product and supplier name starts with "Demo" and ends with a letter, so nobody mistakes
them for market data about a named company, and every system is marked `is_demo`. Shares are
allocated exactly (a seeded shuffle of the councils, then quotas), the other fields come from a
seeded generator, so two databases with the same councils get the same records. Re-running
changes nothing: a council that already has a system for a function keeps it.
"""

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from localdigital.estate.models import Function, Hosting, Product, Supplier, System
from localdigital.organisations.models import Organisation

SEED = 20_261_202
DEMO_NOTE = "Generated demo record: not a real council's system."
CONTRACT_YEARS_AHEAD = 6


@dataclass(frozen=True)
class Offer:
    """A demo product, its supplier (by letter) and the share of councils that use it."""

    product: str
    supplier: str
    share: float


@dataclass(frozen=True)
class Market:
    """The generated market for one function: products with shares, and an in-house share.
    Councils left over after the products and in-house quotas go to the smallest product."""

    offers: tuple[Offer, ...]
    in_house: float = 0.0
    in_house_name: str = ""


def _offers(stem: str, shares: list[tuple[str, float]]) -> tuple[Offer, ...]:
    return tuple(Offer(f"Demo {stem} {letter}", letter, share) for letter, share in shares)


CASE_MANAGEMENT = _offers(
    "case management", [("A", 0.51), ("B", 0.35), ("C", 0.06), ("D", 0.05), ("E", 0.03)]
)
# Function key -> market. Shares follow shared/data/SOURCES.md where a fact is published; the
# others are a plausible spread (three to five products, a few in-house systems).
MARKETS: dict[str, Market] = {
    # Two suppliers (A and B) serve 86% of councils, for adults and for children.
    "adult-social-care-case-management": Market(CASE_MANAGEMENT),
    "childrens-social-care": Market(CASE_MANAGEMENT),
    # Four suppliers (F to I) supply 91% of council tax systems.
    "revenues-and-benefits": Market(
        _offers(
            "revenues and benefits",
            [("F", 0.36), ("G", 0.27), ("H", 0.17), ("I", 0.11), ("J", 0.05), ("K", 0.04)],
        )
    ),
    # Four suppliers (F, G, L, M) supply 90% of electoral registration systems.
    "electoral-registration": Market(
        _offers(
            "electoral registration",
            [("L", 0.40), ("M", 0.25), ("F", 0.14), ("G", 0.11), ("N", 0.06), ("P", 0.04)],
        )
    ),
    # About 37% of councils run an in-house waste application.
    "waste": Market(
        _offers("waste", [("Q", 0.28), ("R", 0.20), ("S", 0.10), ("T", 0.05)]),
        in_house=0.37,
        in_house_name="In-house waste application",
    ),
    # About 5% of councils run an in-house planning back-office system.
    "planning-back-office": Market(
        _offers("planning back office", [("U", 0.55), ("V", 0.25), ("W", 0.10), ("X", 0.05)]),
        in_house=0.05,
        in_house_name="In-house planning system",
    ),
}
# The remaining functions (not committee management or planning public access, which the real
# seed covers, nor "other"): four products each and a few in-house systems.
GENERIC_SHARES = [0.38, 0.27, 0.18, 0.10]
GENERIC_IN_HOUSE = 0.07
REAL_SEED_FUNCTIONS = {"committee-management", "planning-public-access", "other"}
GENERIC_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def market_for(function: Function, index: int) -> Market:
    """The market of a function: a published-fact one, or four generic products."""
    if function.key in MARKETS:
        return MARKETS[function.key]
    letters = [GENERIC_LETTERS[(index * 4 + n) % len(GENERIC_LETTERS)] for n in range(4)]
    name = function.name
    # "Housing management" reads "Demo housing management A"; "GIS (mapping)" keeps its capitals.
    stem = name if name[:2].isupper() else name[:1].lower() + name[1:]
    offers = tuple(
        Offer(f"Demo {stem} {chr(ord('A') + n)}", letter, share)
        for n, (letter, share) in enumerate(zip(letters, GENERIC_SHARES, strict=True))
    )
    return Market(offers, in_house=GENERIC_IN_HOUSE, in_house_name=f"In-house {stem} system")


def current_councils() -> list[Organisation]:
    """Current councils (not ended), in code order."""
    today = timezone.localdate()
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_current=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .only("pk", "code")
        .order_by("code")
    )


def demo_functions() -> list[Function]:
    """The functions the demo fills: every function the real seed does not cover."""
    return list(Function.objects.exclude(key__in=REAL_SEED_FUNCTIONS).order_by("position"))


def _allocate(market: Market, count: int) -> list[Offer | None]:
    """Exact quotas: one entry per council, an Offer or None for in-house."""
    plan: list[Offer | None] = []
    for offer in market.offers:
        plan.extend([offer] * round(offer.share * count))
    plan.extend([None] * round(market.in_house * count))
    plan = plan[:count]
    while len(plan) < count:
        plan.append(market.offers[-1])
    return plan


class _Products:
    """Demo suppliers and products, created once (approved) and linked to their functions."""

    def __init__(self) -> None:
        self.suppliers_created = 0
        self.products_created = 0
        self._suppliers: dict[str, Supplier] = {}
        self._products: dict[str, Product] = {}
        self._linked: set[tuple[int, int]] = set()

    def supplier(self, letter: str) -> Supplier:
        if letter not in self._suppliers:
            name = f"Demo supplier {letter}"
            supplier, created = Supplier.objects.get_or_create(
                slug=f"demo-supplier-{letter.lower()}", defaults={"name": name}
            )
            self.suppliers_created += created
            self._suppliers[letter] = supplier
        return self._suppliers[letter]

    def product(self, offer: Offer, function: Function) -> Product:
        product = self._products.get(offer.product)
        if product is None:
            supplier = self.supplier(offer.supplier)
            slug = slugify(offer.product)
            # Its own generator, so whether the product exists never shifts the systems' draws.
            rng = random.Random(f"{SEED}:{slug}")  # noqa: S311 - demo data, not secrets
            product, created = Product.objects.get_or_create(
                slug=slug,
                defaults={
                    "supplier": supplier,
                    "name": offer.product,
                    "status": Product.Status.APPROVED,
                    "hosting_models": rng.sample([h.value for h in Hosting], k=rng.randint(1, 3)),
                },
            )
            self.products_created += created
            self._products[offer.product] = product
        if (product.pk, function.pk) not in self._linked:
            product.functions.add(function)
            self._linked.add((product.pk, function.pk))
        return product


def _table(pairs: list[tuple[object, int]]) -> tuple[list[object], list[int]]:
    values = [value for value, _ in pairs]
    return values, list(itertools.accumulate(weight for _, weight in pairs))


# Field -> (values, cumulative weights), drawn with one random number each.
TABLES = {
    "plan": _table([("retain", 50), ("replace", 20), ("migrate", 12), ("retire", 3), ("", 15)]),
    "hosting": _table(
        [("on_premises", 30), ("private_cloud", 20), ("public_cloud", 15), ("saas", 35)]
    ),  # fmt: skip
    "hosting_in_house": _table([("on_premises", 60), ("private_cloud", 25), ("public_cloud", 15)]),
    "annual_cost_band": _table(
        list(zip(System.CostBand.values, [10, 30, 25, 20, 12, 3], strict=True))
    ),
    "user_count_band": _table(list(zip(System.UserBand.values, [5, 25, 40, 22, 8], strict=True))),
    "open_apis": _table([("yes", 30), ("partly", 40), ("no", 30)]),
    "satisfaction": _table([(1, 5), (2, 15), (3, 35), (4, 35), (5, 10)]),
    "notice_period_months": _table([(3, 1), (6, 2), (12, 1)]),
}
PLANS_WITH_DATES = {"replace", "migrate", "retire"}


def _draw(rng: random.Random, table: str) -> object:
    values, cumulative = TABLES[table]
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def system_details(rng: random.Random, today: dt.date, *, in_house: bool) -> dict[str, object]:
    """The fields of one generated system other than its council, function and product. Fast
    (one random number a field): the benchmark draws 400,000 of these."""
    random_ = rng.random
    plan = _draw(rng, "plan")
    out_of_support = random_() < (0.25 if in_house else 0.1)
    details: dict[str, object] = {
        "version": "",
        "hosting": _draw(rng, "hosting_in_house" if in_house else "hosting"),
        "contract_start": None,
        "contract_end": None,
        "notice_period_months": None,
        "annual_cost_band": _draw(rng, "annual_cost_band"),
        "user_count_band": _draw(rng, "user_count_band"),
        "open_apis": _draw(rng, "open_apis"),
        "data_export": random_() < 0.7,
        "satisfaction": _draw(rng, "satisfaction"),
        "out_of_support": out_of_support,
        "unsupported_platform": out_of_support and random_() < 0.5,
        "single_person_dependency": random_() < (0.3 if in_house else 0.05),
        "no_api": random_() < 0.15,
        "heavy_customisation": random_() < (0.4 if in_house else 0.1),
        "plan": plan,
        "plan_target_date": (
            today + dt.timedelta(days=90 + int(random_() * 3 * 365))
            if plan in PLANS_WITH_DATES
            else None
        ),
        "critical": random_() < 0.3,
    }
    if not in_house:
        # Contract ends spread over the next six years; contracts ran 3 to 10 years.
        end = today + dt.timedelta(days=30 + int(random_() * (CONTRACT_YEARS_AHEAD * 365 - 30)))
        details.update(
            version=f"{1 + int(random_() * 12)}.{int(random_() * 10)}",
            contract_start=end - dt.timedelta(days=365 * (3 + int(random_() * 8))),
            contract_end=end,
            notice_period_months=_draw(rng, "notice_period_months"),
        )
    return details


@transaction.atomic
def seed_estate_demo() -> dict[str, int]:
    """Generate demo systems for every current council in every function the real seed does
    not cover. Returns counts: systems, products and suppliers created."""
    from localdigital.estate.reference_data import load_functions
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    councils = current_councils()
    functions = demo_functions()
    # A council that already has any system for a function (demo or its own) is left alone.
    taken = set(
        System.objects.filter(function__in=functions).values_list("organisation_id", "function_id")
    )
    today = timezone.localdate()
    products = _Products()
    new: list[System] = []
    for index, function in enumerate(functions):
        # One generator per function, so adding a function never reshuffles the others.
        rng = random.Random(f"{SEED}:{function.key}")  # noqa: S311 - demo data
        market = market_for(function, index)
        order = list(councils)
        rng.shuffle(order)
        for council, offer in zip(order, _allocate(market, len(order)), strict=True):
            details = system_details(rng, today, in_house=offer is None)
            product = products.product(offer, function) if offer else None
            if (council.pk, function.pk) in taken:
                continue
            new.append(
                System(
                    organisation=council,
                    function=function,
                    service_area_id=function.service_area_id,
                    product=product,
                    other_name="" if product else market.in_house_name,
                    notes=DEMO_NOTE,
                    is_demo=True,
                    **details,  # type: ignore[arg-type]
                )
            )
    # Checked by construction (one per council and function, product or name, dates in
    # order), so written in bulk rather than through one audited service call each.
    System.objects.bulk_create(new, batch_size=1_000)
    return {
        "systems_created": len(new),
        "products_created": products.products_created,
        "suppliers_created": products.suppliers_created,
    }
