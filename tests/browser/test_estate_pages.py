"""The estate's pages the journey does not reach, checked with axe-core (WCAG 2.2 AA) as an
anonymous visitor, a council member, a council admin and programme staff: the sector pages with
and without enough councils for a chart, the product list, product and supplier pages, the forms
with their error summaries, the staff review queue and product edit, and the sharing setting."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.estate.models import (
    Function,
    Pathway,
    Product,
    SharingSetting,
    Supplier,
    System,
)
from localdigital.estate.reference_data import load_functions
from localdigital.estate.selectors.procurement import add_months
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.reference_data import load_service_areas
from tests.browser.test_declaration_journey import sign_in as sign_in_with_code
from tests.browser.test_membership_journey import text_of
from tests.browser.test_pipeline_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMITTEES = "committee-management"
WASTE = "waste"


def product(name: str, supplier: str, *, status: str = Product.Status.APPROVED) -> Product:
    maker, _ = Supplier.objects.get_or_create(
        name=supplier, defaults={"slug": supplier.lower().replace(" ", "-")}
    )
    return Product.objects.create(
        supplier=maker, name=name, slug=name.lower().replace(" ", "-"), status=status
    )


@pytest.fixture
def sector(transactional_db):
    """Seven councils on ModernGov for committees (enough for every chart), two on CMIS, two
    on a waste product (too few for a chart), a proposed product, and one move."""
    load_service_areas()
    load_functions()
    functions = {function.key: function for function in Function.objects.all()}
    moderngov = product("ModernGov", "Civica")
    cmis = product("CMIS", "Idox")
    bartec = product("Bartec Collective", "Bartec Municipal")
    proposed = product("Acme Agendas", "Acme", status=Product.Status.PROPOSED)
    moderngov.functions.add(functions[COMMITTEES])
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    councils = [hackney, *(OrganisationFactory() for _ in range(10))]
    today = timezone.localdate()
    for index, council in enumerate(councils):
        SharingSetting.objects.create(
            organisation=council, level=SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS
        )
        on = moderngov if index < 7 else cmis if index < 9 else None
        if on is not None:
            System.objects.create(
                organisation=council,
                function=functions[COMMITTEES],
                product=on,
                hosting="saas" if index % 2 else "on_premises",
                contract_start=dt.date(2022, 4, 1),
                contract_end=add_months(today, 6 + 6 * index),
                satisfaction=1 + index % 5,
                annual_cost_band=System.CostBand.FROM_10K,
            )
        else:
            System.objects.create(
                organisation=council, function=functions[WASTE], product=bartec, hosting="saas"
            )
    Pathway.objects.create(
        organisation=hackney,
        function=functions[COMMITTEES],
        from_product=moderngov,
        to_product=cmis,
        status=Pathway.Status.PLANNED,
        lessons="Ask for the data export early.",
    )
    member = MembershipFactory(organisation=hackney).user
    admin = UserFactory(email="digital.lead@hackney.gov.uk", full_name="Sam Adeyemi")
    MembershipFactory(user=admin, organisation=hackney, role=Membership.Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    staff = UserFactory(email="steward@localdigital.gov.uk", is_programme_staff=True)
    TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    return {
        "hackney": hackney,
        "other": councils[1],
        "moderngov": moderngov,
        "proposed": proposed,
        "supplier": moderngov.supplier,
        "member": member,
        "admin": admin,
        "staff": staff,
    }


def test_the_sector_pages_are_accessible_to_a_visitor(sector, hub):
    page = hub.visit("/estate/")
    assert text_of(page, "main h1")
    hub.visit(f"/estate/functions/{COMMITTEES}/")
    assert page.locator("svg#share-chart").count() == 1
    assert page.locator("#share-table").count() == 1
    hub.visit(f"/estate/functions/{WASTE}/")
    assert "fewer than 5 councils" in text_of(page, "main")
    assert page.locator("svg#share-chart").count() == 0
    hub.visit("/estate/products/")
    assert "ModernGov" in text_of(page, "main")
    hub.visit("/estate/products/?q=modern")
    hub.visit(f"/estate/products/{sector['moderngov'].slug}/")
    assert page.locator("#sign-in-prompt").count() == 1
    assert "Councils that moved off ModernGov went to" in text_of(page, "#pathways")
    hub.visit(f"/estate/suppliers/{sector['supplier'].slug}/")
    assert "ModernGov" in text_of(page, "main")


def test_the_member_pages_and_forms_with_errors_are_accessible(sector, open_hub):
    member = open_hub("member")
    page = sign_in(member, sector["member"], "/accounts/sign-in/?next=/estate/")
    assert "/estate/" in page.url
    member.visit(f"/estate/products/{sector['moderngov'].slug}/")
    assert page.locator("svg#ends-chart").count() == 1
    assert page.locator("svg#satisfaction-chart").count() == 1
    assert "Hackney" in text_of(page, "#council-list")

    # Forms sent empty show their error summaries.
    member.visit("/estate/products/propose/")
    member.submit("Propose the product")
    assert "There is a problem" in text_of(page, ".govuk-error-summary")
    member.visit("/estate/councils/HCK/systems/new/")
    member.submit("Add system")
    assert "Choose what the system is used for" in text_of(page, ".govuk-error-summary")
    member.visit("/estate/councils/HCK/import/")
    member.submit("Check the file")
    assert "Choose a CSV or XLSX file" in text_of(page, ".govuk-error-summary")
    member.visit("/estate/procurement/?months=7")
    assert "Choose a window from the list" in text_of(page, ".govuk-error-summary")

    # Changing and removing a system, changing a move, and another council's shared register.
    system = System.objects.get(organisation=sector["hackney"])
    member.visit(f"/estate/systems/{system.pk}/")
    member.visit(f"/estate/systems/{system.pk}/remove/")
    member.visit(f"/estate/pathways/{Pathway.objects.get().pk}/")
    member.visit(f"/estate/councils/{sector['other'].code}/")
    assert "Contract ends" in text_of(page, "main table")


def test_an_admin_sees_an_accessible_sharing_setting(sector, open_hub):
    admin = open_hub("admin")
    sign_in_with_code(admin, sector["admin"])
    page = admin.visit("/estate/councils/HCK/sharing/")
    assert text_of(page, "main h1") == "What other councils see of your register"
    admin.visit("/estate/councils/HCK/")
    assert "Change what other councils see" in text_of(page, "main")


def test_programme_staff_review_and_change_products_on_accessible_pages(sector, open_hub):
    staff = open_hub("staff")
    sign_in_with_code(staff, sector["staff"])
    page = staff.visit("/estate/products/review/")
    assert "Acme Agendas" in text_of(page, "#proposed")
    staff.visit(f"/estate/products/{sector['proposed'].slug}/")
    assert page.locator("#status-warning").count() == 1
    staff.visit(f"/estate/products/{sector['moderngov'].slug}/edit/")
    page.get_by_label("Product name").fill("")
    staff.submit("Save changes")
    assert "There is a problem" in text_of(page, ".govuk-error-summary")
    assert Product.objects.filter(name="ModernGov").exists()
