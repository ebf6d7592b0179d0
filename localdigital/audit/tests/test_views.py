import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup

from localdigital.audit.models import AuditEvent
from localdigital.audit.tests.factories import make_event
from localdigital.audit.views import PAGE_SIZE

LIST_URL = "/audit/"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def staff_client(verified_client, programme_staff):
    return verified_client(programme_staff)


@pytest.mark.parametrize("who", ["anonymous", "member", "org_admin", "other_admin"])
def test_only_programme_staff_can_see_the_audit_pages(who, client, verified_client, request, db):
    event = make_event()
    if who != "anonymous":
        client = verified_client(request.getfixturevalue(who))
    for url in (LIST_URL, f"/audit/{event.pk}/", "/audit/export.csv"):
        assert client.get(url).status_code == 404, url


def test_staff_see_events_newest_first_in_a_govuk_table(staff_client, council):
    make_event(
        action="membership.approve",
        summary="Approved Ada",
        organisation=council,
        when=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
    )
    make_event(action="organisation.create", summary="Created Testshire")
    response = staff_client.get(LIST_URL)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("h1").text.strip() == "Audit log"
    rows = soup.select("table.govuk-table tbody tr")
    assert [row.select("td")[4].text.strip() for row in rows] == [
        "Created Testshire",
        "Approved Ada",
    ]
    assert rows[1].select("td")[3].text.strip() == "HCK"
    assert rows[1].select_one("td a")["href"].startswith("/audit/")


def test_the_list_makes_the_same_number_of_queries_for_1_or_60_events(
    staff_client, council, member, django_assert_num_queries
):
    make_event(actor=member, organisation=council)
    staff_client.get(LIST_URL)  # warm the session and caches
    # Session, person, second-factor device, savepoint, count, page of events, release, and the
    # unread-notifications count in the navigation.
    with django_assert_num_queries(8) as one:
        staff_client.get(LIST_URL)
    for _ in range(59):
        make_event(actor=member, organisation=council)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(LIST_URL)
    assert len(soup_of(response).select("table.govuk-table tbody tr")) == PAGE_SIZE


def test_filters_narrow_the_list_and_keep_their_values(staff_client, council, other_council):
    make_event(action="membership.approve", organisation=council, summary="Ours")
    make_event(action="membership.approve", organisation=other_council, summary="Theirs")
    response = staff_client.get(LIST_URL, {"action": "membership", "organisation_code": "HCK"})
    soup = soup_of(response)
    summaries = [row.select("td")[4].text.strip() for row in soup.select("tbody tr")]
    assert summaries == ["Ours"]
    assert soup.select_one("#id_organisation_code")["value"] == "HCK"
    assert soup.select_one("#results-heading").text.strip() == "1 event"


def test_an_impossible_date_shows_the_govuk_error_summary(staff_client):
    make_event()
    response = staff_client.get(
        LIST_URL, {"date_from-day": "31", "date_from-month": "2", "date_from-year": "2026"}
    )
    soup = soup_of(response)
    assert soup.title.text.startswith("Error: ")
    link = soup.select_one(".govuk-error-summary a")
    assert link.text.strip() == "From date must be a real date"
    assert link["href"] == "#id_date_from-day"
    assert soup.select_one("#id_date_from-day") is not None
    assert soup.select_one("#id_date_from .govuk-input--error, .govuk-input--error") is not None


def test_a_date_missing_its_month_says_so(staff_client):
    response = staff_client.get(LIST_URL, {"date_to-day": "3", "date_to-year": "2026"})
    summary = soup_of(response).select_one(".govuk-error-summary")
    assert "To date must include a month" in summary.text


def test_a_to_date_before_the_from_date_is_an_error(staff_client):
    response = staff_client.get(
        LIST_URL,
        {
            "date_from-day": "5",
            "date_from-month": "4",
            "date_from-year": "2026",
            "date_to-day": "4",
            "date_to-month": "4",
            "date_to-year": "2026",
        },
    )
    summary = soup_of(response).select_one(".govuk-error-summary")
    assert "To date must be the same as or after the from date" in summary.text


def test_pagination_links_keep_the_filters(staff_client):
    for _ in range(PAGE_SIZE + 1):
        make_event(action="membership.approve")
    response = staff_client.get(LIST_URL, {"action": "membership"})
    soup = soup_of(response)
    next_link = soup.select_one(".govuk-pagination__next a")
    assert next_link["href"] == "?action=membership&page=2"
    second = soup_of(staff_client.get(LIST_URL + next_link["href"]))
    assert len(second.select("tbody tr")) == 1
    current = second.select_one(".govuk-pagination__item--current a")
    assert current.text.strip() == "2"


def test_an_event_page_shows_the_event_and_its_data_as_summary_lists(staff_client, council):
    event = make_event(
        action="membership.change_role",
        summary="Made Ada an organisation admin",
        organisation=council,
        data={"from": "member", "to": "admin", "count": 2},
    )
    response = staff_client.get(f"/audit/{event.pk}/")
    soup = soup_of(response)
    assert soup.select_one("h1").text.strip() == "Made Ada an organisation admin"
    lists = soup.select("dl.govuk-summary-list")
    assert len(lists) == 2
    facts = {
        row.select_one("dt").text.strip(): row.select_one("dd").text.strip()
        for row in lists[0].select(".govuk-summary-list__row")
    }
    assert facts["Action"] == "membership.change_role"
    assert "HCK" in facts["Organisation"]
    data = {
        row.select_one("dt").text.strip(): row.select_one("dd").text.strip()
        for row in lists[1].select(".govuk-summary-list__row")
    }
    assert data == {"count": "2", "from": "member", "to": "admin"}


def test_an_unknown_event_is_404_for_staff(staff_client):
    assert staff_client.get("/audit/999999/").status_code == 404


def test_the_csv_export_has_the_filtered_events_and_is_itself_audited(
    staff_client, council, programme_staff
):
    make_event(action="membership.approve", organisation=council, summary="=HYPERLINK(1)")
    make_event(action="organisation.create", summary="Not wanted")
    response = staff_client.get("/audit/export.csv", {"action": "membership"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["action"] for row in rows] == ["membership.approve"]
    assert rows[0]["organisation_code"] == "HCK"
    # A spreadsheet must not run it as a formula.
    assert rows[0]["summary"] == "'=HYPERLINK(1)"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == programme_staff
