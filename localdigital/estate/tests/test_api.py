"""The estate API: public products, suppliers, functions and market shares within the sharing and
5-council rules, and a council's own register for its members only."""

import pytest

from localdigital.estate.models import Product, SharingSetting, System
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.tests.test_api import auth


@pytest.fixture
def market(functions, make_product):
    """Six councils on the committee-management market: four use Alpha, two use Beta."""
    alpha, beta = make_product("Alpha"), make_product("Beta")
    function = functions["committee-management"]
    councils = [OrganisationFactory(code=f"C{n}") for n in range(6)]
    for council, product in zip(councils, [alpha] * 4 + [beta] * 2, strict=True):
        System.objects.create(organisation=council, function=function, product=product)
    return councils


@pytest.fixture
def register_of(functions, make_product):
    """A system in `council`'s register with private fields filled in."""

    def make(council):
        return System.objects.create(
            organisation=council,
            function=functions["finance"],
            product=make_product(f"Ledger {council.code}"),
            annual_cost_band=System.CostBand.FROM_100K,
            notes="Renewal talks with the supplier in March.",
            satisfaction=2,
            notice_period_months=6,
        )

    return make


def test_anyone_lists_approved_products_only_with_filters(client, functions, make_product):
    approved = make_product("Approved Ledger", supplier="Ledgers Ltd")
    approved.functions.add(functions["finance"])
    make_product("Proposed Ledger", status=Product.Status.PROPOSED)
    make_product("Rejected Ledger", status=Product.Status.REJECTED)
    body = client.get("/api/v1/estate/products/").json()
    assert [p["slug"] for p in body["results"]] == ["approved-ledger"]
    product = body["results"][0]
    assert product["supplier"]["name"] == "Ledgers Ltd"
    assert product["functions"] == ["finance"]
    assert product["url"].endswith("/estate/products/approved-ledger/")
    assert client.get("/api/v1/estate/products/", {"function": "finance"}).json()["count"] == 1
    assert client.get("/api/v1/estate/products/", {"function": "waste"}).json()["count"] == 0
    assert client.get("/api/v1/estate/products/", {"q": "ledgers"}).json()["count"] == 1


def test_a_product_is_read_by_slug_but_not_when_it_is_only_proposed(client, make_product):
    make_product("Approved Ledger")
    make_product("Proposed Ledger", status=Product.Status.PROPOSED)
    detail = client.get("/api/v1/estate/products/approved-ledger/")
    assert detail.status_code == 200
    assert detail.json()["name"] == "Approved Ledger"
    assert client.get("/api/v1/estate/products/proposed-ledger/").status_code == 404
    assert client.get("/api/v1/estate/products/no-such-product/").status_code == 404


def test_suppliers_are_those_of_approved_products(client, make_product):
    make_product("Approved Ledger", supplier="Open Supplier")
    make_product("Proposed Ledger", status=Product.Status.PROPOSED, supplier="Hidden Supplier")
    body = client.get("/api/v1/estate/suppliers/").json()
    assert [s["name"] for s in body["results"]] == ["Open Supplier"]


def test_functions_count_councils_and_hide_counts_below_five(client, market):
    body = client.get("/api/v1/estate/functions/").json()
    by_key = {f["key"]: f for f in body["results"]}
    assert len(by_key) == 21
    assert by_key["committee-management"]["councils"] == 6
    assert by_key["committee-management"]["suppressed"] is False
    assert by_key["waste"] == {
        **by_key["waste"],
        "councils": None,
        "suppressed": True,
        "message": "fewer than 5 councils",
    }
    detail = client.get("/api/v1/estate/functions/committee-management/").json()
    assert detail["councils"] == 6
    assert detail["service_area"]


def test_functions_count_in_house_systems_as_the_function_pages_do(client, functions):
    for n in range(5):
        System.objects.create(
            organisation=OrganisationFactory(code=f"W{n}"),
            function=functions["waste"],
            other_name="Our own bin round app",
        )
    waste = client.get("/api/v1/estate/functions/waste/").json()
    assert waste["councils"] == 5
    assert waste["suppressed"] is False


def test_a_council_that_shares_nothing_is_not_counted(client, market):
    SharingSetting.objects.create(organisation=market[0], level=SharingSetting.Level.NOTHING)
    SharingSetting.objects.create(organisation=market[1], level=SharingSetting.Level.NOTHING)
    function = client.get("/api/v1/estate/functions/committee-management/").json()
    assert function["councils"] is None
    assert function["suppressed"] is True
    share = client.get("/api/v1/estate/functions/committee-management/market-share/").json()
    assert share == {
        "function": "committee-management",
        "suppressed": True,
        "total": None,
        "minimum": 5,
        "message": "fewer than 5 councils",
        "includes_demo_data": False,
        "rows": [],
    }


def test_market_share_lists_products_by_councils(client, market):
    share = client.get("/api/v1/estate/functions/committee-management/market-share/").json()
    assert share["suppressed"] is False
    assert share["total"] == 6
    assert share["message"] == ""
    assert [(r["product"], r["councils"]) for r in share["rows"]] == [("alpha", 4), ("beta", 2)]
    assert share["rows"][0]["supplier"] == "Alpha Ltd"
    assert share["includes_demo_data"] is False


def test_generated_demo_systems_are_flagged(client, market):
    System.objects.filter(organisation=market[0]).update(is_demo=True)
    share = client.get("/api/v1/estate/functions/committee-management/market-share/").json()
    assert share["includes_demo_data"] is True
    function = client.get("/api/v1/estate/functions/committee-management/").json()
    assert function["includes_demo_data"] is True
    waste = client.get("/api/v1/estate/functions/waste/").json()
    assert waste["includes_demo_data"] is False


def test_market_share_below_five_councils_is_suppressed(client, functions):
    share = client.get("/api/v1/estate/functions/waste/market-share/").json()
    assert share["suppressed"] is True
    assert share["total"] is None
    assert share["rows"] == []
    assert share["message"] == "fewer than 5 councils"
    assert client.get("/api/v1/estate/functions/nope/market-share/").status_code == 404


def test_public_endpoints_make_the_same_number_of_queries_with_more_data(
    client, market, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/api/v1/estate/functions/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/estate/functions/committee-management/market-share/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/estate/products/")


def test_public_reads_are_cached_for_visitors_but_not_for_token_users(
    client, market, member, settings
):
    settings.HUB_PAGE_CACHE = True
    url = "/api/v1/estate/functions/committee-management/market-share/"
    assert client.get(url).get("X-Hub-Cache") != "hit"
    assert client.get(url).get("X-Hub-Cache") == "hit"
    assert client.get(url, **auth(member)).get("X-Hub-Cache") != "hit"


SYSTEMS = "/api/v1/estate/organisations/{}/systems/"


def test_a_member_reads_their_councils_register_with_every_field_by_token(
    client, council, member, register_of
):
    system = register_of(council)
    response = client.get(SYSTEMS.format(council.code), **auth(member))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == system.pk
    assert row["organisation"] == "HCK"
    assert row["function"] == "finance"
    assert row["annual_cost_band"] == "100k_250k"
    assert row["notes"] == "Renewal talks with the supplier in March."
    assert row["satisfaction"] == 2
    assert row["supplier"] == "Ledger HCK Ltd"
    assert row["is_demo"] is False


def test_a_member_reads_their_register_with_a_session(client, council, member, register_of):
    register_of(council)
    client.force_login(member)
    assert client.get(SYSTEMS.format(council.code)).json()["count"] == 1


def test_programme_staff_do_not_read_a_full_register(client, council, programme_staff, register_of):
    register_of(council)
    response = client.get(SYSTEMS.format(council.code), **auth(programme_staff))
    assert response.status_code == 404


def test_nobody_else_reads_a_councils_register(
    client, council, other_council, other_admin, register_of, django_user_model
):
    register_of(council)
    register_of(other_council)
    url = SYSTEMS.format(council.code)
    assert client.get(url).status_code in (401, 403)
    assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code in (401, 403)
    assert client.get(url, **auth(other_admin)).status_code == 404
    plain = django_user_model.objects.create_user(email="plain@example.org", password="x" * 16)
    assert client.get(url, **auth(plain)).status_code == 404
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING).user
    assert client.get(url, **auth(pending)).status_code == 404
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    # Their own register is theirs to read, and holds only their own system.
    [row] = client.get(SYSTEMS.format(other_council.code)).json()["results"]
    assert row["organisation"] == other_council.code


def test_an_unknown_council_is_not_found(client, member):
    assert client.get(SYSTEMS.format("NOPE"), **auth(member)).status_code == 404


def test_the_register_makes_the_same_number_of_queries_with_more_systems(
    client, council, member, functions, make_product, django_assert_max_num_queries
):
    headers = auth(member)
    for n, key in enumerate(["finance", "waste", "gis", "parking", "libraries"]):
        System.objects.create(
            organisation=council, function=functions[key], product=make_product(f"P{n}")
        )
    System.objects.create(organisation=council, function=functions["waste"], other_name="Own")
    with django_assert_max_num_queries(8):
        response = client.get(SYSTEMS.format(council.code), **headers)
    assert response.json()["count"] == 6
