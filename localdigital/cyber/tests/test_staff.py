"""Programme staff's pages: sector progress and assigning a cycle's assurer."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, Cycle
from localdigital.cyber.selectors.progress import progress_counts, sector_progress
from localdigital.cyber.services.assurers import SAME_COUNCIL, cycle_assign_assurer
from localdigital.frameworks.models import Framework
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership, Organisation
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

Status = Assessment.Status
YEAR = 2026


@pytest.fixture
def framework(db):
    """A bare framework row: the progress page needs cycles, not the CAF's structure."""
    from django.utils import timezone

    return Framework.objects.create(
        framework_id="caf",
        version="9.9",
        name="Test CAF",
        kind=Framework.Kind.ASSESSMENT,
        source_url="https://example.org/caf",
        licence="OGL",
        namespace="caf-9.9",
        loaded_at=timezone.now(),
    )


def council_with(framework, statuses, **kwargs):
    """A council whose 2026 cycle has assessments in these statuses (None: no cycle)."""
    council = OrganisationFactory(**kwargs)
    if statuses is None:
        return council
    cycle = Cycle.objects.create(organisation=council, year=YEAR, framework=framework)
    for i, status in enumerate(statuses):
        Assessment.objects.create(
            cycle=cycle,
            kind=Assessment.Kind.ORGANISATION if i == 0 else Assessment.Kind.SYSTEM,
            system_name=f"System {i}" if i else "",
            status=status,
        )
    return council


@pytest.fixture
def sector(framework):
    Organisation.objects.all().delete()
    return {
        "none": council_with(framework, None, region="London", la_type_name="London borough"),
        "empty": council_with(framework, [], region="London", la_type_name="London borough"),
        "draft": council_with(
            framework, [Status.SUBMITTED, Status.DRAFT], region="North West", la_type_name="County"
        ),
        "submitted": council_with(
            framework, [Status.ASSURED, Status.UNDER_ASSURANCE], region="North West"
        ),
        "assured": council_with(
            framework, [Status.ASSURED, Status.ASSURED], region="London", la_type_name="County"
        ),
        "last_year": council_with(framework, None, region="London"),
        "not_a_council": council_with(framework, [Status.ASSURED], kind=Organisation.Kind.SUPPLIER),
    }


def test_progress_states_and_counts(sector, framework):
    Cycle.objects.create(organisation=sector["last_year"], year=YEAR - 1, framework=framework)
    states = {c.pk: c.progress_state for c in sector_progress(year=YEAR)}
    assert states == {
        sector["none"].pk: "not_started",
        sector["empty"].pk: "not_started",
        sector["draft"].pk: "in_progress",
        sector["submitted"].pk: "submitted",
        sector["assured"].pk: "assured",
        sector["last_year"].pk: "not_started",
    }
    assert progress_counts(sector_progress(year=YEAR)) == {
        "not_started": 3,
        "in_progress": 1,
        "submitted": 1,
        "assured": 1,
    }
    assert progress_counts(sector_progress(year=YEAR, region="North West")) == {
        "not_started": 0,
        "in_progress": 1,
        "submitted": 1,
        "assured": 0,
    }
    county = sector_progress(year=YEAR, la_type="County")
    assert {c.pk for c in county} == {sector["draft"].pk, sector["assured"].pk}
    assured = sector_progress(year=YEAR, state="assured")
    assert [c.pk for c in assured] == [sector["assured"].pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("lead", 404),
        ("approver", 404),
        ("assurer", 404),
        ("plain_member", 404),
        ("no_council", 404),
    ],
)
def test_progress_page_is_for_programme_staff_only(role, status, people, verified_client):
    response = verified_client(people[role]).get(reverse("cyber:progress"))
    assert response.status_code == status


def test_progress_page_needs_sign_in(client, db):
    response = client.get(reverse("cyber:progress"))
    assert response.status_code == 302


def test_progress_page_shows_counts_and_filters(sector, verified_client):
    staff = UserFactory(is_programme_staff=True)
    client = verified_client(staff)
    response = client.get(reverse("cyber:progress"), {"year": YEAR})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    counts = {
        row.select("td, th")[0].get_text(strip=True): row.select("td, th")[1].get_text(strip=True)
        for row in soup.select("main table")[0].select("tbody tr")
    }
    assert counts == {
        "Not started": "3",
        "In progress": "1",
        "Submitted": "1",
        "Assured": "1",
        "All councils": "6",
    }
    response = client.get(
        reverse("cyber:progress"), {"year": YEAR, "region": "London", "state": "assured"}
    )
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select("main table")[1].select("tbody tr")
    assert [r.select("td, th")[0].get_text(strip=True) for r in rows] == [
        sector["assured"].name + ": assign the assurer"
    ]
    cycle = Cycle.objects.get(organisation=sector["assured"], year=YEAR)
    assert rows[0].select_one("a")["href"] == reverse("cyber:assign_assurer", args=[cycle.pk])
    response = client.get(reverse("cyber:progress"), {"year": "1066"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_progress_page_queries_do_not_grow_with_councils(framework, verified_client):
    staff = UserFactory(is_programme_staff=True)
    client = verified_client(staff)
    url = reverse("cyber:progress")
    for _ in range(2):
        council_with(framework, [Status.DRAFT])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"year": YEAR}).status_code == 200
    for i in range(60):
        council_with(framework, [Status.ASSURED] if i % 2 else [], region=f"Region {i % 5}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"year": YEAR})
    assert len(many) == len(few)
    assert "govuk-pagination" in response.content.decode()


# Assigning the assurer.


def test_staff_assign_an_assurer_who_is_notified(people, cycle, assessment, verified_client):
    new_assurer = people["other_assurer"]
    client = verified_client(people["staff"])
    url = reverse("cyber:assign_assurer", args=[cycle.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": new_assurer.email.upper()})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.assurer == new_assurer
    assert cycle.assurer_assigned_by == people["staff"]
    notification = Notification.objects.get(recipient=new_assurer)
    assert notification.kind == "cyber.assurer_assigned"
    assert notification.url == reverse("cyber:workflow", args=[assessment.pk])
    event = AuditEvent.objects.get(action="cyber.assign_assurer")
    assert event.data["assurer"] == new_assurer.email
    assert event.data["previous_assurer"] == people["assurer"].email


def test_assurers_email_is_sent_after_commit(
    people, cycle, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        cycle_assign_assurer(actor=people["staff"], cycle=cycle, assurer=people["other_assurer"])
    assert Notification.objects.filter(recipient=people["other_assurer"]).exists()


@pytest.mark.parametrize("status", [Membership.Status.ACTIVE, Membership.Status.PENDING])
def test_an_assurer_from_the_same_council_is_refused(status, people, cycle, council):
    insider = MembershipFactory(organisation=council, status=status).user
    with pytest.raises(ApplicationError, match="choose an assurer from outside the council"):
        cycle_assign_assurer(actor=people["staff"], cycle=cycle, assurer=insider)
    cycle.refresh_from_db()
    assert cycle.assurer == people["assurer"]
    assert not Notification.objects.filter(recipient=insider).exists()
    assert not AuditEvent.objects.filter(action="cyber.assign_assurer").exists()


def test_same_council_refusal_shows_on_the_page(people, cycle, verified_client):
    client = verified_client(people["staff"])
    response = client.post(
        reverse("cyber:assign_assurer", args=[cycle.pk]), {"email": people["lead"].email}
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert SAME_COUNCIL.split("{")[0].strip() in summary or "outside the council" in summary
    response = client.post(
        reverse("cyber:assign_assurer", args=[cycle.pk]), {"email": "nobody@nowhere.gov.uk"}
    )
    assert response.status_code == 400
    assert "There is no account with that email address" in response.content.decode()


@pytest.mark.parametrize("role", ["lead", "approver", "assurer", "other_lead", "no_council"])
def test_only_staff_assign_assurers(role, people, cycle, verified_client):
    client = verified_client(people[role])
    url = reverse("cyber:assign_assurer", args=[cycle.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": people["other_assurer"].email}).status_code == 404
    with pytest.raises(ApplicationError, match="Only programme staff"):
        cycle_assign_assurer(actor=people[role], cycle=cycle, assurer=people["other_assurer"])
    cycle.refresh_from_db()
    assert cycle.assurer == people["assurer"]


def test_assigning_the_same_assurer_again_is_refused(people, cycle):
    with pytest.raises(ApplicationError, match="already the assurer"):
        cycle_assign_assurer(actor=people["staff"], cycle=cycle, assurer=people["assurer"])
