"""Real estate records from data/council_tech_estate_seed.csv: for each council, the committee
management system its website runs and its planning public access platform (Democracy Club and
sebvett/planning-applications, MIT; see NOTICE.md).

These are real, so the systems are not marked as demo data. The file names platforms, not
suppliers, so each platform becomes a supplier and a product of the same name until programme
staff say who supplies it. Values that name no product ("Custom", "Custom HTML", "JSON API", "-",
empty) are skipped; a cell naming several platforms ("Custom;Idox") gives one system for each
product it names. Re-running changes nothing.
"""

import csv
from pathlib import Path

from django.db import transaction

from localdigital.estate.models import Function, Product, System
from localdigital.estate.reference_data import load_functions
from localdigital.estate.services.systems import supplier_for_name, unique_product_slug
from localdigital.organisations.models import Organisation

SEED_PATH = Path(__file__).resolve().parent / "data" / "council_tech_estate_seed.csv"
# Column -> the function its systems serve.
COLUMNS = {
    "democracy_system": "committee-management",
    "planning_portal_system": "planning-public-access",
}
# Values that say the source could not name a product.
NOT_A_PRODUCT = {"", "-", "custom", "custom html", "custom html (paged)", "json api"}


def products_named(cell: str) -> list[str]:
    """The product names in one cell, in order, without the values that name no product."""
    names = []
    for part in cell.split(";"):
        name = " ".join(part.split())
        if name.lower() not in NOT_A_PRODUCT and name not in names:
            names.append(name)
    return names


def _product(name: str, function: Function, cache: dict[str, Product]) -> Product:
    if name in cache:
        return cache[name]
    supplier = supplier_for_name(name)
    product = Product.objects.filter(supplier=supplier, name__iexact=name).first()
    if product is None:
        product = Product(
            supplier=supplier,
            name=name,
            slug=unique_product_slug(name),
            status=Product.Status.APPROVED,
        )
        product.full_clean()
        product.save()
    product.functions.add(function)
    cache[name] = product
    return product


@transaction.atomic
def seed_estate(*, path: Path = SEED_PATH) -> dict[str, int]:
    """Load the real committee management and planning portal systems for the councils in the
    database. Returns counts: systems created, rows whose council is not in the database."""
    # The functions name service areas: both loaders are idempotent, so a seed run on a
    # database without them (a test, or seed_demo before load_reference_data) still works.
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    functions = {f.key: f for f in Function.objects.filter(key__in=COLUMNS.values())}
    councils = {o.code: o for o in Organisation.objects.only("pk", "code")}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(
        System.objects.filter(function__in=functions.values(), product__isnull=False).values_list(
            "organisation_id", "function_id", "product_id"
        )
    )
    cache: dict[str, Product] = {}
    new: list[System] = []
    missing = 0
    for row in rows:
        council = councils.get(row["local_authority_code"].strip())
        if council is None:
            missing += 1
            continue
        for column, function_key in COLUMNS.items():
            function = functions[function_key]
            for name in products_named(row[column]):
                product = _product(name, function, cache)
                key = (council.pk, function.pk, product.pk)
                if key in existing:
                    continue
                existing.add(key)
                new.append(
                    System(
                        organisation=council,
                        function=function,
                        service_area_id=function.service_area_id,
                        product=product,
                        is_demo=False,
                    )
                )
    # The rows are checked above (known council, function and product, one per key), so the
    # systems are written in bulk rather than one audited service call each.
    System.objects.bulk_create(new, batch_size=500)
    return {"rows": len(rows), "systems_created": len(new), "councils_missing": missing}
