"""The sector pages: /estate/, function pages, product and supplier pages.

They prove the sharing settings, the 5-council rule, what visitors and members each see, that
costs and notes never appear, and that the query count does not grow with the data."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.core import sections
from localdigital.estate.models import Product, SharingSetting, System
from localdigital.estate.services.systems import system_create
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

COMMITTEES = "committee-management"
SECRET_NOTE = "Secret note about the supplier's discount"


@pytest.fixture
def record(functions):
    """Record that a council (a new one unless given) uses `product` (None: in-house)."""

    def make(product=None, organisation=None, function_key=COMMITTEES, **fields):
        organisation = organisation or OrganisationFactory()
        if product is None:
            fields.setdefault("other_name", "Our own system")
        fields.setdefault("annual_cost_band", System.CostBand.OVER_1M)
        fields.setdefault("notes", SECRET_NOTE)
        System.objects.create(
            organisation=organisation,
            function=functions[function_key],
            product=product,
            **fields,
        )
        return organisation

    return make


def share(organisation, level):
    SharingSetting.objects.update_or_create(organisation=organisation, defaults={"level": level})


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(response):
    return " ".join(soup(response).get_text(" ").split())


def signed_in(client, user):
    """Sign in with a second factor already verified (programme staff need one)."""
    device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def next_year():
    return timezone.localdate().replace(month=1, day=1) + datetime.timedelta(days=400)


# --- The front page ---------------------------------------------------------------------------


def test_the_front_page_counts_councils_per_function_and_hides_fewer_than_5(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    for _ in range(5):
        record(moderngov)
    for _ in range(4):
        record(moderngov, function_key="planning-public-access")
    page = soup(client.get(reverse("estate:index")))
    committees = page.select_one(f"#function-{COMMITTEES}")
    assert committees.select_one("td").get_text(strip=True) == "5"
    assert committees.select_one("a")["href"] == reverse("estate:function", args=[COMMITTEES])
    planning = page.select_one("#function-planning-public-access td").get_text(strip=True)
    assert planning == "Fewer than 5 councils"
    assert page.select_one("#product-search")["action"] == reverse("estate:products")
    assert page.select_one("#sign-in-prompt")
    assert not page.select("#own-registers")


def test_a_member_sees_a_link_to_their_councils_register(client, functions, member, council):
    page = soup(signed_in(client, member).get(reverse("estate:index")))
    links = [a["href"] for a in page.select("#own-registers a")]
    assert links == [reverse("estate:register", kwargs={"code": council.code})]
    assert not page.select("#sign-in-prompt")


def test_the_estate_is_in_the_navigation(client, functions):
    page = soup(client.get(reverse("estate:index")))
    nav = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__link")]
    assert nav.index("Estate") == nav.index("Catalogue") + 1


# --- Function pages ---------------------------------------------------------------------------


def test_the_function_page_draws_market_share_as_svg_and_a_table_with_the_same_numbers(
    client, functions, make_product, record
):
    moderngov, cmis = make_product("ModernGov"), make_product("CMIS")
    for _ in range(6):
        record(moderngov, hosting="saas")
    for _ in range(3):
        record(cmis, hosting="on_premises")
    record(None, hosting="on_premises")
    page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    chart = page.select_one("svg#share-chart")
    assert chart["role"] == "img"
    assert chart["aria-labelledby"] == "share-chart-title share-chart-desc"
    assert chart.select_one("title#share-chart-title")
    assert chart.select_one("desc#share-chart-desc")
    bars = [(g["data-label"], g["data-value"]) for g in chart.select("g")]
    rows = [(tr["data-label"], tr["data-value"]) for tr in page.select("#share-table tbody tr")]
    assert bars == rows == [("ModernGov", "6"), ("CMIS", "3"), ("In-house or other", "1")]
    # Every bar says its value in text, not only by its length or colour.
    assert [t.get_text() for t in chart.select("text")][1] == "6 (60.0%)"
    first = page.select_one("#share-table tbody tr")
    assert [c.get_text(strip=True) for c in first.select("th, td")] == [
        "ModernGov",
        "ModernGov Ltd",
        "6",
        "60.0%",
    ]
    assert first.select_one("a")["href"] == reverse("estate:product", args=["moderngov"])
    hosting = {tr["data-label"]: tr["data-value"] for tr in page.select("#hosting-table tbody tr")}
    assert hosting["Software as a service"] == "6"
    assert hosting["On-premises"] == "4"
    assert page.select_one("svg#hosting-chart")
    assert not page.select("#demo-warning")


def test_in_house_counts_councils_not_systems_and_not_councils_with_a_product(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    councils = [record(moderngov) for _ in range(5)]
    record(None, councils[0], other_name="A spreadsheet")  # has a product: not in-house
    in_house = record(None, other_name="First")
    record(None, in_house, other_name="Second")  # two in-house systems, one council
    page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    rows = {tr["data-label"]: tr["data-value"] for tr in page.select("#share-table tbody tr")}
    assert rows == {"ModernGov": "5", "In-house or other": "1"}


@pytest.mark.parametrize(("councils", "shown"), [(4, False), (5, True)])
def test_market_share_and_hosting_mix_need_5_councils(
    client, functions, make_product, record, councils, shown
):
    moderngov = make_product("ModernGov")
    for _ in range(councils):
        record(moderngov, hosting="saas")
    response = client.get(reverse("estate:function", args=[COMMITTEES]))
    page = soup(response)
    assert bool(page.select("#share-table")) is shown
    assert bool(page.select("svg#share-chart")) is shown
    assert bool(page.select("#hosting-table")) is shown
    if not shown:
        assert "Market share not shown: fewer than 5 councils" in text(response)
        assert "Hosting mix not shown: fewer than 5 councils" in text(response)
        assert "ModernGov" not in text(response)


def test_the_hosting_mix_counts_only_councils_that_say_how_they_host(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    for _ in range(4):
        record(moderngov, hosting="saas")
    for _ in range(3):
        record(moderngov)  # hosting not given
    page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    assert page.select("#share-table")
    assert not page.select("#hosting-table")


def test_the_hosting_mix_counts_distinct_councils_when_no_model_reaches_5(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    for _ in range(3):
        record(moderngov, hosting="saas")
    for _ in range(2):
        record(moderngov, hosting="on_premises")
    # Two systems, two hosting models, one council: 4 councils say how they host, not 5.
    both = record(moderngov, hosting="public_cloud", function_key=COMMITTEES)
    record(None, both, hosting="private_cloud", other_name="A second system")
    page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    assert page.select("#hosting-table")  # 3 + 2 + 1 distinct councils = 6
    rows = {
        tr["data-label"]: tr.select("td")[-1].get_text()
        for tr in page.select("#hosting-table tbody tr")
    }
    assert rows["Software as a service"] == "50.0%"  # of the 6 councils recording the function


def test_a_small_hosting_mix_of_one_council_with_many_models_is_hidden(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    councils = [record(moderngov) for _ in range(4)]
    for hosting in ("saas", "on_premises", "public_cloud"):
        record(None, councils[0], hosting=hosting, other_name=f"System {hosting}")
    record(moderngov, hosting="private_cloud")
    record(moderngov, hosting="private_cloud")
    page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    assert page.select("#share-table")
    assert not page.select("#hosting-table")  # 5 rows of hosting, but only 3 councils


def test_a_council_sharing_nothing_is_absent_and_uncounted_on_every_page(
    client, functions, make_product, record, programme_staff
):
    moderngov = make_product("ModernGov")
    hidden = OrganisationFactory(name="Secretive Borough Council")
    for _ in range(4):
        record(moderngov, hosting="saas", contract_end=next_year(), satisfaction=4)
    record(moderngov, hidden, hosting="saas", contract_end=next_year(), satisfaction=4)
    record(None, hidden, function_key="planning-public-access")
    share(hidden, SharingSetting.Level.NOTHING)
    function_page = client.get(reverse("estate:function", args=[COMMITTEES]))
    assert "Market share not shown: fewer than 5 councils" in text(function_page)
    index = soup(client.get(reverse("estate:index")))
    assert index.select_one(f"#function-{COMMITTEES} td").get_text(strip=True) == (
        "Fewer than 5 councils"
    )
    staff_view = text(
        signed_in(client, programme_staff).get(reverse("estate:product", args=["moderngov"]))
    )
    assert "Secretive Borough Council" not in staff_view
    assert "Contract end dates not shown: fewer than 5 councils" in staff_view
    assert "Satisfaction not shown: fewer than 5 councils" in staff_view


def test_demo_data_is_flagged_on_the_function_and_product_pages(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    for _ in range(4):
        record(moderngov)
    record(moderngov, is_demo=True)
    warning = "These figures include generated demo data"
    function_page = soup(client.get(reverse("estate:function", args=[COMMITTEES])))
    assert warning in function_page.select_one("#demo-warning").get_text()
    product_page = soup(client.get(reverse("estate:product", args=["moderngov"])))
    assert warning in product_page.select_one("#demo-warning").get_text()


def test_an_unknown_function_is_404(client, functions):
    assert client.get(reverse("estate:function", args=["no-such-thing"])).status_code == 404


# --- Product pages ----------------------------------------------------------------------------


def test_a_visitor_sees_product_facts_and_the_count_but_not_councils_or_dates(
    client, functions, make_product, record
):
    moderngov = make_product("ModernGov")
    moderngov.functions.add(functions[COMMITTEES])
    moderngov.hosting_models = ["saas", "on_premises"]
    moderngov.support_status = Product.SupportStatus.END_OF_SUPPORT
    moderngov.end_of_support = datetime.date(2027, 3, 31)
    moderngov.save()
    named = OrganisationFactory(name="Visible Borough Council")
    share(named, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)
    record(moderngov, named, contract_end=next_year(), satisfaction=5)
    for _ in range(5):
        organisation = record(moderngov, contract_end=next_year(), satisfaction=5)
        share(organisation, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)
    response = client.get(reverse("estate:product", args=["moderngov"]))
    page = soup(response)
    facts = page.select_one("#product-facts").get_text(" ")
    for expected in (
        "ModernGov Ltd",
        "Committee management",
        "On-premises, Software as a service",
        "End of support",
        "31 March 2027",
        "Not in the catalogue",
        "6",
    ):
        assert expected in facts
    assert page.select_one("#sign-in-prompt")
    assert "Visible Borough Council" not in text(response)
    for hidden in ("#council-list", "#ends-table", "#satisfaction-table", "#contract-ends"):
        assert not page.select(hidden)


def test_the_council_count_on_a_product_needs_5_councils(client, functions, make_product, record):
    moderngov = make_product("ModernGov")
    for _ in range(4):
        record(moderngov)
    facts = soup(client.get(reverse("estate:product", args=["moderngov"]))).select_one(
        "#product-facts"
    )
    assert "Fewer than 5 councils" in facts.get_text()
    record(moderngov)
    facts = soup(client.get(reverse("estate:product", args=["moderngov"]))).select_one(
        "#product-facts"
    )
    assert "Fewer than 5 councils" not in facts.get_text()


def test_a_member_sees_councils_within_their_sharing_settings(
    client, functions, make_product, record, member
):
    moderngov = make_product("ModernGov")
    products_only = OrganisationFactory(code="PRD", name="Products Only Council")
    with_ends = OrganisationFactory(code="END", name="Contract Ends Council")
    no_setting = OrganisationFactory(code="DEF", name="Default Setting Council")
    nothing = OrganisationFactory(code="NOT", name="Shares Nothing Council")
    share(products_only, SharingSetting.Level.PRODUCTS)
    share(with_ends, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)
    share(nothing, SharingSetting.Level.NOTHING)
    for council in (products_only, with_ends, no_setting, nothing):
        record(moderngov, council, contract_end=next_year())
    page = soup(signed_in(client, member).get(reverse("estate:product", args=["moderngov"])))
    names = [a.get_text() for a in page.select("#council-list a")]
    assert names == ["Contract Ends Council", "Default Setting Council", "Products Only Council"]
    hrefs = [a["href"] for a in page.select("#council-list a")]
    assert reverse("organisations:detail", kwargs={"code": "END"}) in hrefs


@pytest.mark.parametrize(("sharing", "shown"), [(4, False), (5, True)])
def test_contract_ends_count_only_councils_sharing_them_and_need_5(
    client, functions, make_product, record, member, sharing, shown
):
    moderngov = make_product("ModernGov")
    this_year = timezone.localdate().year
    for _ in range(sharing):
        council = record(moderngov, contract_end=datetime.date(this_year + 2, 6, 30))
        share(council, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)
    # Products-only and default councils never contribute end dates, however many there are.
    for _ in range(3):
        share(record(moderngov, contract_end=datetime.date(this_year + 2, 6, 30)), "products")
    for _ in range(3):
        record(moderngov, contract_end=datetime.date(this_year + 2, 6, 30))
    # Ended contracts and those beyond 5 years are outside the window.
    for end in (datetime.date(this_year - 1, 1, 1), datetime.date(this_year + 6, 1, 1)):
        share(record(moderngov, contract_end=end), "products_and_contract_ends")
    response = signed_in(client, member).get(reverse("estate:product", args=["moderngov"]))
    page = soup(response)
    if not shown:
        assert not page.select("#ends-table")
        assert "Contract end dates not shown: fewer than 5 councils" in text(response)
        return
    rows = {tr["data-label"]: tr["data-value"] for tr in page.select("#ends-table tbody tr")}
    assert list(rows) == [str(year) for year in range(this_year, this_year + 5)]
    assert rows[str(this_year + 2)] == "5"
    assert sum(int(value) for value in rows.values()) == 5
    bars = {g["data-label"]: g["data-value"] for g in page.select("svg#ends-chart g")}
    assert bars == rows


@pytest.mark.parametrize(("rated", "shown"), [(4, False), (5, True)])
def test_the_satisfaction_distribution_needs_5_rated_councils(
    client, functions, make_product, record, member, rated, shown
):
    moderngov = make_product("ModernGov")
    for score in [5, 4, 4, 2, 1][:rated]:
        record(moderngov, satisfaction=score)
    for _ in range(3):
        record(moderngov)  # not rated
    response = signed_in(client, member).get(reverse("estate:product", args=["moderngov"]))
    page = soup(response)
    if not shown:
        assert not page.select("#satisfaction-table")
        assert "Satisfaction not shown: fewer than 5 councils" in text(response)
        return
    rows = {
        tr["data-label"]: tr["data-value"] for tr in page.select("#satisfaction-table tbody tr")
    }
    assert rows == {
        "1 out of 5": "1",
        "2 out of 5": "1",
        "3 out of 5": "0",
        "4 out of 5": "2",
        "5 out of 5": "1",
    }


def test_costs_and_notes_never_appear_on_any_sector_page(
    client, functions, make_product, record, member, programme_staff
):
    moderngov = make_product("ModernGov")
    for _ in range(6):
        council = record(moderngov, hosting="saas", satisfaction=3, contract_end=next_year())
        share(council, "products_and_contract_ends")
    pages = [
        reverse("estate:index"),
        reverse("estate:function", args=[COMMITTEES]),
        reverse("estate:product", args=["moderngov"]),
        reverse("estate:products"),
        reverse("estate:supplier", args=["moderngov-ltd"]),
    ]
    for user in (None, member, programme_staff):
        client.logout()
        if user is not None:
            signed_in(client, user)
        for url in pages:
            body = client.get(url).content.decode()
            assert SECRET_NOTE not in body
            assert "Secret note" not in body
            assert "Over £1 million" not in body
            assert "over_1m" not in body


def test_proposed_and_rejected_products_are_hidden_except_from_staff_and_the_proposer(
    client, functions, make_product, record, member, org_admin, programme_staff
):
    proposed = make_product("Homebrew", status=Product.Status.PROPOSED)
    proposed.proposed_by = member
    proposed.save()
    rejected = make_product("Nope", status=Product.Status.REJECTED)
    url = reverse("estate:product", args=["homebrew"])
    assert client.get(url).status_code == 404
    assert signed_in(client, org_admin).get(url).status_code == 404
    assert client.get(reverse("estate:product", args=["nope"])).status_code == 404
    own = soup(signed_in(client, member).get(url))
    assert "is proposed" in own.select_one("#status-warning").get_text()
    assert signed_in(client, programme_staff).get(url).status_code == 200
    client.logout()
    listing = text(client.get(reverse("estate:products")))
    assert "Homebrew" not in listing
    assert "Nope" not in listing
    for _ in range(5):
        record(proposed)
        record(rejected)
    shares = text(client.get(reverse("estate:function", args=[COMMITTEES])))
    assert "Homebrew" not in shares
    assert "Nope" not in shares


def test_the_product_page_links_its_catalogue_asset_and_shows_registered_sections(
    client, functions, make_product, member, council
):
    from localdigital.catalogue.models import Asset

    asset = Asset.objects.create(
        name="Bin days", slug="bin-days", summary="Bins.", kind="open_source"
    )
    moderngov = make_product("ModernGov")
    moderngov.catalogue_asset = asset
    moderngov.save()

    calls = []

    def provider(request, product):
        calls.append(product)
        return sections.Section("estate/_chart.html", {})

    sections.register("test-section", provider, place="estate_product")
    try:
        page = soup(client.get(reverse("estate:product", args=["moderngov"])))
    finally:
        sections._providers["estate_product"].pop("test-section")
    facts = page.select_one("#product-facts")
    assert facts.select_one(f"a[href='{asset.get_absolute_url()}']").get_text() == "Bin days"
    assert calls == [moderngov]


def test_the_supplier_page_lists_approved_products_with_suppressed_counts(
    client, functions, make_product, record
):
    first = make_product("Alpha", supplier="Acme Systems")
    make_product("Beta", supplier="Acme Systems")
    make_product("Gamma", supplier="Acme Systems", status=Product.Status.PROPOSED)
    for _ in range(5):
        record(first)
    page = soup(client.get(reverse("estate:supplier", args=[first.supplier.slug])))
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in page.select("tbody tr")]
    assert rows == [["Alpha", "5"], ["Beta", "Fewer than 5 councils"]]
    assert client.get(reverse("estate:supplier", args=["nobody"])).status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def _populate(functions, make_product, size):
    products = [
        Product.objects.filter(slug=f"product-{n}").first() or make_product(f"Product {n}")
        for n in range(3)
    ]
    keys = [COMMITTEES, "planning-public-access"]
    for number in range(size):
        council = OrganisationFactory()
        share(council, "products" if number % 5 == 0 else "products_and_contract_ends")
        for key in keys:
            System.objects.create(
                organisation=council,
                function=functions[key],
                product=products[number % 3] if number % 4 else None,
                other_name="" if number % 4 else "Own",
                hosting="saas" if number % 3 else "on_premises",
                satisfaction=1 + number % 5,
                contract_end=next_year(),
            )
    return products


SECTOR_PAGES = [
    ("estate:index", []),
    ("estate:function", [COMMITTEES]),
    ("estate:product", ["product-1"]),
    ("estate:products", []),
    ("estate:supplier", ["product-1-ltd"]),
]


def _query_counts(client):
    counts = {}
    for name, args in SECTOR_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=args)).status_code == 200
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_sector_pages_make_the_same_number_of_queries_however_much_data(
    client, functions, make_product, who, settings
):
    settings.HUB_PAGE_CACHE = False
    if who == "member":
        signed_in(client, MembershipFactory().user)
    # Enough councils for every aggregate on the product page to be shown, then more.
    _populate(functions, make_product, 30)
    few = _query_counts(client)
    if who == "member":
        product_page = soup(client.get(reverse("estate:product", args=["product-1"])))
        assert product_page.select("#ends-table")
        assert product_page.select("#satisfaction-table")
    _populate(functions, make_product, 60)
    many = _query_counts(client)
    assert few == many
    # Visitors: the page's own queries; members add the session, the user and memberships.
    limit = 8 if who == "visitor" else 16
    assert max(many.values()) <= limit, many


def test_anonymous_sector_pages_are_served_from_the_public_cache(
    client, functions, make_product, record, settings
):
    settings.HUB_PAGE_CACHE = True
    cache.clear()
    moderngov = make_product("ModernGov")
    for _ in range(5):
        record(moderngov)
    for url in (
        reverse("estate:index"),
        reverse("estate:function", args=[COMMITTEES]),
        reverse("estate:product", args=["moderngov"]),
    ):
        assert client.get(url)["X-Hub-Cache"] == "miss"
        assert client.get(url)["X-Hub-Cache"] == "hit"


def test_members_figures_are_remembered_until_an_audited_change(
    client, functions, make_product, record, member, settings
):
    settings.HUB_PAGE_CACHE = True
    cache.clear()
    moderngov = make_product("ModernGov")
    for _ in range(4):
        record(moderngov)
    client = signed_in(client, member)
    url = reverse("estate:function", args=[COMMITTEES])
    assert not soup(client.get(url)).select("#share-table")
    system_create(
        actor=None,
        organisation=OrganisationFactory(),
        data={"function": functions[COMMITTEES], "product": moderngov},
    )
    rows = {
        tr["data-label"]: tr["data-value"]
        for tr in soup(client.get(url)).select("#share-table tbody tr")
    }
    assert rows == {"ModernGov": "5"}


def test_members_see_the_councils_using_a_product_100_at_a_time(
    client, functions, make_product, record, member
):
    moderngov = make_product("ModernGov")
    for _ in range(105):
        record(moderngov)
    client = signed_in(client, member)
    url = reverse("estate:product", args=["moderngov"])
    first = soup(client.get(url))
    assert len(first.select("#council-list li")) == 100
    assert first.select_one(".govuk-pagination")
    second = soup(client.get(url, {"page": 2}))
    assert len(second.select("#council-list li")) == 5
    assert second.select_one("details").has_attr("open")
