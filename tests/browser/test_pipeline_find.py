"""Finding Pipeline items in a real browser: searching and filtering with and without
JavaScript, removing a filter, and saving a search after signing in. Every page reached is
checked with axe-core (WCAG 2.2 AA)."""

import pytest

from localdigital.accounts.tests.factories import TEST_PASSWORD
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item, SavedSearch
from localdigital.pipeline.tests.factories import ItemFactory, ServiceAreaFactory
from localdigital.pipeline.tests.find_support import item_pages  # noqa: F401
from tests.browser.test_membership_journey import text_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("item_pages"),
]


@pytest.fixture
def pipeline(transactional_db):
    """Two councils' items in two service areas and phases, and a Cambridge member."""
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    cambridge = OrganisationFactory(
        code="CAM",
        short_name="Cambridge",
        name="Cambridge City Council",
        region="East of England",
        la_type="NMD",
        la_type_name="Non-metropolitan district",
    )
    housing = ServiceAreaFactory(key="housing", name="Housing")
    send = ServiceAreaFactory(key="education-and-send", name="Education and SEND")
    ItemFactory(
        organisation=hackney,
        title="Housing repairs reporting",
        summary="Tenants report repairs online and see when they will be fixed.",
        search_text="housing repairs reporting tenants report repairs online hackney",
        kind=Item.Kind.PROBLEM,
        service_area=housing,
        phase=Item.Phase.ALPHA,
    )
    ItemFactory(
        organisation=hackney,
        title="Damp and mould triage",
        summary="Prioritising damp and mould reports from tenants.",
        search_text="damp and mould triage tenants repairs hackney",
        service_area=housing,
        phase=Item.Phase.DISCOVERY,
    )
    ItemFactory(
        organisation=cambridge,
        title="EHCP assessment tracker",
        summary="Families see where their EHC needs assessment has got to.",
        search_text="ehcp assessment tracker send families cambridge",
        service_area=send,
        phase=Item.Phase.BETA,
    )
    member = MembershipFactory(organisation=cambridge).user
    return {"member": member}


def result_titles(page) -> list[str]:
    return [text.strip() for text in page.locator("#results h3 a").all_inner_texts()]


def search_and_filter(hub) -> None:
    page = hub.visit("/pipeline/")
    assert text_of(page, "main h1") == "Find projects, ideas and problems"
    assert text_of(page, "#results-count") == "3 items"

    page.get_by_label("Search", exact=True).fill("repairs")
    page.get_by_role("group", name="Phase").get_by_label("Alpha").check()
    hub.submit("Apply filters")

    assert "q=repairs" in page.url
    assert "phase=alpha" in page.url
    assert result_titles(page) == ["Housing repairs reporting"]
    assert text_of(page, "#results-count") == "1 item matching ‘repairs’"
    assert "Phase: Alpha" in text_of(page, "#selected-filters")

    # Removing the phase filter keeps the search words.
    hub.follow("Remove filter Phase: Alpha")
    assert "phase=" not in page.url
    assert sorted(result_titles(page)) == ["Damp and mould triage", "Housing repairs reporting"]

    # A value the list does not know is explained, not an error page.
    hub.visit("/pipeline/?phase=finished")
    assert "Choose a phase from the list" in text_of(page, ".govuk-error-summary")
    assert text_of(page, "#results-count") == "3 items"


def test_search_and_filters_work_with_javascript(pipeline, hub):
    search_and_filter(hub)


def test_search_and_filters_work_without_javascript(pipeline, open_hub):
    no_javascript = open_hub("no-js", javascript=False)
    rendering = open_hub.no_script_rendering("no-js-axe")

    search_and_filter(no_javascript)
    rendering.visit("/pipeline/?q=repairs&phase=alpha&kind=problem")
    rendering.visit("/pipeline/?phase=finished")


def test_a_member_signs_in_from_a_search_and_saves_it(pipeline, open_hub):
    hub = open_hub("member")
    member = pipeline["member"]
    page = hub.visit("/pipeline/?service_area=housing")

    hub.follow("Sign in to save this search")
    page.get_by_label("Email address").fill(member.email)
    page.get_by_role("textbox", name="Password", exact=True).fill(TEST_PASSWORD)
    hub.submit("Sign in")

    assert "/pipeline/saved-searches/new/" in page.url
    assert text_of(page, "main h1") == "Save this search"
    assert "Service area: Housing" in text_of(page, "#search-summary")
    page.get_by_label("Name your search").fill("Housing work")
    hub.submit("Save search")

    assert page.url.endswith("/pipeline/saved-searches/")
    assert "Your search ‘Housing work’ has been saved." in text_of(
        page, ".govuk-notification-banner"
    )
    saved = SavedSearch.objects.get(user=member)
    assert saved.query == "service_area=housing"

    hub.submit("Stop emails for ‘Housing work’")
    assert "We will stop emailing you" in text_of(page, ".govuk-notification-banner")
    saved.refresh_from_db()
    assert saved.email is False

    hub.follow("Run search ‘Housing work’")
    assert sorted(result_titles(page)) == ["Damp and mould triage", "Housing repairs reporting"]

    hub.visit("/pipeline/saved-searches/")
    hub.submit("Delete ‘Housing work’")
    assert "has been deleted" in text_of(page, ".govuk-notification-banner")
    assert not SavedSearch.objects.exists()
