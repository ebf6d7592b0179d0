import csv
import datetime as dt
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from localdigital.declaration.models import Commitment, CommitmentPartner, Signing
from localdigital.declaration.tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    SigningFactory,
)
from localdigital.organisations.models import Organisation
from localdigital.organisations.tests.factories import OrganisationFactory

REGISTER = reverse("declaration:signatories")


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def register_names(page):
    table = page.select_one("table.ldh-signatories")
    if table is None:
        return []
    return [row.select("td")[0].a.get_text(strip=True) for row in table.select("tbody tr")]


@pytest.fixture
def register(db):
    """Three current signatories (one imported, with no date) and one that is not signed."""
    essex = OrganisationFactory(
        code="ESS",
        name="Essex County Council",
        short_name="Essex",
        region="East of England",
        la_type="CTY",
        la_type_name="County council",
    )
    SigningFactory(organisation=essex, signed_on=dt.date(2018, 7, 4))
    adur = OrganisationFactory(
        code="ADU",
        name="Adur District Council",
        short_name="Adur",
        region="South East",
        la_type="NMD",
        la_type_name="Non-metropolitan district",
    )
    SigningFactory(
        organisation=adur,
        method=Signing.Method.IMPORTED,
        signed_on=dt.date(2018, 7, 1),
        signed_on_precision=Signing.DatePrecision.MONTH,
        evidence="signed at launch (co-signatory)",
        source_url="https://example.org/adur-worthing",
    )
    hackney = OrganisationFactory(code="HCK", name="Hackney Council", short_name="Hackney")
    SigningFactory(
        organisation=hackney,
        method=Signing.Method.IMPORTED,
        signed_on=None,
        signed_on_precision=Signing.DatePrecision.UNKNOWN,
        evidence="partner in Local Digital Fund 2 project",
        source_url="GitHub post about the fund",
    )
    kent = OrganisationFactory(code="KEN", name="Kent County Council", short_name="Kent")
    return {"essex": essex, "adur": adur, "hackney": hackney, "kent": kent}


# The register


def test_the_register_lists_every_current_signatory_with_its_details(client, register):
    page = soup(client.get(REGISTER))

    assert register_names(page) == ["Adur", "Essex", "Hackney"]
    assert page.select_one("#results-count").get_text(strip=True) == "3 signatories"
    rows = page.select("table.ldh-signatories tbody tr")
    adur = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert adur[1] == "Non-metropolitan district"
    assert adur[2] == "South East"
    assert adur[3] == "July 2018"
    assert "Known from public evidence" in adur[4]
    assert "signed at launch (co-signatory)" in adur[4]
    assert rows[0].select("td")[4].a["href"] == "https://example.org/adur-worthing"
    assert rows[0].select("td")[0].a["href"] == "/organisations/ADU/"
    essex = [cell.get_text(" ", strip=True) for cell in rows[1].select("td")]
    assert essex[3] == "4 July 2018"
    assert essex[4] == "Signed on the Hub"
    hackney = [cell.get_text(" ", strip=True) for cell in rows[2].select("td")]
    assert hackney[3] == "Not known"
    # A source that is not an address is shown as text, not a link.
    assert "Source: GitHub post about the fund" in hackney[4]
    assert rows[2].select("td")[4].a is None


def test_the_register_says_what_share_of_current_councils_have_signed(client, register):
    page = soup(client.get(REGISTER))

    assert page.select_one("#coverage").get_text(" ", strip=True) == (
        "3 of 4 current councils (75%) have signed the Declaration."
    )


def test_a_withdrawn_signing_leaves_the_register(client, register):
    Signing.objects.filter(organisation=register["essex"]).update(
        status=Signing.Status.WITHDRAWN, withdrawn_on=dt.date(2020, 1, 1)
    )

    assert register_names(soup(client.get(REGISTER))) == ["Adur", "Hackney"]


def test_former_councils_are_listed_only_when_asked_for(client, register):
    allerdale = OrganisationFactory(
        code="ALL", name="Allerdale Borough Council", short_name="Allerdale", is_current=False
    )
    SigningFactory(organisation=allerdale, signed_on=None, signed_on_precision="unknown")

    assert "Allerdale" not in register_names(soup(client.get(REGISTER)))
    page = soup(client.get(REGISTER, {"former": "true"}))
    assert "Allerdale" in register_names(page)
    assert page.select_one("input[name=former]").has_attr("checked")


def test_search_finds_signatories_by_name_or_code(client, register):
    assert register_names(soup(client.get(REGISTER, {"q": "essex"}))) == ["Essex"]
    assert register_names(soup(client.get(REGISTER, {"q": "HCK"}))) == ["Hackney"]
    page = soup(client.get(REGISTER, {"q": "kent"}))
    assert register_names(page) == []
    assert "There are no matching signatories." in page.get_text()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "South East"}, ["Adur"]),
        ({"type": ["CTY", "NMD"]}, ["Adur", "Essex"]),
        ({"nation": "Wales"}, []),
        ({"year": "2018"}, ["Adur", "Essex"]),
        ({"year": "unknown"}, ["Hackney"]),
        ({"year": ["unknown", "2018"]}, ["Adur", "Essex", "Hackney"]),
    ],
)
def test_filters_narrow_the_register(client, register, params, expected):
    assert register_names(soup(client.get(REGISTER, params))) == expected


def test_filter_values_that_match_no_choice_are_ignored(client, register):
    page = soup(client.get(REGISTER, {"year": "1066", "region": "Atlantis"}))

    assert register_names(page) == ["Adur", "Essex", "Hackney"]


def test_the_filter_panel_offers_the_years_signatories_signed_in(client, register):
    page = soup(client.get(REGISTER))

    years = [box["value"] for box in page.select("input[name=year]")]
    assert years == ["2018", "unknown"]
    labels = [label.get_text(strip=True) for label in page.select("label[for^=id_year]")]
    assert labels == ["2018", "Not known"]


def test_the_register_is_paginated(client, db):
    for number in range(55):
        SigningFactory(organisation=OrganisationFactory(short_name=f"Council {number:02d}"))

    first = soup(client.get(REGISTER))
    second = soup(client.get(REGISTER, {"page": 2}))

    assert len(register_names(first)) == 50
    assert len(register_names(second)) == 5
    assert first.select_one(".govuk-pagination__next a")["href"] == "?page=2"


def test_the_register_makes_the_same_number_of_queries_for_any_number_of_signatories(
    client, register, django_assert_num_queries
):
    # The request's savepoint and its release (2), filter options (2), the count and the page
    # of rows (2), the share of councils (1).
    with django_assert_num_queries(7):
        client.get(REGISTER, {"q": "a", "year": "2018"})
    for _ in range(20):
        SigningFactory(organisation=OrganisationFactory())
    with django_assert_num_queries(7):
        response = client.get(REGISTER, {"q": "a", "year": "2018"})
    assert response.status_code == 200


def test_download_links_carry_the_filters_in_force(client, register):
    page = soup(client.get(REGISTER, {"region": "South East", "page": "1"}))

    links = [a["href"] for a in page.select("#downloads a")]
    assert links == [
        "/declaration/signatories.csv?region=South+East",
        "/declaration/signatories.json?region=South+East",
    ]


# The Declaration page


def test_the_declaration_page_explains_the_five_principles(client, principles, register):
    page = soup(client.get(reverse("declaration:about")))

    assert page.h1.get_text(strip=True) == "The Local Digital Declaration"
    titles = [h.get_text(strip=True) for h in page.select("ol li h3")]
    assert len(titles) == 5
    assert titles[0] == "Redesign services around the needs of the people using them"
    assert page.select_one("#principle-fix-plumbing p").get_text(strip=True)
    inset = page.select_one(".govuk-inset-text").get_text()
    assert "3 of 4 current councils" in inset
    assert "published a total of 361 signatories in February 2024" in inset


# Downloads


def test_the_csv_download_has_the_register_with_its_licence(client, register):
    response = client.get(reverse("declaration:signatories_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="declaration-signatories-'
    )
    assert response["Content-Disposition"].endswith('.csv"')
    assert "open-government-licence/version/3" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["code"] for row in rows] == ["ADU", "ESS", "HCK"]
    adur = rows[0]
    assert adur["signed_on"] == "2018-07"
    assert adur["signed_on_precision"] == "month"
    assert adur["method"] == "imported"
    assert adur["source"] == "https://example.org/adur-worthing"
    assert adur["licence"] == "Open Government Licence v3.0"
    assert "mySociety" in adur["attribution"]
    assert rows[1]["signed_on"] == "2018-07-04"
    assert rows[2]["signed_on"] == ""
    assert rows[1]["hub_url"] == "http://testserver/organisations/ESS/"


def test_the_csv_download_applies_the_same_filters_as_the_page(client, register):
    response = client.get(reverse("declaration:signatories_csv"), {"year": "unknown"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["code"] for row in rows] == ["HCK"]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(client, register):
    Signing.objects.filter(organisation=register["essex"]).update(
        statement='=HYPERLINK("http://evil.example")', senior_officer_name="@SUM(A1)"
    )

    response = client.get(reverse("declaration:signatories_csv"), {"q": "essex"})

    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["statement"] == '\'=HYPERLINK("http://evil.example")'
    assert row["senior_officer_name"] == "'@SUM(A1)"


def test_the_json_download_has_the_licence_attribution_and_records(client, register):
    response = client.get(reverse("declaration:signatories_json"), {"region": "South East"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    document = json.loads(response.content)
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert document["licence"]["url"].startswith("https://www.nationalarchives.gov.uk/")
    assert "mySociety" in document["attribution"]
    assert document["count"] == 1
    record = document["signatories"][0]
    assert record["code"] == "ADU"
    assert record["signed_on"] == "2018-07"
    assert record["evidence"] == "signed at launch (co-signatory)"


def test_the_downloads_make_a_fixed_number_of_queries(client, register, django_assert_num_queries):
    for _ in range(10):
        SigningFactory(organisation=OrganisationFactory())
    # The request's savepoint and its release (2), filter options (2) and the rows (1).
    with django_assert_num_queries(5):
        client.get(reverse("declaration:signatories_csv"))
    with django_assert_num_queries(5):
        client.get(reverse("declaration:signatories_json"))


# Growth and map pages


def test_the_growth_page_shows_the_chart_and_its_tables(client, register):
    page = soup(client.get(reverse("declaration:growth")))

    svg = page.select_one("svg#growth-chart")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Local Digital Declaration signatories over time"
    hub = page.select("#growth-table tbody tr")
    assert [row.th.get_text(strip=True) for row in hub][0] == "2018"
    first = [cell.get_text(strip=True) for cell in hub[0].select("td")]
    assert first == ["2", "0", "2"]
    published = [row.th.get_text(strip=True) for row in page.select("#published-table tbody tr")]
    assert published == ["July 2018", "December 2020", "August 2022", "February 2024"]
    assert "1 current signatory has no known date" in page.select_one(".govuk-inset-text").text


def test_the_map_page_shows_the_map_and_the_same_figures_by_region(client, register):
    Organisation.objects.update(latitude=51.5, longitude=-0.1)

    page = soup(client.get(reverse("declaration:map")))

    svg = page.select_one("svg#signatory-map")
    assert svg["role"] == "img"
    assert len(svg.select("circle.ldh-map__point")) == 4
    assert len(svg.select("circle.ldh-map__point--signed")) == 3
    regions = {
        row.th.get_text(strip=True): [c.get_text(strip=True) for c in row.select("td")]
        for row in page.select("#map-table tbody tr")
    }
    assert regions == {
        "East of England": ["1", "1", "100%"],
        "London": ["2", "1", "50%"],
        "South East": ["1", "1", "100%"],
    }


# The council page section


def test_a_signatory_council_page_shows_its_signing(client, register):
    Signing.objects.filter(organisation=register["essex"]).update(statement="We are in.")

    page = soup(client.get(register["essex"].get_absolute_url()))

    section = page.select_one("section#declaration")
    assert "Essex has signed" in section.get_text(" ", strip=True)
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in section.select("#declaration-signing .govuk-summary-list__row")
    }
    assert rows["Date signed"] == "4 July 2018"
    assert rows["Senior officer"] == "Sam Patel, Chief Executive"
    assert rows["Political lead"] == "Councillor Jo Evans, Leader of the Council"
    assert rows["Statement"] == "We are in."


def test_a_council_that_has_not_signed_says_so(client, register):
    page = soup(client.get(register["kent"].get_absolute_url()))

    status = page.select_one("#declaration-status").get_text(" ", strip=True)
    assert status.startswith("Not signed The Hub has no record that Kent has signed")


def test_a_withdrawn_signing_stays_in_the_council_pages_history(client, register):
    Signing.objects.filter(organisation=register["essex"]).update(
        status=Signing.Status.WITHDRAWN, withdrawn_on=dt.date(2021, 5, 2)
    )

    page = soup(client.get(register["essex"].get_absolute_url()))

    assert "Not signed" in page.select_one("#declaration-status").get_text()
    history = page.select_one("#declaration-history").get_text(" ", strip=True)
    assert history == "Signed 4 July 2018; withdrew on 2 May 2021"


def test_a_successor_council_page_shows_whether_its_predecessors_signed(client, db):
    cumberland = OrganisationFactory(code="CMB", short_name="Cumberland", name="Cumberland Council")
    allerdale = OrganisationFactory(
        code="ALL", short_name="Allerdale", name="Allerdale Borough Council", is_current=False
    )
    copeland = OrganisationFactory(
        code="COP", short_name="Copeland", name="Copeland Borough Council", is_current=False
    )
    allerdale.successors.add(cumberland)
    copeland.successors.add(cumberland)
    SigningFactory(
        organisation=allerdale, signed_on=dt.date(2019, 9, 1), signed_on_precision="month"
    )
    SigningFactory(organisation=copeland, signed_on=None, signed_on_precision="unknown")
    OrganisationFactory(code="EDN", short_name="Eden", is_current=False).successors.add(cumberland)

    page = soup(client.get(cumberland.get_absolute_url()))

    items = [li.get_text(" ", strip=True) for li in page.select("#declaration-predecessors li")]
    assert items == [
        "Allerdale Borough Council , a predecessor, signed in September 2019.",
        "Copeland Borough Council , a predecessor, signed (date not known).",
    ]
    assert "The Hub has no record that Cumberland has signed" in page.get_text(" ")


def test_the_council_page_shows_commitments_with_their_partners(client, register):
    commitment = CommitmentFactory(organisation=register["essex"], title="Open waste booking")
    CommitmentPartnerFactory(commitment=commitment, organisation=register["adur"])
    CommitmentPartnerFactory(
        commitment=commitment,
        organisation=register["kent"],
        status=CommitmentPartner.Status.CONFIRMED,
    )
    CommitmentPartnerFactory(
        commitment=commitment,
        organisation=register["hackney"],
        status=CommitmentPartner.Status.DECLINED,
    )

    page = soup(client.get(register["essex"].get_absolute_url()))
    adur_page = soup(client.get(register["kent"].get_absolute_url()))

    block = page.select_one(".ldh-commitment").get_text(" ", strip=True)
    assert "Open waste booking" in block
    assert "Adur (awaiting confirmation)" in block
    assert "Kent" in block
    assert "Hackney" not in block
    assert "Open waste booking" in adur_page.select_one("#declaration-partner-in").get_text()


def test_the_council_page_section_makes_a_fixed_number_of_queries(client, register):
    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(register["essex"].get_absolute_url()).status_code == 200
        return len(captured)

    first = CommitmentFactory(organisation=register["essex"], title="Work")
    CommitmentPartnerFactory(commitment=first, organisation=register["kent"])
    before = page_queries()
    for number in range(4):
        commitment = CommitmentFactory(organisation=register["essex"], title=f"Work {number}")
        CommitmentPartnerFactory(commitment=commitment, organisation=OrganisationFactory())
    SigningFactory(
        organisation=register["essex"],
        status=Signing.Status.WITHDRAWN,
        withdrawn_on=dt.date(2017, 1, 1),
        signed_on=dt.date(2016, 1, 1),
    )
    assert page_queries() == before
    assert Commitment.objects.count() == 5
