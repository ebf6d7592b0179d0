"""Generated demo systems: every current council, marked as demo, following the published
market facts, the same on every run."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from localdigital.estate.demo import REAL_SEED_FUNCTIONS, current_councils, seed_estate_demo
from localdigital.estate.models import Function, Product, Supplier, System
from localdigital.estate.selectors.sector import market_share
from localdigital.organisations.models import Organisation
from localdigital.organisations.reference_data import load_councils
from localdigital.pipeline.reference_data import load_service_areas

TOLERANCE = 0.02


@pytest.fixture
def councils(db):
    load_councils()
    load_service_areas()
    return current_councils()


@pytest.fixture
def seeded(councils):
    return seed_estate_demo()


def _share_of_top(function_key: str, top: int) -> float:
    """The share of current councils served by the `top` suppliers of a function."""
    function = Function.objects.get(key=function_key)
    systems = System.objects.filter(function=function, is_demo=True)
    councils = systems.values("organisation_id").distinct().count()
    by_supplier = (
        systems.filter(product__isnull=False)
        .values("product__supplier")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("-n")
    )
    return sum(row["n"] for row in by_supplier[:top]) / councils


def _in_house_share(function_key: str) -> float:
    systems = System.objects.filter(function__key=function_key, is_demo=True)
    return systems.filter(product__isnull=True).count() / systems.count()


def test_every_current_council_gets_a_demo_system_for_each_uncovered_function(councils, seeded):
    functions = Function.objects.exclude(key__in=REAL_SEED_FUNCTIONS)
    assert len(councils) > 350
    assert seeded["systems_created"] == len(councils) * functions.count()
    assert System.objects.count() == seeded["systems_created"]
    assert not System.objects.filter(is_demo=False).exists()
    assert not System.objects.filter(function__key__in=REAL_SEED_FUNCTIONS).exists()
    per_pair = System.objects.values("organisation", "function").annotate(n=Count("pk"))
    assert {row["n"] for row in per_pair} == {1}
    ended = Organisation.objects.exclude(pk__in=[c.pk for c in councils])
    assert not System.objects.filter(organisation__in=ended).exists()


@pytest.mark.parametrize(
    ("function_key", "top", "published"),
    [
        ("adult-social-care-case-management", 2, 0.86),
        ("childrens-social-care", 2, 0.86),
        ("revenues-and-benefits", 4, 0.91),
        ("electoral-registration", 4, 0.90),
    ],
)
def test_supplier_concentration_follows_the_published_facts(seeded, function_key, top, published):
    assert _share_of_top(function_key, top) == pytest.approx(published, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("function_key", "published"), [("waste", 0.37), ("planning-back-office", 0.05)]
)
def test_in_house_shares_follow_the_published_facts(seeded, function_key, published):
    assert _in_house_share(function_key) == pytest.approx(published, abs=TOLERANCE)


def test_names_say_the_products_and_suppliers_are_generated(seeded):
    products = Product.objects.filter(systems__is_demo=True).distinct()
    assert products.exists()
    assert all(p.name.startswith("Demo ") for p in products)
    assert set(products.values_list("status", flat=True)) == {Product.Status.APPROVED}
    suppliers = Supplier.objects.filter(products__in=products).distinct()
    assert all(s.name.startswith("Demo supplier ") for s in suppliers)
    names = System.objects.filter(product__isnull=True).values_list("other_name", flat=True)
    assert all(name.startswith("In-house ") for name in names)


def test_demo_systems_have_valid_varied_details(seeded):
    systems = list(System.objects.filter(product__isnull=False)[:300])
    for system in systems:
        system.clean_fields()
        assert system.contract_start <= system.contract_end
    assert len({s.hosting for s in systems}) == 4
    assert len({s.satisfaction for s in systems}) == 5
    assert len({s.annual_cost_band for s in systems}) >= 5
    assert any(s.out_of_support for s in systems)
    assert any(s.plan_target_date for s in systems)


def test_the_market_share_selector_sees_the_demo_market(seeded):
    share = market_share(Function.objects.get(key="adult-social-care-case-management"))
    assert not share.suppressed
    assert [row.product.name for row in share.rows[:2]] == [
        "Demo case management A",
        "Demo case management B",
    ]


def test_running_it_again_changes_nothing(seeded):
    before = list(System.objects.order_by("pk").values_list("organisation", "function", "product"))
    again = seed_estate_demo()
    assert again == {"systems_created": 0, "products_created": 0, "suppliers_created": 0}
    after = list(System.objects.order_by("pk").values_list("organisation", "function", "product"))
    assert after == before


def test_a_council_with_its_own_system_for_a_function_keeps_it(councils, make_product):
    from localdigital.estate.reference_data import load_functions

    load_functions()
    council = councils[0]
    waste = Function.objects.get(key="waste")
    own = System.objects.create(
        organisation=council, function=waste, product=make_product("Bin Tracker")
    )
    seed_estate_demo()
    assert list(System.objects.filter(organisation=council, function=waste)) == [own]


def test_two_databases_get_the_same_records(seeded):
    first = list(
        System.objects.order_by("organisation__code", "function__key").values_list(
            "organisation__code", "function__key", "product__slug", "hosting", "satisfaction"
        )
    )
    System.objects.all().delete()
    seed_estate_demo()
    second = list(
        System.objects.order_by("organisation__code", "function__key").values_list(
            "organisation__code", "function__key", "product__slug", "hosting", "satisfaction"
        )
    )
    assert first == second


def test_generation_writes_the_systems_in_a_few_bulk_inserts(councils):
    with CaptureQueriesContext(connection) as queries:
        counts = seed_estate_demo()
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [q for q in sql if q.startswith('INSERT INTO "estate_system"')]
    # Many rows to a statement (SQLite's variable limit allows about 30 systems in each).
    assert len(inserts) * 25 < counts["systems_created"]
    # The rest is per product and function, never per council.
    assert len(queries) < len(inserts) + 600
