import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.accounts import services
from localdigital.accounts.tests.factories import UserFactory
from localdigital.accounts.tests.helpers import error_summary, h1, soup
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


def url(name: str, organisation, **kwargs) -> str:  # noqa: ANN001
    return reverse(f"organisations:members:{name}", kwargs={"code": organisation.code, **kwargs})


@pytest.fixture
def pending(council):
    return MembershipFactory(
        organisation=council, status=Membership.Status.PENDING, request_note="GIS team"
    )


@pytest.fixture
def admin_client(verified_client, org_admin):
    return verified_client(org_admin)


def test_members_page_lists_pending_requests_with_buttons_and_members_with_roles(
    admin_client, council, org_admin, member, pending
):
    response = admin_client.get(url("list", council))
    assert response.status_code == 200
    page = soup(response)
    tables = page.select("table.govuk-table")
    pending_row = [td.text.strip() for td in tables[0].select("tbody tr td")]
    assert pending_row[0] == pending.user.full_name
    assert pending_row[2] == "GIS team"
    buttons = [b.text.strip() for b in tables[0].select("button")]
    assert buttons == [
        f"Approve {pending.user.full_name}",
        f"Decline {pending.user.full_name}",
    ]
    names = [tr.select("td")[0].text.strip() for tr in tables[1].select("tbody tr")]
    assert set(names) == {org_admin.full_name, member.full_name}


def test_members_page_makes_the_same_number_of_queries_however_many_members(
    admin_client, council, django_assert_max_num_queries
):
    MembershipFactory.create_batch(3, organisation=council)
    MembershipFactory.create_batch(2, organisation=council, status=Membership.Status.PENDING)
    admin_client.get(url("list", council))
    with django_assert_max_num_queries(20) as few:
        admin_client.get(url("list", council))
    baseline = len(few.captured_queries)
    MembershipFactory.create_batch(10, organisation=council)
    MembershipFactory.create_batch(5, organisation=council, status=Membership.Status.PENDING)
    with CaptureQueriesContext(connection) as more:
        admin_client.get(url("list", council))
    assert len(more.captured_queries) == baseline


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_admin", 404),
        ("org_admin", 200),
        ("programme_staff", 200),
    ],
)
def test_only_the_organisations_admins_and_programme_staff_see_its_members(
    request, client, verified_client, council, persona, status
):
    if persona != "anonymous":
        person = request.getfixturevalue(persona)
        client = verified_client(person)
    response = client.get(url("list", council))
    assert response.status_code == status


def test_an_admin_approves_a_request_and_the_requester_is_told(admin_client, council, pending):
    response = admin_client.post(url("approve", council, pk=pending.pk), follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE
    assert Notification.objects.filter(recipient=pending.user, kind="membership.approved").exists()
    banner = soup(response).select_one(".govuk-notification-banner--success")
    assert f"{pending.user.full_name} is now a member" in banner.text


def test_an_admin_declines_a_request_and_the_requester_is_told(admin_client, council, pending):
    admin_client.post(url("decline", council, pk=pending.pk))
    pending.refresh_from_db()
    assert pending.status == Membership.Status.DECLINED
    assert Notification.objects.filter(recipient=pending.user, kind="membership.declined").exists()


def test_approving_by_get_is_not_allowed(admin_client, council, pending):
    assert admin_client.get(url("approve", council, pk=pending.pk)).status_code == 405


def test_another_councils_admin_cannot_approve_even_with_the_right_id(
    verified_client, other_admin, council, pending
):
    client = verified_client(other_admin)
    assert client.post(url("approve", council, pk=pending.pk)).status_code == 404
    assert (
        client.post(
            url("approve", other_admin.memberships.get().organisation, pk=pending.pk)
        ).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_an_admin_makes_a_member_an_admin(admin_client, council, member):
    membership = member.memberships.get()
    page = admin_client.get(url("role", council, pk=membership.pk))
    assert h1(page) == f"Change {member.full_name}'s role"
    response = admin_client.post(url("role", council, pk=membership.pk), {"role": "admin"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_the_last_admin_cannot_be_demoted_and_the_error_is_linked(admin_client, council, org_admin):
    membership = org_admin.memberships.get()
    response = admin_client.post(url("role", council, pk=membership.pk), {"role": "member"})
    assert error_summary(response) == {services.LAST_ADMIN: "#id_role"}
    assert soup(response).select_one("input#id_role[type=radio]") is not None
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_the_last_admin_cannot_be_removed(admin_client, council, org_admin):
    membership = org_admin.memberships.get()
    response = admin_client.post(url("remove", council, pk=membership.pk))
    assert response.status_code == 200
    assert list(error_summary(response)) == [services.LAST_ADMIN]
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_an_admin_removes_a_member_after_confirming(admin_client, council, member):
    membership = member.memberships.get()
    page = admin_client.get(url("remove", council, pk=membership.pk))
    assert h1(page) == f"Remove {member.full_name} from Hackney"
    admin_client.post(url("remove", council, pk=membership.pk))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REMOVED


def test_people_page_is_for_programme_staff_only(client, verified_client, member, programme_staff):
    people = reverse("accounts:people")
    client.force_login(member)
    assert client.get(people).status_code == 404
    staff = verified_client(programme_staff)
    response = staff.get(people, {"q": "steward"})
    assert response.status_code == 200
    rows = soup(response).select("table.govuk-table tbody tr")
    assert [r.select("td")[1].text.strip() for r in rows] == [programme_staff.email]


def test_programme_staff_grant_and_remove_the_assessor_role(verified_client, programme_staff):
    person = UserFactory()
    staff = verified_client(programme_staff)
    page = reverse("accounts:person", kwargs={"pk": person.pk})
    assert staff.post(page, {"roles": ["assessor"]}).status_code == 302
    person.refresh_from_db()
    assert person.is_assessor
    assert not person.is_programme_staff
    staff.post(page, {})
    person.refresh_from_db()
    assert not person.is_assessor


def test_programme_staff_cannot_remove_their_own_staff_role(verified_client, programme_staff):
    staff = verified_client(programme_staff)
    page = reverse("accounts:person", kwargs={"pk": programme_staff.pk})
    response = staff.post(page, {"roles": []})
    assert error_summary(response) == {services.OWN_STAFF_ROLE: "#id_roles"}
    assert soup(response).select_one("input#id_roles[type=checkbox]") is not None
    programme_staff.refresh_from_db()
    assert programme_staff.is_programme_staff
