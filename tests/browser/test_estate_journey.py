"""The technology estate in a real browser (issue 6): a council imports its register from a
spreadsheet (after a file with a bad row is refused with the row, column and message, and
nothing is saved), two councils say they are interested in procuring a product jointly and end
up on one Pipeline project, and a council records its move off a product, which the product's
page then shows. Every page reached is checked with axe-core (WCAG 2.2 AA)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from localdigital.estate import exports
from localdigital.estate.models import (
    EstateImport,
    Function,
    Pathway,
    Product,
    SharingSetting,
    Supplier,
    System,
)
from localdigital.estate.reference_data import load_functions
from localdigital.estate.selectors.procurement import add_months
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item, Partnership
from localdigital.pipeline.reference_data import load_service_areas
from tests.browser.test_membership_journey import text_of
from tests.browser.test_pipeline_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANNING = "planning-back-office"
COMMITTEES = "committee-management"
WASTE = "waste"
UNKNOWN_PRODUCT = "Acme Bin Rounds"
XLSX_TYPE = exports.CONTENT_TYPES[exports.XLSX]


def product(name: str, supplier: str) -> Product:
    maker, _ = Supplier.objects.get_or_create(
        name=supplier, defaults={"slug": supplier.lower().replace(" ", "-")}
    )
    return Product.objects.create(
        supplier=maker,
        name=name,
        slug=name.lower().replace(" ", "-"),
        status=Product.Status.APPROVED,
    )


@pytest.fixture
def estate(transactional_db):
    """Three councils sharing contract end dates, whose Idox Uniform contracts for planning
    all end within the next 24 months, and a member of each of the first two."""
    load_service_areas()
    load_functions()
    functions = {function.key: function for function in Function.objects.all()}
    uniform = product("Idox Uniform", "Idox")
    arcus = product("Arcus Planning", "Arcus Global")
    moderngov = product("ModernGov", "Civica")
    councils = [
        OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council"),
        OrganisationFactory(code="LDS", short_name="Leeds", name="Leeds City Council"),
        OrganisationFactory(code="BST", short_name="Bristol", name="Bristol City Council"),
    ]
    today = timezone.localdate()
    for months, council in zip((6, 9, 12), councils, strict=True):
        SharingSetting.objects.create(
            organisation=council, level=SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS
        )
        System.objects.create(
            organisation=council,
            function=functions[PLANNING],
            product=uniform,
            contract_start=dt.date(2020, 4, 1),
            contract_end=add_months(today, months),
        )
    return {
        "functions": functions,
        "uniform": uniform,
        "arcus": arcus,
        "moderngov": moderngov,
        "councils": councils,
        "member_a": MembershipFactory(organisation=councils[0]).user,
        "member_b": MembershipFactory(organisation=councils[1]).user,
    }


def register_xlsx(rows: list[dict[str, object]]) -> bytes:
    """A workbook in the template's columns (exports.COLUMNS), one row per dict."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = exports.SYSTEMS_SHEET
    sheet.append(list(exports.HEADERS))
    for row in rows:
        sheet.append([row.get(column.key, "") for column in exports.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(hub, rows: list[dict[str, object]], name: str) -> None:
    hub.page.get_by_label("Upload your register").set_input_files(
        {"name": name, "mimeType": XLSX_TYPE, "buffer": register_xlsx(rows)}
    )
    hub.submit("Check the file")


def file_rows(estate, *, contract_end: dt.date) -> list[dict[str, object]]:
    functions = estate["functions"]
    return [
        {
            "function": functions[COMMITTEES].name,
            "product": "ModernGov",
            "supplier": "Civica",
            "hosting": "Software as a service",
            "contract_start": dt.date(2025, 4, 1),
            "contract_end": contract_end,
            "annual_cost_band": "£10,000 to £50,000",
        },
        {
            "function": functions[WASTE].name,
            "product": UNKNOWN_PRODUCT,
            "supplier": "Acme",
            "hosting": "On-premises",
        },
    ]


def register_path(council) -> str:
    return f"/estate/councils/{council.code}/"


def import_a_register(hub, estate) -> None:
    hackney = estate["councils"][0]
    page = sign_in(hub, estate["member_a"], f"/accounts/sign-in/?next={register_path(hackney)}")
    assert text_of(page, "main h1") == "Systems register"
    hub.follow("Import from a spreadsheet")
    assert text_of(page, "main h1") == "Import your register from a spreadsheet"

    # A contract that ends before it starts, and a product the Hub does not know.
    upload(hub, file_rows(estate, contract_end=dt.date(2024, 3, 31)), "register-draft.xlsx")
    assert text_of(page, "main h1") == "Check your import"
    assert "1 row has problems" in text_of(page, ".govuk-error-summary")
    problems = page.locator("#row-errors tbody tr")
    assert problems.count() == 1
    cells = [" ".join(text.split()) for text in problems.first.locator("td").all_inner_texts()]
    assert cells == [
        "2",
        "Contract end",
        "The contract end date must be the same as or after the start date",
    ]
    assert page.get_by_label(f"What is {UNKNOWN_PRODUCT} (Acme)?").is_visible()
    assert "Nothing has been saved" in text_of(page, "main")
    assert not System.objects.filter(organisation=hackney).exclude(product=estate["uniform"])
    assert EstateImport.objects.get().status == EstateImport.Status.PREVIEW

    # The person cancels, fixes the file and uploads it again.
    hub.submit("Cancel this import")
    assert "nothing in your register changed" in text_of(page, ".govuk-notification-banner")
    upload(hub, file_rows(estate, contract_end=dt.date(2029, 3, 31)), "register.xlsx")
    assert not page.locator("#row-errors").count()
    page.get_by_label(f"What is {UNKNOWN_PRODUCT} (Acme)?").select_option(
        label="In-house or other system"
    )
    hub.submit("Save answers and check again")
    assert "checked again" in text_of(page, ".govuk-notification-banner")
    assert System.objects.filter(organisation=hackney).count() == 1
    hub.submit("Import 2 systems")
    assert "Register imported" in text_of(page, ".govuk-panel")
    hub.follow("Go to your register")
    assert "ModernGov" in text_of(page, "main")
    assert UNKNOWN_PRODUCT in text_of(page, "main")
    saved = System.objects.filter(organisation=hackney).select_related("product")
    assert {system.display_name for system in saved} == {
        "Idox Uniform",
        "ModernGov",
        UNKNOWN_PRODUCT,
    }
    moderngov = saved.get(product=estate["moderngov"])
    assert moderngov.contract_end == dt.date(2029, 3, 31)
    assert saved.get(other_name=UNKNOWN_PRODUCT).product is None


def interest_button(estate) -> str:
    function = estate["functions"][PLANNING].name.lower()
    return f"Interested in joint procurement of Idox Uniform for {function}"


def test_a_council_imports_its_register_procures_jointly_and_records_a_move(estate, open_hub):
    hackney, leeds, _bristol = estate["councils"]
    a = open_hub("hackney")
    import_a_register(a, estate)
    page = a.page

    # Joint procurement: three councils' Idox Uniform contracts end within 24 months.
    a.follow("Joint procurement windows")
    assert text_of(page, "main h1") == "Joint procurement windows"
    assert "1 window in the next 24 months" in text_of(page, "main")
    a.submit(interest_button(estate))
    assert "Hackney is now on the joint procurement project" in text_of(
        page, ".govuk-notification-banner"
    )
    item = Item.objects.get()
    assert item.kind == Item.Kind.PROJECT
    assert item.organisation == hackney
    assert list(item.tags.values_list("slug", flat=True)) == ["procurement"]
    assert "Interested: Hackney." in text_of(page, "main")

    b = open_hub("leeds")
    sign_in(b, estate["member_b"], "/accounts/sign-in/?next=/estate/procurement/")
    assert text_of(b.page, "main h1") == "Joint procurement windows"
    b.submit(interest_button(estate))
    assert "Leeds is now on the joint procurement project" in text_of(
        b.page, ".govuk-notification-banner"
    )
    assert Item.objects.count() == 1
    assert Partnership.objects.filter(item=item, organisation=leeds).exists()
    assert "Interested: Hackney, Leeds." in text_of(b.page, "main")
    b.follow("Follow the joint procurement project for Idox Uniform")
    assert "Leeds" in text_of(b.page, "main")

    # Hackney records its move off Idox Uniform to Arcus Planning.
    a.visit(register_path(hackney))
    a.follow("Record a move")
    assert text_of(page, "main h1") == "Record a move off a legacy system"
    page.get_by_label("What is the system used for?").select_option(PLANNING)
    page.get_by_label("Product you are moving off (optional)").select_option(
        label="Idox Uniform (Idox)"
    )
    page.get_by_label("Product you are moving to", exact=True).select_option(
        label="Arcus Planning (Arcus Global)"
    )
    page.get_by_label("In progress").check()
    page.get_by_label("Lessons learned (optional)").fill("Move the data over a weekend.")
    a.submit("Save")
    assert "The move has been recorded" in text_of(page, ".govuk-notification-banner")
    assert "Arcus Planning" in text_of(page, "#pathways + table")
    pathway = Pathway.objects.get()
    assert (pathway.organisation, pathway.from_product, pathway.to_product) == (
        hackney,
        estate["uniform"],
        estate["arcus"],
    )

    a.visit(f"/estate/products/{estate['uniform'].slug}/")
    moved = text_of(page, "#pathways + table")
    assert "Councils that moved off Idox Uniform went to" in text_of(page, "#pathways")
    assert "Arcus Planning" in moved
    assert "In progress: 1" in moved
    assert "Move the data over a weekend." in text_of(page, "main")
