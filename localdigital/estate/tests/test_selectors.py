import pytest

from localdigital.estate.models import Product, SharingSetting, System
from localdigital.estate.selectors.sector import market_share
from localdigital.organisations.tests.factories import OrganisationFactory


@pytest.fixture
def record(functions):
    """Record that a new council (or a given one) uses `product` for committee management."""

    def make(product, organisation=None, function_key="committee-management"):
        organisation = organisation or OrganisationFactory()
        System.objects.create(
            organisation=organisation, function=functions[function_key], product=product
        )
        return organisation

    return make


def test_market_share_counts_councils_per_product_most_used_first(functions, make_product, record):
    moderngov, cmis = make_product("ModernGov"), make_product("CMIS")
    for _ in range(4):
        record(moderngov)
    record(cmis)
    record(moderngov, function_key="planning-public-access")  # another function: not counted
    share = market_share(functions["committee-management"])
    assert not share.suppressed
    assert share.total == 5
    assert [(row.product.name, row.councils) for row in share.rows] == [
        ("ModernGov", 4),
        ("CMIS", 1),
    ]


def test_a_council_with_two_products_counts_once_in_the_total(functions, make_product, record):
    moderngov, cmis = make_product("ModernGov"), make_product("CMIS")
    councils = [record(moderngov) for _ in range(5)]
    record(cmis, councils[0])
    share = market_share(functions["committee-management"])
    assert share.total == 5
    assert [(row.product.name, row.councils) for row in share.rows] == [
        ("ModernGov", 5),
        ("CMIS", 1),
    ]


def test_fewer_than_5_councils_are_suppressed(functions, make_product, record):
    moderngov = make_product("ModernGov")
    for _ in range(4):
        record(moderngov)
    share = market_share(functions["committee-management"])
    assert share.suppressed
    assert share.total is None
    assert share.rows == []
    assert share.suppressed_text == "fewer than 5 councils"


def test_a_council_that_shares_nothing_is_left_out_of_market_share(functions, make_product, record):
    moderngov, cmis = make_product("ModernGov"), make_product("CMIS")
    for _ in range(5):
        record(moderngov)
    private = record(cmis)
    SharingSetting.objects.create(organisation=private, level=SharingSetting.Level.NOTHING)
    share = market_share(functions["committee-management"])
    assert share.total == 5
    assert [row.product.name for row in share.rows] == ["ModernGov"]


def test_a_council_sharing_nothing_can_bring_the_count_below_5(functions, make_product, record):
    moderngov = make_product("ModernGov")
    councils = [record(moderngov) for _ in range(5)]
    SharingSetting.objects.create(organisation=councils[0], level=SharingSetting.Level.NOTHING)
    assert market_share(functions["committee-management"]).suppressed


def test_councils_sharing_products_or_contract_ends_are_counted(functions, make_product, record):
    moderngov = make_product("ModernGov")
    councils = [record(moderngov) for _ in range(5)]
    SharingSetting.objects.create(organisation=councils[0], level="products")
    SharingSetting.objects.create(organisation=councils[1], level="products_and_contract_ends")
    assert market_share(functions["committee-management"]).total == 5


def test_proposed_and_rejected_products_and_in_house_systems_are_not_counted(
    functions, make_product, record
):
    moderngov = make_product("ModernGov")
    for _ in range(5):
        record(moderngov)
    record(make_product("Homebrew", status=Product.Status.PROPOSED))
    record(make_product("Nope", status=Product.Status.REJECTED))
    System.objects.create(
        organisation=OrganisationFactory(),
        function=functions["committee-management"],
        other_name="Our own",
    )
    share = market_share(functions["committee-management"])
    assert share.total == 5
    assert [row.product.name for row in share.rows] == ["ModernGov"]


def test_the_minimum_can_be_raised(functions, make_product, record):
    moderngov = make_product("ModernGov")
    for _ in range(5):
        record(moderngov)
    assert market_share(functions["committee-management"], minimum=10).suppressed


@pytest.mark.parametrize("councils", [5, 40])
def test_market_share_takes_two_queries_however_many_councils(
    functions, make_product, record, django_assert_num_queries, councils
):
    products = [make_product(name) for name in ("ModernGov", "CMIS", "Democracy Club")]
    for number in range(councils):
        record(products[number % 3])
    SharingSetting.objects.create(organisation=OrganisationFactory(), level="nothing")
    with django_assert_num_queries(2):
        share = market_share(functions["committee-management"])
        assert [row.product.supplier.name for row in share.rows]
    assert share.total == councils
