"""The public pages in a real browser: accessible (axe-core, WCAG 2.2 AA) with and without
JavaScript, and usable without it."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# path, the page's main heading, the status it answers with
PUBLIC_PAGES = {
    "start page": ("/", "Local Digital Hub", 200),
    "directory": ("/organisations/", "Find a council", 200),
    "directory search": ("/organisations/?q=borough&nation=England", "Find a council", 200),
    "council page": ("/organisations/HCK/", "London Borough of Hackney", 200),
    "accessibility statement": ("/accessibility/", None, 200),
    "privacy notice": ("/privacy/", None, 200),
    "cookies": ("/cookies/", "Cookies", 200),
    "open data licence": ("/open-data-licence/", None, 200),
    "attribution": ("/attribution/", None, 200),
    "page not found": ("/no-such-page/", "Page not found", 404),
}


@pytest.fixture
def sector(transactional_db):
    """Every UK council from the project's reference data, as `make run` loads them."""
    call_command("load_reference_data", verbosity=0)


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_has_no_accessibility_violations_with_javascript(sector, hub, name):
    path, heading, status = PUBLIC_PAGES[name]

    page = hub.visit(path, status=status)

    h1 = page.locator("main h1")
    assert h1.count() == 1
    if heading:
        assert h1.inner_text().strip() == heading
    # GOV.UK Frontend's script ran: it marks the body once it has initialised.
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_works_and_stays_accessible_without_javascript(sector, open_hub, name):
    path, heading, status = PUBLIC_PAGES[name]
    no_javascript = open_hub("no-js", javascript=False)
    rendering = open_hub.no_script_rendering("no-js-axe")

    page = no_javascript.visit(path, status=status)
    rendering.visit(path, status=status)

    if heading:
        assert page.locator("main h1").inner_text().strip() == heading
    assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
    # The skip link and the navigation are plain links that work without script.
    assert page.locator("a.govuk-skip-link").get_attribute("href") == "#main-content"
    assert page.locator(".govuk-service-navigation a", has_text="Sign in").count() == 1


def test_directory_search_and_filters_work_without_javascript(sector, open_hub):
    no_javascript = open_hub("no-js", javascript=False)
    page = no_javascript.visit("/organisations/")

    page.get_by_label("Search", exact=False).first.fill("Hackney")
    no_javascript.submit("Apply filters")

    assert "q=Hackney" in page.url
    results = page.locator("main table tbody tr")
    assert results.count() >= 1
    assert results.first.locator("a").inner_text().strip() == "Hackney"

    no_javascript.follow("Hackney")

    assert page.locator("main h1").inner_text().strip() == "London Borough of Hackney"
    assert page.locator(".govuk-summary-list", has_text="E09000012").count() == 1


def test_council_found_by_gss_code_redirects_to_its_page(sector, hub):
    page = hub.visit("/organisations/E09000012/")

    assert page.url.endswith("/organisations/HCK/")
    assert page.locator("main h1").inner_text().strip() == "London Borough of Hackney"
