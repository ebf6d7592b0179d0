import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.declaration import reminders
from localdigital.declaration.models import Commitment
from localdigital.declaration.tests.factories import CommitmentFactory, SigningFactory
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

PROGRAMME = reverse("declaration:programme")
REMIND = reverse("declaration:programme_reminders")
LONG_AGO = dt.date(2020, 3, 31)


@pytest.fixture
def overdue(council, org_admin):
    """A commitment of `council` whose progress report was due long ago."""
    return CommitmentFactory(
        organisation=council, title="Shared bookings", year=2019, progress_due_on=LONG_AGO
    )


@pytest.mark.parametrize("who", ["member", "org_admin", "other_admin"])
def test_only_programme_staff_see_the_programme_view(request, verified_client, council, who):
    client = verified_client(request.getfixturevalue(who))

    assert client.get(PROGRAMME).status_code == 404
    assert client.post(REMIND).status_code == 404


def test_anonymous_people_get_not_found(client, db):
    assert client.get(PROGRAMME).status_code == 404
    assert client.post(REMIND).status_code == 404


def test_programme_staff_see_coverage_by_region_and_type(verified_client, programme_staff):
    SigningFactory(organisation=OrganisationFactory(region="London", la_type_name="London borough"))
    OrganisationFactory(region="London", la_type_name="London borough")
    OrganisationFactory(region="North West", la_type_name="Metropolitan district")

    response = verified_client(programme_staff).get(PROGRAMME)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#coverage").get_text(" ", strip=True) == (
        "1 of 3 current councils (33%) have signed."
    )
    regions = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("#coverage-by-region tbody tr")
    }
    assert regions == {"London": ["2", "1", "50%"], "North West": ["1", "0", "0%"]}
    types = [row.th.get_text(strip=True) for row in page.select("#coverage-by-type tbody tr")]
    assert types == ["London borough", "Metropolitan district"]


def test_programme_staff_see_commitments_by_principle(verified_client, programme_staff, principles):
    first = CommitmentFactory()
    first.principles.set(principles[:2])
    CommitmentFactory().principles.set(principles[:1])

    page = BeautifulSoup(verified_client(programme_staff).get(PROGRAMME).content, "html.parser")

    counts = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page.select("#commitments-by-principle tbody tr")
    ]
    assert counts[0] == [principles[0].title, "2"]
    assert counts[1] == [principles[1].title, "1"]
    assert counts[2] == [principles[2].title, "0"]


def test_programme_staff_see_overdue_commitments_and_who_was_reminded(
    verified_client, programme_staff, overdue
):
    CommitmentFactory(progress_due_on=LONG_AGO, progress=Commitment.Progress.DONE)

    page = BeautifulSoup(verified_client(programme_staff).get(PROGRAMME).content, "html.parser")

    rows = page.select("#overdue tbody tr")
    assert len(rows) == 1
    cells = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert cells == ["Shared bookings (2019)", "Hackney", "31 March 2020", "Not reminded"]
    assert page.select_one(f"form[action='{REMIND}'] button").get_text(strip=True) == (
        "Send reminders"
    )


def test_the_programme_view_makes_a_fixed_number_of_queries(
    verified_client, programme_staff, overdue, django_assert_num_queries
):
    client = verified_client(programme_staff)
    client.get(PROGRAMME)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(PROGRAMME)
    for _ in range(5):
        CommitmentFactory(organisation=OrganisationFactory(), progress_due_on=LONG_AGO)
        SigningFactory()
    with django_assert_num_queries(len(first)):
        client.get(PROGRAMME)


# Sending reminders


def test_sending_reminders_notifies_each_admin_of_the_organisation(
    verified_client, programme_staff, council, org_admin, overdue
):
    second_admin = MembershipFactory(organisation=council, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=council, role=Membership.Role.MEMBER)
    MembershipFactory(
        organisation=council, role=Membership.Role.ADMIN, status=Membership.Status.PENDING
    )

    response = verified_client(programme_staff).post(REMIND, follow=True)

    assert response.redirect_chain == [(PROGRAMME, 302)]
    notifications = Notification.objects.filter(kind=reminders.REMINDER_KIND)
    assert {n.recipient for n in notifications} == {org_admin, second_admin}
    notification = notifications.first()
    assert notification.title == "Report progress on ‘Shared bookings’"
    assert "31 March 2020" in notification.body
    assert notification.organisation == council
    overdue.refresh_from_db()
    assert overdue.last_reminder_sent_at is not None
    assert "Reminders sent for 1 commitment to 2 people." in response.content.decode()


def test_sending_reminders_is_audited(verified_client, programme_staff, overdue):
    verified_client(programme_staff).post(REMIND)

    event = AuditEvent.objects.get(action="declaration.commitment.remind")
    assert event.actor == programme_staff
    assert event.organisation == overdue.organisation
    assert event.object_id == str(overdue.pk)
    assert event.data == {"recipients": 1, "progress_due_on": "2020-03-31"}


def test_reminders_are_not_sent_again_within_14_days(programme_staff, overdue):
    now = timezone.now()
    reminders.commitment_reminders_send(actor=programme_staff, now=now)

    again = reminders.commitment_reminders_send(
        actor=programme_staff, now=now + dt.timedelta(days=13, hours=23)
    )

    assert again.reminded == []
    assert Notification.objects.filter(kind=reminders.REMINDER_KIND).count() == 1


def test_reminders_are_sent_again_after_14_days(programme_staff, overdue):
    now = timezone.now()
    reminders.commitment_reminders_send(actor=programme_staff, now=now)

    again = reminders.commitment_reminders_send(
        actor=programme_staff, now=now + dt.timedelta(days=14)
    )

    assert again.reminded == [overdue]
    assert Notification.objects.filter(kind=reminders.REMINDER_KIND).count() == 2


def test_a_second_click_within_14_days_sends_nothing(verified_client, programme_staff, overdue):
    client = verified_client(programme_staff)
    client.post(REMIND)

    response = client.post(REMIND, follow=True)

    assert Notification.objects.filter(kind=reminders.REMINDER_KIND).count() == 1
    assert "No reminders were sent." in response.content.decode()


def test_commitments_reported_or_not_yet_due_are_not_reminded(programme_staff, council, org_admin):
    CommitmentFactory(organisation=council, progress_due_on=LONG_AGO, progress="partly_done")
    CommitmentFactory(organisation=council, progress_due_on=timezone.localdate())

    result = reminders.commitment_reminders_send(actor=programme_staff)

    assert result.reminded == []
    assert not Notification.objects.exists()


def test_an_organisation_without_admins_is_left_to_be_reminded_later(programme_staff, db):
    lonely = CommitmentFactory(progress_due_on=LONG_AGO)
    unverified = UserFactory(email_verified_at=None)
    MembershipFactory(organisation=lonely.organisation, user=unverified, role="admin")

    result = reminders.commitment_reminders_send(actor=programme_staff)

    assert result.without_admins == [lonely]
    lonely.refresh_from_db()
    assert lonely.last_reminder_sent_at is None


def test_only_programme_staff_or_the_scheduler_can_send_reminders(org_admin, overdue):
    with pytest.raises(ApplicationError, match=reminders.ONLY_STAFF):
        reminders.commitment_reminders_send(actor=org_admin)

    assert len(reminders.commitment_reminders_send(actor=None).reminded) == 1


def test_the_scheduled_command_sends_due_reminders_once(overdue):
    out = io.StringIO()
    call_command("send_declaration_reminders", stdout=out)
    call_command("send_declaration_reminders", stdout=out)

    assert "Reminded 1 commitments (1 notifications)." in out.getvalue()
    assert "Reminded 0 commitments" in out.getvalue()
    assert Notification.objects.filter(kind=reminders.REMINDER_KIND).count() == 1


def test_the_command_can_list_what_it_would_send_without_sending(overdue):
    out = io.StringIO()
    call_command("send_declaration_reminders", "--dry-run", stdout=out)

    assert "HCK: Shared bookings (due 2020-03-31)" in out.getvalue()
    assert not Notification.objects.exists()


def test_the_background_task_sends_reminders(overdue):
    assert reminders.send_progress_reminders.call() == 1


def test_programme_staff_find_the_programme_view_from_the_declaration_pages(
    verified_client, programme_staff, org_admin
):
    def links(client):
        page = BeautifulSoup(client.get(reverse("declaration:about")).content, "html.parser")
        return [a["href"] for a in page.select("nav[aria-label='Declaration pages'] a")]

    assert PROGRAMME in links(verified_client(programme_staff))
    assert PROGRAMME not in links(verified_client(org_admin))
