"""The service's content pages: accessibility, privacy, cookies, open data licence, attribution."""

import pytest
from bs4 import BeautifulSoup


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def links(soup):
    return {a["href"] for a in soup.select("main a[href]")}


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accessibility/", "Accessibility statement for the Local Digital Hub"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
        ("/open-data-licence/", "Open data licence"),
        ("/attribution/", "Data sources and attribution"),
    ],
)
def test_each_content_page_renders_with_its_heading_and_title(client, db, url, heading):
    soup = page(client, url)
    assert soup.select_one("main h1").text.strip() == heading
    assert soup.title.text.strip().endswith("- Local Digital Hub")
    assert not soup.select("main [style]"), "inline styles break the content security policy"


def test_the_accessibility_statement_follows_the_govuk_model(client, db):
    soup = page(client, "/accessibility/")
    headings = [h.text.strip() for h in soup.select("main h2, main h3")]
    for expected in (
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "How we tested this service",
        "Preparation of this accessibility statement",
    ):
        assert expected in headings
    text = soup.select_one("main").text
    assert "Web Content Accessibility Guidelines version 2.2" in text
    assert "axe-core" in text
    assert "https://www.equalityadvisoryservice.com/" in links(soup)
    assert "https://www.equalityni.org/Home" in links(soup)


def test_the_privacy_notice_states_the_lawful_basis_and_retention_periods(client, db):
    soup = page(client, "/privacy/")
    text = " ".join(soup.select_one("main").text.split())
    assert "public task" in text
    retention = {
        row.select_one("th").text.strip(): row.select_one("td").text.strip()
        for row in soup.select("main table tbody tr")
    }
    assert retention["Accounts whose email address was never confirmed"].startswith("30 days")
    assert retention["Notifications you have read"].startswith("180 days")
    assert "https://ico.org.uk/make-a-complaint/" in links(soup)


def test_the_cookies_page_lists_only_essential_cookies_with_purpose_and_expiry(client, db):
    soup = page(client, "/cookies/")
    head = [th.text.strip() for th in soup.select("main table thead th")]
    assert head == ["Name", "Purpose", "Expires"]
    names = [row.select_one("th").text.strip() for row in soup.select("main table tbody tr")]
    assert names == ["sessionid", "csrftoken", "messages"]
    assert soup.select_one(".govuk-cookie-banner") is None


def test_the_open_data_licence_page_links_to_the_national_archives(client, db):
    soup = page(client, "/open-data-licence/")
    ogl = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert ogl in links(soup)
    assert "/attribution/" in links(soup)


def test_the_attribution_page_credits_mysociety_under_cc_by(client, db):
    soup = page(client, "/attribution/")
    credit = soup.select_one("#mysociety-attribution").text.strip()
    assert credit == "mySociety, UK Local Authority Names and Codes, CC BY 4.0"
    assert "https://github.com/mysociety/uk_local_authority_names_and_codes" in links(soup)
    assert "https://creativecommons.org/licenses/by/4.0/" in links(soup)
    assert "https://github.com/alphagov/govuk-frontend" in links(soup)


def test_the_privacy_notice_gives_an_email_address_to_contact(client, db):
    soup = page(client, "/privacy/")
    mailto = [href for href in links(soup) if href.startswith("mailto:")]
    assert mailto
    assert all("@" in href for href in mailto)
