"""A council's register pages: who sees what, adding, changing and removing systems, the
sharing setting, "same systems as you", "councils like you" and the council page's section."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.test.client import RequestFactory
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.core.sections import organisation_sections
from localdigital.estate.models import CONTRACT_DATES, SharingSetting, System
from localdigital.estate.services.systems import system_delete
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item

SECRET_NOTE = "Renewal negotiated by the head of revenues"


@pytest.fixture
def other_member(other_council):
    return MembershipFactory(organisation=other_council, role=Membership.Role.MEMBER).user


@pytest.fixture
def no_council_user(db):
    from localdigital.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def bartec(make_product):
    return make_product("Bartec Collective")


@pytest.fixture
def system(council, functions, bartec):
    return System.objects.create(
        organisation=council,
        function=functions["waste"],
        product=bartec,
        hosting="saas",
        contract_start=dt.date(2023, 4, 1),
        contract_end=dt.date(2028, 3, 31),
        annual_cost_band="100k_250k",
        satisfaction=2,
        out_of_support=True,
        plan="replace",
        critical=True,
        notes=SECRET_NOTE,
    )


def set_level(organisation, level):
    SharingSetting.objects.update_or_create(organisation=organisation, defaults={"level": level})


def register_url(council):
    return reverse("estate:register", kwargs={"code": council.code})


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


# Who sees the register


def test_an_anonymous_visitor_is_sent_to_sign_in(client, council, system):
    response = client.get(register_url(council))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_a_person_of_no_council_gets_404(verified_client, no_council_user, council, system):
    assert verified_client(no_council_user).get(register_url(council)).status_code == 404


def test_an_unknown_council_gets_404(verified_client, member):
    assert verified_client(member).get("/estate/councils/NOPE/").status_code == 404


def test_a_member_sees_the_full_register_with_costs_notes_and_risks(
    verified_client, member, council, system
):
    response = verified_client(member).get(register_url(council))
    assert response.status_code == 200
    text = soup_of(response).get_text(" ")
    for shown in (
        "Bartec Collective",
        "31 March 2028",
        "£100,000 to £250,000",
        "Out of vendor support",
        "Replace",
        "Critical",
        SECRET_NOTE,
    ):
        assert shown in text
    assert reverse("estate:system_edit", kwargs={"pk": system.pk}) in response.text
    assert reverse("estate:system_add", kwargs={"code": council.code}) in response.text


@pytest.mark.parametrize("viewer", ["other_member", "programme_staff"])
def test_others_see_products_only_by_default_and_never_costs_or_notes(
    request, verified_client, council, system, viewer
):
    user = request.getfixturevalue(viewer)
    response = verified_client(user).get(register_url(council))
    assert response.status_code == 200
    text = soup_of(response).get_text(" ")
    assert "Bartec Collective" in text
    assert "Waste" in text
    for hidden in (
        "31 March 2028",
        "£100,000",
        SECRET_NOTE,
        "Out of vendor support",
        "Critical",
        "Software as a service",
    ):
        assert hidden not in text
    assert reverse("estate:system_edit", kwargs={"pk": system.pk}) not in response.text


def test_others_see_contract_ends_when_the_council_shares_them(
    verified_client, other_member, council, system
):
    set_level(council, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)
    text = soup_of(verified_client(other_member).get(register_url(council))).get_text(" ")
    assert "31 March 2028" in text
    assert "Bartec Collective" in text
    assert SECRET_NOTE not in text
    assert "£100,000" not in text


def test_others_see_that_a_council_sharing_nothing_shares_nothing(
    verified_client, other_member, council, system
):
    set_level(council, SharingSetting.Level.NOTHING)
    text = soup_of(verified_client(other_member).get(register_url(council))).get_text(" ")
    assert "shares nothing" in text
    assert "Bartec Collective" not in text


def test_others_do_not_see_proposed_products(
    verified_client, other_member, council, functions, make_product
):
    System.objects.create(
        organisation=council,
        function=functions["finance"],
        product=make_product("Secret Ledger", status="proposed"),
    )
    text = soup_of(verified_client(other_member).get(register_url(council))).get_text(" ")
    assert "Secret Ledger" not in text


def test_the_register_page_makes_a_constant_number_of_queries(
    verified_client, member, council, functions, make_product, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(member)
    keys = list(functions)

    def add(start, count):
        for n in range(start, start + count):
            product = make_product(f"Product {n}")
            System.objects.create(
                organisation=council, function=functions[keys[n % 20]], product=product
            )
            other = OrganisationFactory()
            System.objects.create(
                organisation=other, function=functions[keys[n % 20]], product=product
            )
            Item.objects.create(
                slug=f"item-{n}",
                title=f"Replacing Product {n}",
                summary="A project",
                organisation=other,
                last_activity_at="2026-01-01T00:00:00Z",
                last_reviewed_at="2026-01-01T00:00:00Z",
                review_by="2027-01-01",
            )

    add(0, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(register_url(council)).status_code == 200
    add(2, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(register_url(council))
    assert response.status_code == 200
    assert "Replacing Product 13" in response.text
    assert len(large) == len(small)


# Same systems as you, councils like you


def test_same_systems_lists_other_councils_within_sharing_and_visible_pipeline_items(
    verified_client, member, council, system, functions, bartec
):
    sharing = OrganisationFactory(short_name="Sharing Borough")
    hidden = OrganisationFactory(short_name="Hidden Borough")
    far = OrganisationFactory(short_name="Far District", region="North West", la_type="NMD")
    for organisation in (sharing, hidden, far):
        System.objects.create(
            organisation=organisation, function=functions["waste"], product=bartec
        )
    set_level(hidden, SharingSetting.Level.NOTHING)
    common = {
        "summary": "Moving our bins",
        "organisation": sharing,
        "last_activity_at": "2026-01-01T00:00:00Z",
        "last_reviewed_at": "2026-01-01T00:00:00Z",
        "review_by": "2027-01-01",
    }
    Item.objects.create(slug="public", title="Bartec Collective replacement", **common)
    Item.objects.create(
        slug="members", title="Waste round planning", visibility="members", **common
    )
    Item.objects.create(
        slug="draft", title="Bartec Collective secret", visibility="draft", **common
    )
    Item.objects.create(slug="unrelated", title="Library app", **common)
    response = verified_client(member).get(register_url(council))
    soup = soup_of(response)
    same = soup.find(id="same-systems").find_next("h3").parent.get_text(" ")
    assert "Sharing Borough" in same
    assert "Far District" in same
    assert "Hidden Borough" not in same
    assert "Bartec Collective replacement" in same
    assert "Waste round planning" in same
    assert "Bartec Collective secret" not in same
    assert "Library app" not in same
    like = soup.find(id="councils-like-you").find_next("table").get_text(" ")
    assert "Sharing Borough" in like  # same type and region as the factory's council
    assert "Far District" not in like
    assert "Hidden Borough" not in like


def test_others_do_not_see_same_systems_or_pathways(verified_client, other_member, council, system):
    soup = soup_of(verified_client(other_member).get(register_url(council)))
    assert soup.find(id="same-systems") is None
    assert soup.find(id="pathways") is None


# Adding, changing and removing systems


def test_a_member_adds_a_system_with_every_field(
    verified_client, member, council, functions, bartec
):
    response = verified_client(member).post(
        reverse("estate:system_add", kwargs={"code": council.code}),
        {
            "function": "waste",
            "product": bartec.slug,
            "other_name": "",
            "service_area": "",
            "version": "7.2",
            "hosting": "private_cloud",
            "contract_start-day": "1",
            "contract_start-month": "4",
            "contract_start-year": "2024",
            "contract_end-day": "31",
            "contract_end-month": "3",
            "contract_end-year": "2029",
            "notice_period_months": "6",
            "annual_cost_band": "10k_50k",
            "user_count_band": "51_250",
            "open_apis": "partly",
            "data_export": "true",
            "satisfaction": "4",
            "risks": ["no_api", "heavy_customisation"],
            "plan": "migrate",
            "plan_target_date-day": "1",
            "plan_target_date-month": "1",
            "plan_target_date-year": "2029",
            "critical": "true",
            "notes": "Contract held by finance",
        },
    )
    assert response.status_code == 302
    system = System.objects.get(organisation=council)
    assert system.product == bartec
    assert system.version == "7.2"
    assert system.contract_end == dt.date(2029, 3, 31)
    assert system.notice_period_months == 6
    assert system.satisfaction == 4
    assert system.no_api
    assert system.heavy_customisation
    assert not system.out_of_support
    assert system.data_export
    assert system.critical
    assert system.plan == "migrate"
    assert system.plan_target_date == dt.date(2029, 1, 1)
    assert system.service_area == system.function.service_area
    assert AuditEvent.objects.filter(action="estate.system_create").exists()


def test_a_contract_ending_before_it_starts_is_shown_on_the_field_and_nothing_is_saved(
    verified_client, member, council, functions, bartec
):
    response = verified_client(member).post(
        reverse("estate:system_add", kwargs={"code": council.code}),
        {
            "function": "waste",
            "product": bartec.slug,
            "contract_start-day": "1",
            "contract_start-month": "4",
            "contract_start-year": "2024",
            "contract_end-day": "1",
            "contract_end-month": "4",
            "contract_end-year": "2023",
        },
    )
    assert response.status_code == 200
    soup = soup_of(response)
    assert CONTRACT_DATES in soup.select_one(".govuk-error-summary").get_text()
    assert CONTRACT_DATES in soup.select_one("[id$=contract_end-error]").get_text()
    assert not System.objects.exists()


def test_a_system_needs_a_product_or_a_name(verified_client, member, council, functions):
    response = verified_client(member).post(
        reverse("estate:system_add", kwargs={"code": council.code}), {"function": "waste"}
    )
    assert response.status_code == 200
    assert "Choose a product or enter the name" in response.text
    assert not System.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("member", 200), ("other_member", 404), ("no_council_user", 404), ("programme_staff", 404)],
)
def test_who_may_open_the_add_change_and_remove_pages(
    request, verified_client, council, system, viewer, status
):
    client = verified_client(request.getfixturevalue(viewer))
    for url in (
        reverse("estate:system_add", kwargs={"code": council.code}),
        reverse("estate:system_edit", kwargs={"pk": system.pk}),
        reverse("estate:system_delete", kwargs={"pk": system.pk}),
    ):
        assert client.get(url).status_code == status, url


def test_anonymous_visitors_are_sent_to_sign_in_from_the_change_pages(client, council, system):
    for url in (
        reverse("estate:system_add", kwargs={"code": council.code}),
        reverse("estate:system_edit", kwargs={"pk": system.pk}),
        reverse("estate:system_delete", kwargs={"pk": system.pk}),
        reverse("estate:sharing", kwargs={"code": council.code}),
    ):
        assert client.get(url).status_code == 302


def test_a_member_changes_a_system_and_the_form_shows_its_values(verified_client, member, system):
    client = verified_client(member)
    url = reverse("estate:system_edit", kwargs={"pk": system.pk})
    soup = soup_of(client.get(url))
    assert soup.select_one("textarea[name=notes]").get_text().strip() == SECRET_NOTE
    assert soup.select_one("input[name=risks][value=out_of_support]").has_attr("checked")
    response = client.post(
        url,
        {"function": "waste", "product": system.product.slug, "version": "8", "notes": "Moved"},
    )
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.version == "8"
    assert system.notes == "Moved"
    assert not system.out_of_support


def test_a_member_removes_a_system_after_checking(verified_client, member, system):
    client = verified_client(member)
    url = reverse("estate:system_delete", kwargs={"pk": system.pk})
    assert "Are you sure" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not System.objects.filter(pk=system.pk).exists()
    assert AuditEvent.objects.filter(action="estate.system_delete").exists()


def test_another_councils_member_cannot_remove_a_system(verified_client, other_member, system):
    url = reverse("estate:system_delete", kwargs={"pk": system.pk})
    assert verified_client(other_member).post(url).status_code == 404
    assert System.objects.filter(pk=system.pk).exists()


def test_the_delete_service_refuses_a_non_member(other_member, system):
    from localdigital.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        system_delete(actor=other_member, system=system)
    assert System.objects.filter(pk=system.pk).exists()


# The sharing setting


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("org_admin", 200),
        ("member", 404),
        ("other_admin", 404),
        ("no_council_user", 404),
        ("programme_staff", 404),
    ],
)
def test_only_the_councils_admins_open_the_sharing_page(
    request, verified_client, council, viewer, status
):
    url = reverse("estate:sharing", kwargs={"code": council.code})
    assert verified_client(request.getfixturevalue(viewer)).get(url).status_code == status


def test_an_admin_sets_the_sharing_level_and_each_level_is_explained(
    verified_client, org_admin, council
):
    client = verified_client(org_admin)
    url = reverse("estate:sharing", kwargs={"code": council.code})
    text = soup_of(client.get(url)).get_text(" ")
    for label in ("Nothing", "Products only", "Products and contract end dates"):
        assert label in text
    assert client.post(url, {"level": "products_and_contract_ends"}).status_code == 302
    assert council.estate_sharing.level == "products_and_contract_ends"


def test_choosing_no_sharing_level_is_an_error(verified_client, org_admin, council):
    url = reverse("estate:sharing", kwargs={"code": council.code})
    response = verified_client(org_admin).post(url, {})
    assert response.status_code == 200
    assert "Choose what the sector can see of your register" in response.text
    assert not SharingSetting.objects.exists()


# The council page's section


def _section(user, organisation):
    request = RequestFactory().get("/")
    request.user = user
    found = [s for s in organisation_sections(request, organisation) if "estate" in s.template]
    return found[0] if found else None


def test_the_council_page_shows_the_shared_count_and_a_link(other_member, council, system):
    section = _section(other_member, council)
    assert section.context["count"] == 1
    assert not section.context["is_member"]


def test_the_council_page_shows_nothing_shared_when_the_council_shares_nothing(
    other_member, council, system
):
    set_level(council, SharingSetting.Level.NOTHING)
    section = _section(other_member, council)
    assert section.context["shares_nothing"]
    assert section.context["count"] == 0


def test_the_council_page_section_renders_with_its_link(
    client, verified_client, member, council, system
):
    response = verified_client(member).get(
        reverse("organisations:detail", kwargs={"code": council.code})
    )
    assert register_url(council) in response.text


def test_another_councils_view_makes_a_constant_number_of_queries(
    verified_client, other_member, council, functions, make_product
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(other_member)
    keys = list(functions)
    set_level(council, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)

    def add(start, count):
        for n in range(start, start + count):
            System.objects.create(
                organisation=council,
                function=functions[keys[n % 20]],
                product=make_product(f"Product {n}"),
                contract_end=dt.date(2030, 1, 1),
            )

    add(0, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(register_url(council))
    add(1, 15)
    with CaptureQueriesContext(connection) as large:
        response = client.get(register_url(council))
    assert "Product 15" in response.text
    assert len(large) == len(small)


def test_an_anonymous_visitor_on_the_council_page_is_asked_to_sign_in(client, council, system):
    response = client.get(reverse("organisations:detail", kwargs={"code": council.code}))
    assert "Sign in to see the register" in response.text
    assert SECRET_NOTE not in response.text
