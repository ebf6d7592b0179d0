"""The real committee management and planning portal systems from the shared seed file."""

import csv

import pytest

from localdigital.estate.models import Product, System
from localdigital.estate.seed import SEED_PATH, products_named, seed_estate
from localdigital.estate.selectors.sector import market_share
from localdigital.organisations.reference_data import load_councils
from localdigital.pipeline.reference_data import load_service_areas


@pytest.fixture
def councils(db):
    load_councils()
    load_service_areas()


def test_products_named_skips_values_that_name_no_product():
    assert products_named("ModernGov") == ["ModernGov"]
    assert products_named("Custom HTML") == []
    assert products_named("JSON API") == []
    assert products_named(" - ") == []
    assert products_named("") == []
    assert products_named("Arcus;Custom;Idox") == ["Arcus", "Idox"]


def test_the_seed_loads_the_real_systems_of_every_council_present(councils):
    counts = seed_estate()
    assert counts["rows"] == 382
    assert counts["councils_missing"] == 0
    assert counts["systems_created"] == 586  # 329 committee management, 257 planning portals
    systems = System.objects.select_related("organisation", "product", "function")
    assert counts["systems_created"] == systems.count()
    assert not systems.filter(is_demo=True).exists()
    aberdeen = {(s.function.key, s.product.name) for s in systems.filter(organisation__code="ABE")}
    assert aberdeen == {("committee-management", "ModernGov"), ("planning-public-access", "Idox")}
    with SEED_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected_moderngov = sum(row["democracy_system"] == "ModernGov" for row in rows)
    assert systems.filter(product__name="ModernGov").count() == expected_moderngov
    expected_idox = sum("Idox" in row["planning_portal_system"].split(";") for row in rows)
    assert systems.filter(product__name="Idox").count() == expected_idox
    assert set(Product.objects.values_list("status", flat=True)) == {"approved"}
    assert not Product.objects.filter(name__icontains="custom").exists()


def test_the_seed_gives_real_market_shares(councils):
    seed_estate()
    from localdigital.estate.models import Function

    share = market_share(Function.objects.get(key="committee-management"))
    assert not share.suppressed
    assert share.rows[0].product.name == "ModernGov"


def test_running_the_seed_again_changes_nothing(councils):
    first = seed_estate()
    before = sorted(System.objects.values_list("organisation_id", "function_id", "product_id"))
    products = Product.objects.count()
    again = seed_estate()
    assert again["systems_created"] == 0
    assert first["systems_created"] > 0
    assert sorted(System.objects.values_list("organisation_id", "function_id", "product_id")) == (
        before
    )
    assert Product.objects.count() == products


def test_the_seed_skips_councils_that_are_not_in_the_database(db):
    load_service_areas()
    counts = seed_estate()
    assert counts == {"rows": 382, "systems_created": 0, "councils_missing": 382}
