"""Generated technology estate for the benchmark: 40,000 systems at 1x, 400,000 at 10x.

Every function gets 20 to 60 approved products from a pool of generated suppliers; the systems
are spread evenly over the bench's organisations, across the functions by a fixed weighting
(revenues and benefits the busiest) and across each function's products by a Zipf-like curve,
so a few products hold most of a market as in the sector. One product has the fixed slug
`bench-product` and leads the revenues and benefits market, so most organisations use it: the
product page and the function page are measured on it. A system's (organisation, function,
product) is unique; when the draws keep landing on a product the organisation already has, the
system becomes an in-house one (no product, a name). Organisations get a mix of sharing
settings, some none at all, and 300 pathways a scale record moves off products (a third off
`bench-product`). Everything comes from a seeded generator.
"""

import bisect
import datetime as dt
import itertools
import random
import sys
from typing import Any

SYSTEMS_AT_1X = 40_000
BATCH = 2_000
SUPPLIERS = 180
PRODUCTS_PER_FUNCTION = (20, 60)
ZIPF = 1.1
IN_HOUSE_SHARE = 0.05
RETRIES = 3
PATHWAYS_AT_1X = 300
PATHWAY_STATUSES = ["planned", "in_progress", "done", "done", "abandoned"]
BUSY_FUNCTION = "revenues-and-benefits"
BENCH_PRODUCT = "bench-product"
# Relative number of systems per function (others get 4).
FUNCTION_WEIGHTS = {
    "revenues-and-benefits": 10,
    "adult-social-care-case-management": 6,
    "childrens-social-care": 6,
    "waste": 6,
    "customer-relationship-management": 6,
    "finance": 6,
    "document-management": 7,
    "other": 6,
    "planning-back-office": 5,
    "planning-public-access": 5,
    "payments-and-income-management": 5,
    "hr-and-payroll": 5,
    "gis": 5,
    "identity-and-access": 5,
    "libraries": 3,
}
# Sharing levels with their weights; "" leaves the organisation without a setting (products).
SHARING = [("nothing", 10), ("products", 45), ("products_and_contract_ends", 35), ("", 10)]


def log(message: str) -> None:
    print(f"[bench.estate_data] {message}", file=sys.stderr, flush=True)


def _products(rng: random.Random, functions: list[Any]) -> dict[int, list[Any]]:
    """Suppliers and 20-60 approved products per function, the busy function's first being
    `bench-product`. Returns function pk -> products, most used first."""
    from localdigital.estate.models import Product, Supplier

    suppliers = Supplier.objects.bulk_create(
        [Supplier(name=f"Bench supplier {n}", slug=f"bench-supplier-{n}") for n in range(SUPPLIERS)]
    )
    products: list[Product] = []
    owner: list[Any] = []
    for function in functions:
        count = rng.randint(*PRODUCTS_PER_FUNCTION)
        for rank in range(count):
            first = function.key == BUSY_FUNCTION and rank == 0
            products.append(
                Product(
                    supplier=rng.choice(suppliers),
                    name="Bench product" if first else f"Bench {function.name} {rank + 1}",
                    slug=BENCH_PRODUCT if first else f"bench-{function.key}-{rank + 1}",
                    status=Product.Status.APPROVED,
                    hosting_models=rng.sample(
                        ["on_premises", "private_cloud", "public_cloud", "saas"],
                        k=rng.randint(1, 3),
                    ),
                    support_status=rng.choices(
                        ["supported", "extended", "end_of_support"], [80, 12, 8]
                    )[0],
                )
            )
            owner.append(function)
    Product.objects.bulk_create(products, batch_size=BATCH)
    links = Product.functions.through
    rows = [links(product_id=p.pk, function_id=f.pk) for p, f in zip(products, owner, strict=True)]
    # A few products serve a second function, as suites do.
    for product, function in zip(products, owner, strict=True):
        if rng.random() < 0.1:
            second = rng.choice(functions)
            if second.pk != function.pk:
                rows.append(links(product_id=product.pk, function_id=second.pk))
    links.objects.bulk_create(rows, batch_size=BATCH)
    by_function: dict[int, list[Any]] = {f.pk: [] for f in functions}
    for product, function in zip(products, owner, strict=True):
        by_function[function.pk].append(product)
    return by_function


class _Inserter:
    """Raw multi-row inserts of systems (executemany in batches): the ORM's bulk_create spends
    most of its time preparing 400,000 x 30 values one field at a time."""

    def __init__(self) -> None:
        from django.db import connection
        from django.utils import timezone

        from localdigital.estate.models import System

        self.connection = connection
        self.fields = [f for f in System._meta.concrete_fields if not f.primary_key]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.fixed = {"created_at": now, "updated_at": now}
        self.dates = {f.attname for f in self.fields if f.get_internal_type() == "DateField"}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(System._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - no input

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        values.update(self.fixed)
        adapt = self.connection.ops.adapt_datefield_value
        for name in self.dates:
            values[name] = adapt(values[name])
        return tuple(values[f.attname] for f in self.fields)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)

    def drop_indexes(self) -> list[str]:
        """On SQLite, drop the table's indexes (to build them once after the load, which is
        several times faster than keeping ten indexes up to date row by row). Returns the
        statements that recreate them."""
        if self.connection.vendor != "sqlite":
            return []
        from localdigital.estate.models import System

        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND sql IS NOT NULL",
                [System._meta.db_table],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        return [sql for _, sql in indexes]

    def create_indexes(self, statements: list[str]) -> None:
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def generate_estate(rng: random.Random, organisations: list[Any], scale: int) -> dict[str, int]:
    """Bulk-insert the suppliers, products, systems and sharing settings for `scale`."""
    from django.db import transaction
    from django.utils import timezone

    from localdigital.estate.demo import system_details
    from localdigital.estate.models import Function, SharingSetting, System
    from localdigital.estate.reference_data import load_functions
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    today = timezone.localdate()
    total = SYSTEMS_AT_1X * scale
    with transaction.atomic():
        functions = list(Function.objects.order_by("position"))
        by_function = _products(rng, functions)
        function_cum = list(itertools.accumulate(FUNCTION_WEIGHTS.get(f.key, 4) for f in functions))
        product_cum = {
            pk: list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(items))))
            for pk, items in by_function.items()
        }
        order = [organisation.pk for organisation in organisations]
        rng.shuffle(order)
        # Plain ids and names: 400,000 rounds of attribute look-ups on model instances add up.
        plain = [(f.pk, f.service_area_id, f"In-house {f.name} system") for f in functions]
        candidates_of = {pk: [p.pk for p in items] for pk, items in by_function.items()}
        used: set[tuple[int, int, int]] = set()
        rows: list[tuple[Any, ...]] = []
        in_house = 0
        insert = _Inserter()
        indexes = insert.drop_indexes()
        random_ = rng.random
        function_total = function_cum[-1]
        for n in range(total):
            organisation_id = order[n % len(order)]
            function_id, area_id, in_house_name = plain[
                bisect.bisect(function_cum, random_() * function_total)
            ]
            candidates = candidates_of[function_id]
            cumulative = product_cum[function_id]
            product_id = None
            if random_() >= IN_HOUSE_SHARE:
                for _ in range(RETRIES):
                    draw = candidates[bisect.bisect(cumulative, random_() * cumulative[-1])]
                    key = (organisation_id, function_id, draw)
                    if key not in used:
                        used.add(key)
                        product_id = draw
                        break
            in_house += product_id is None
            row = system_details(rng, today, in_house=product_id is None)
            row.update(
                organisation_id=organisation_id,
                function_id=function_id,
                service_area_id=area_id,
                product_id=product_id,
                other_name="" if product_id else in_house_name,
                notes="",
                is_demo=True,
            )
            rows.append(insert.row(row))
            if len(rows) == BATCH * 5:
                insert.write(rows)
                rows = []
        insert.write(rows)
        insert.create_indexes(indexes)
        settings_rows = []
        levels, weights = zip(*SHARING, strict=True)
        for organisation in organisations:
            level = rng.choices(levels, weights)[0]
            if level:
                settings_rows.append(SharingSetting(organisation=organisation, level=level))
        SharingSetting.objects.bulk_create(settings_rows, batch_size=BATCH)
        pathways = _pathways(rng, functions, by_function, order, scale, today)
    users_of_bench_product = (
        System.objects.filter(product__slug=BENCH_PRODUCT).values("organisation").distinct().count()
    )
    return {
        "estate_systems": total,
        "estate_in_house_systems": in_house,
        "estate_products": sum(len(items) for items in by_function.values()),
        "estate_suppliers": SUPPLIERS,
        "estate_sharing_settings": len(settings_rows),
        "estate_bench_product_organisations": users_of_bench_product,
        "estate_pathways": pathways,
    }


def _pathways(
    rng: random.Random,
    functions: list[Any],
    by_function: dict[int, list[Any]],
    organisation_ids: list[int],
    scale: int,
    today: Any,
) -> int:
    """Moves off products for the product pages' "councils that moved off this went to":
    PATHWAYS_AT_1X times the scale, a third of them off `bench-product`."""
    from localdigital.estate.models import Pathway

    busy = next(f for f in functions if f.key == BUSY_FUNCTION)
    rows = []
    for n in range(PATHWAYS_AT_1X * scale):
        function = busy if n % 3 == 0 else rng.choice(functions)
        products = by_function[function.pk]
        origin = products[0] if function is busy else rng.choice(products)
        destination = rng.choice([p for p in products[:8] if p.pk != origin.pk])
        status = rng.choice(PATHWAY_STATUSES)
        started = today - dt.timedelta(days=rng.randint(60, 1500))
        rows.append(
            Pathway(
                organisation_id=organisation_ids[n % len(organisation_ids)],
                function=function,
                from_product=origin,
                to_product=destination,
                status=status,
                started_on=started,
                finished_on=(
                    started + dt.timedelta(days=rng.randint(30, 500)) if status == "done" else None
                ),
                cost_band=rng.choice(["under_10k", "10k_50k", "50k_100k", "100k_250k"]),
                lessons="Clean the data before the move and run both systems for a month.",
            )
        )
    Pathway.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
