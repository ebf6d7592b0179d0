"""The product list and its curation: finding products, proposing one, staff review and
changes, and the Django admin."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import Product, Supplier
from localdigital.estate.services import products as product_services
from localdigital.estate.services import systems as system_services
from localdigital.estate.services.products import product_update

COMMITTEES = "committee-management"


def signed_in(client, user):
    """Sign in with a second factor already verified (programme staff need one)."""
    device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def errors(page):
    return [a.get_text(strip=True) for a in page.select(".govuk-error-summary__list a")]


def edit_data(_functions, **overrides):
    data = {
        "name": "ModernGov",
        "supplier_name": "Civica",
        "functions": [COMMITTEES],
        "hosting_models": ["saas"],
        "support_status": "supported",
        "end_of_support-day": "",
        "end_of_support-month": "",
        "end_of_support-year": "",
        "catalogue_asset": "",
    }
    data.update(overrides)
    return data


# --- The list ---------------------------------------------------------------------------------


def test_the_list_finds_approved_products_by_name_or_supplier_and_filters(
    client, functions, make_product
):
    moderngov = make_product("ModernGov", supplier="Civica")
    moderngov.functions.add(functions[COMMITTEES])
    make_product("Uniform", supplier="Idox")
    make_product("Hidden", supplier="Civica", status=Product.Status.PROPOSED)
    url = reverse("estate:products")
    names = lambda page: [a.get_text() for a in page.select("#results tbody th a")]  # noqa: E731
    assert names(soup(client.get(url))) == ["ModernGov", "Uniform"]
    assert names(soup(client.get(url, {"q": "civica"}))) == ["ModernGov"]
    assert names(soup(client.get(url, {"q": "unif"}))) == ["Uniform"]
    assert names(soup(client.get(url, {"function": COMMITTEES}))) == ["ModernGov"]
    idox = Supplier.objects.get(name="Idox").slug
    assert names(soup(client.get(url, {"supplier": idox}))) == ["Uniform"]
    # An unknown filter value is ignored, not an error page.
    assert names(soup(client.get(url, {"function": "nonsense", "page": "x"}))) == [
        "ModernGov",
        "Uniform",
    ]
    empty = soup(client.get(url, {"q": "nothing like this"}))
    assert empty.select_one("#no-results")


def test_the_list_is_paginated(client, functions, make_product):
    for number in range(30):
        make_product(f"Product {number:02d}")
    first = soup(client.get(reverse("estate:products")))
    assert len(first.select("#results tbody tr")) == 25
    assert first.select_one(".govuk-pagination")
    second = soup(client.get(reverse("estate:products"), {"page": 2}))
    assert len(second.select("#results tbody tr")) == 5


# --- Proposing --------------------------------------------------------------------------------


def test_a_member_proposes_a_product_which_waits_for_review(client, functions, member):
    client = signed_in(client, member)
    response = client.post(
        reverse("estate:product_propose"),
        {"supplier_name": " Acme  Councils ", "name": "Minutes Maker", "functions": [COMMITTEES]},
    )
    product = Product.objects.get(name="Minutes Maker")
    assert response.status_code == 302
    assert response["Location"] == reverse("estate:product", args=[product.slug])
    assert product.status == Product.Status.PROPOSED
    assert product.supplier.name == "Acme Councils"
    assert product.proposed_by == member
    assert AuditEvent.objects.filter(action="estate.product_propose").count() == 1
    # The proposer can see it; the public cannot.
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    assert client.get(reverse("estate:product", args=[product.slug])).status_code == 404


def test_proposing_with_missing_or_bad_input_shows_plain_errors_and_saves_nothing(
    client, functions, member, make_product
):
    client = signed_in(client, member)
    page = soup(client.post(reverse("estate:product_propose"), {"functions": ["nonsense"]}))
    assert errors(page) == [
        system_services.SUPPLIER_REQUIRED,
        system_services.PRODUCT_NAME_REQUIRED,
        system_services.FUNCTIONS_REQUIRED,
    ]
    assert page.title.get_text().startswith("Error:")
    make_product("ModernGov", supplier="Civica")
    page = soup(
        client.post(
            reverse("estate:product_propose"),
            {"supplier_name": "civica", "name": "moderngov", "functions": [COMMITTEES]},
        )
    )
    assert errors(page) == ["civica moderngov is already on the product list"]
    assert Product.objects.count() == 1


def test_only_sector_members_can_propose(client, functions):
    from localdigital.accounts.tests.factories import UserFactory

    url = reverse("estate:product_propose")
    assert client.get(url).status_code == 302  # to sign in
    client = signed_in(client, UserFactory())
    page = soup(client.get(url))
    assert page.h1.get_text() == "You cannot propose a product yet"
    client.post(url, {"supplier_name": "A", "name": "B", "functions": [COMMITTEES]})
    assert not Product.objects.exists()


# --- Reviewing --------------------------------------------------------------------------------


@pytest.fixture
def proposed(functions, member):
    return system_services.product_propose(
        actor=member, supplier_name="Acme", name="Minutes Maker", functions=[functions[COMMITTEES]]
    )


def test_staff_approve_a_proposed_product_and_it_appears_in_the_list(
    client, proposed, programme_staff
):
    client = signed_in(client, programme_staff)
    page = soup(client.get(reverse("estate:product_review")))
    assert page.select_one(f"#proposed-{proposed.slug}")
    response = client.post(
        reverse("estate:product_review"), {"product": proposed.slug, "decision": "approve"}
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == Product.Status.APPROVED
    assert AuditEvent.objects.filter(action="estate.product_approve").count() == 1
    client.logout()
    listing = soup(client.get(reverse("estate:products")))
    assert [a.get_text() for a in listing.select("#results tbody th a")] == ["Minutes Maker"]


def test_staff_reject_a_proposed_product_and_it_stays_hidden(client, proposed, programme_staff):
    client = signed_in(client, programme_staff)
    client.post(reverse("estate:product_review"), {"product": proposed.slug, "decision": "reject"})
    proposed.refresh_from_db()
    assert proposed.status == Product.Status.REJECTED
    assert soup(client.get(reverse("estate:product_review"))).select_one("#none-proposed")
    client.logout()
    assert client.get(reverse("estate:product", args=[proposed.slug])).status_code == 404


def test_a_bad_review_decision_is_an_error_and_changes_nothing(client, proposed, programme_staff):
    client = signed_in(client, programme_staff)
    page = soup(
        client.post(reverse("estate:product_review"), {"product": proposed.slug, "decision": "x"})
    )
    assert errors(page) == ["Choose whether to approve or reject the product"]
    response = client.post(
        reverse("estate:product_review"), {"product": "no-such-product", "decision": "approve"}
    )
    assert response.status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == Product.Status.PROPOSED


def test_only_programme_staff_can_review(client, proposed, member, other_admin):
    url = reverse("estate:product_review")
    assert client.get(url).status_code == 302  # to sign in
    for user in (member, other_admin):
        client.logout()
        client = signed_in(client, user)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"product": proposed.slug, "decision": "approve"}).status_code == 404
        )
    proposed.refresh_from_db()
    assert proposed.status == Product.Status.PROPOSED


# --- Changing a product -----------------------------------------------------------------------


def test_every_problem_with_a_change_is_shown_at_once(
    client, functions, make_product, programme_staff
):
    product = make_product("ModernGov")
    client = signed_in(client, programme_staff)
    page = soup(
        client.post(
            reverse("estate:product_edit", args=[product.slug]),
            edit_data(None, name="", support_status="end_of_support", catalogue_asset="nope"),
        )
    )
    assert errors(page) == [
        system_services.PRODUCT_NAME_REQUIRED,
        product_services.END_OF_SUPPORT_REQUIRED,
        "Enter the address of a solution in the catalogue, or leave this blank",
    ]


def test_staff_change_a_product_and_the_change_is_audited(
    client, functions, make_product, programme_staff
):
    from localdigital.catalogue.models import Asset

    asset = Asset.objects.create(
        name="Bin days", slug="bin-days", summary="Bins.", kind="open_source"
    )
    product = make_product("ModernGov")
    client = signed_in(client, programme_staff)
    url = reverse("estate:product_edit", args=[product.slug])
    form = soup(client.get(url))
    assert form.select_one("input[name=name]")["value"] == "ModernGov"
    response = client.post(
        url,
        edit_data(
            functions,
            name="ModernGov 2",
            supplier_name="Civica",
            hosting_models=["saas", "on_premises"],
            support_status="end_of_support",
            **{
                "end_of_support-day": "31",
                "end_of_support-month": "3",
                "end_of_support-year": "2027",
            },
            catalogue_asset="https://hub.example/catalogue/bin-days/",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("estate:product", args=[product.slug])
    product.refresh_from_db()
    assert product.name == "ModernGov 2"
    assert product.slug == "moderngov"
    assert product.supplier.name == "Civica"
    assert product.hosting_models == ["on_premises", "saas"]
    assert product.support_status == "end_of_support"
    assert product.end_of_support == datetime.date(2027, 3, 31)
    assert product.catalogue_asset == asset
    assert [f.key for f in product.functions.all()] == [COMMITTEES]
    event = AuditEvent.objects.get(action="estate.product_update")
    assert set(event.data["fields"]) >= {"name", "supplier", "functions", "catalogue_asset"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, system_services.PRODUCT_NAME_REQUIRED),
        ({"supplier_name": "  "}, system_services.SUPPLIER_REQUIRED),
        ({"functions": []}, system_services.FUNCTIONS_REQUIRED),
        ({"hosting_models": ["moon"]}, product_services.HOSTING_UNKNOWN),
        ({"support_status": "forever"}, product_services.SUPPORT_STATUS_REQUIRED),
        ({"support_status": "end_of_support"}, product_services.END_OF_SUPPORT_REQUIRED),
        (
            {
                "end_of_support-day": "31",
                "end_of_support-month": "2",
                "end_of_support-year": "2027",
            },
            "End of support date must be a real date",
        ),
        (
            {"catalogue_asset": "/catalogue/nothing-here/"},
            "Enter the address of a solution in the catalogue, or leave this blank",
        ),
        (
            {"name": "CMIS", "supplier_name": "CMIS Ltd"},
            "CMIS Ltd CMIS is already on the product list",
        ),
    ],
)
def test_changing_a_product_with_bad_input_shows_the_error_and_saves_nothing(
    client, functions, make_product, programme_staff, overrides, message
):
    product = make_product("ModernGov")
    make_product("CMIS")
    client = signed_in(client, programme_staff)
    url = reverse("estate:product_edit", args=[product.slug])
    page = soup(client.post(url, edit_data(None, **overrides)))
    assert errors(page) == [message]
    product.refresh_from_db()
    assert product.name == "ModernGov"
    assert product.supplier.name == "ModernGov Ltd"
    assert not product.functions.exists()
    assert not AuditEvent.objects.filter(action="estate.product_update").exists()
    assert not Supplier.objects.filter(name="Civica").exists()


def test_only_programme_staff_can_change_a_product(
    client, functions, make_product, member, other_admin
):
    product = make_product("ModernGov")
    url = reverse("estate:product_edit", args=[product.slug])
    assert client.get(url).status_code == 302  # to sign in
    for user in (member, other_admin):
        client.logout()
        client = signed_in(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, edit_data(functions, name="Hacked")).status_code == 404
    product.refresh_from_db()
    assert product.name == "ModernGov"


def test_the_service_refuses_people_who_are_not_programme_staff(functions, make_product, member):
    product = make_product("ModernGov")
    data = {
        "name": "X",
        "supplier_name": "Y",
        "functions": [functions[COMMITTEES]],
        "hosting_models": [],
        "support_status": "supported",
        "end_of_support": None,
        "catalogue_asset": None,
    }
    with pytest.raises(ApplicationError, match=product_services.NOT_A_CURATOR):
        product_update(actor=member, product=product, data=data)


def test_an_unchanged_product_is_not_saved_or_audited(functions, make_product, programme_staff):
    product = make_product("ModernGov")
    product.functions.add(functions[COMMITTEES])
    data = {
        "name": "ModernGov",
        "supplier_name": "ModernGov Ltd",
        "functions": [functions[COMMITTEES]],
        "hosting_models": [],
        "support_status": "supported",
        "end_of_support": None,
        "catalogue_asset": None,
    }
    product_update(actor=programme_staff, product=product, data=data)
    assert not AuditEvent.objects.filter(action="estate.product_update").exists()


# --- The Django admin -------------------------------------------------------------------------


def test_the_admin_lists_suppliers_products_functions_and_systems(client, functions, make_product):
    from localdigital.accounts.tests.factories import UserFactory

    make_product("ModernGov")
    admin = UserFactory(is_staff=True, is_superuser=True, is_programme_staff=True)
    client = signed_in(client, admin)
    for model in ("supplier", "product", "function", "system"):
        assert client.get(reverse(f"admin:estate_{model}_changelist")).status_code == 200
    function = functions[COMMITTEES]
    response = client.post(
        reverse("admin:estate_function_change", args=[function.pk]), {"name": "Changed"}
    )
    assert response.status_code in {302, 403}
    function.refresh_from_db()
    assert function.name == "Committee management"
