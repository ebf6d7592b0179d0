import pytest
from django.urls import reverse

from localdigital.accounts import services
from localdigital.accounts.tests.factories import UserFactory
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory

ME = reverse("api:me")
MEMBERSHIPS = reverse("api:membership-list")


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _, raw = services.api_token_create(actor=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def action(pk: int, verb: str) -> str:
    return reverse(f"api:membership-{verb}", kwargs={"pk": pk})


def test_me_needs_authentication(client, db):
    assert client.get(ME).status_code in (401, 403)


def test_me_returns_the_person_their_memberships_and_global_roles(client, member, council):
    member.is_assessor = True
    member.save()
    response = client.get(ME, **bearer(member))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == member.email
    assert body["email_verified"] is True
    assert body["global_roles"] == ["assessor"]
    assert body["memberships"] == [
        {
            "id": member.memberships.get().pk,
            "organisation": {"code": "HCK", "short_name": "Hackney", "name": "Hackney Council"},
            "role": "member",
            "status": "active",
        }
    ]


def test_a_bad_token_is_refused(client, db):
    response = client.get(ME, HTTP_AUTHORIZATION="Bearer ldh_nope_nope")
    assert response.status_code == 401


def test_a_session_of_an_admin_without_two_factor_is_refused_but_their_token_works(
    client, verified_client, org_admin
):
    client.force_login(org_admin)
    assert client.get(ME).status_code == 403
    client.logout()
    assert client.get(ME, **bearer(org_admin)).status_code == 200
    assert verified_client(org_admin).get(ME).status_code == 200


def test_membership_list_shows_mine_and_those_of_organisations_i_administer(
    client, council, other_council, org_admin, member, other_admin
):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    admin_view = client.get(MEMBERSHIPS, **bearer(org_admin)).json()
    ids = {m["id"] for m in admin_view["results"]}
    assert ids == set(Membership.objects.filter(organisation=council).values_list("pk", flat=True))
    assert other_admin.memberships.get().pk not in ids
    member_view = client.get(MEMBERSHIPS, **bearer(member)).json()
    assert [m["id"] for m in member_view["results"]] == [member.memberships.get().pk]
    filtered = client.get(
        MEMBERSHIPS, {"organisation": "hck", "status": "pending"}, **bearer(org_admin)
    ).json()
    assert [m["id"] for m in filtered["results"]] == [pending.pk]


def test_membership_list_makes_a_constant_number_of_queries(
    client, council, org_admin, django_assert_num_queries
):
    headers = bearer(org_admin)
    MembershipFactory.create_batch(3, organisation=council)
    client.get(MEMBERSHIPS, **headers)  # records the token's first use
    # Savepoint, token, count, page, release savepoint.
    with django_assert_num_queries(5):
        client.get(MEMBERSHIPS, **headers)
    MembershipFactory.create_batch(12, organisation=council, status=Membership.Status.PENDING)
    with django_assert_num_queries(5):
        client.get(MEMBERSHIPS, **headers)


def test_posting_a_membership_asks_to_join_for_me(client, council, org_admin):
    person = UserFactory()
    response = client.post(MEMBERSHIPS, {"organisation": "HCK", "note": "Hello"}, **bearer(person))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["person"]["email"] == person.email
    again = client.post(MEMBERSHIPS, {"organisation": "HCK"}, **bearer(person))
    assert again.status_code == 400
    assert again.json() == {"detail": services.ALREADY_REQUESTED.format(organisation="Hackney")}


def test_posting_an_unknown_organisation_is_a_clear_400(client, member):
    response = client.post(MEMBERSHIPS, {"organisation": "NOPE"}, **bearer(member))
    assert response.status_code == 400
    assert response.json() == {"organisation": ["There is no current organisation with that code"]}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 404), ("other_admin", 404), ("org_admin", 200), ("programme_staff", 200)],
)
def test_only_managers_approve_through_the_api(request, client, council, persona, status):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    person = request.getfixturevalue(persona)
    response = client.post(action(pending.pk, "approve"), **bearer(person))
    assert response.status_code == status
    pending.refresh_from_db()
    expected = Membership.Status.ACTIVE if status == 200 else Membership.Status.PENDING
    assert pending.status == expected


def test_the_requester_cannot_approve_their_own_request(client, council):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    response = client.post(action(pending.pk, "approve"), **bearer(pending.user))
    assert response.status_code == 404


def test_decline_through_the_api_and_deciding_twice_is_a_400(client, council, org_admin):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    response = client.post(action(pending.pk, "decline"), **bearer(org_admin))
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    again = client.post(action(pending.pk, "approve"), **bearer(org_admin))
    assert again.status_code == 400
    assert again.json() == {"detail": services.NOT_PENDING}


def test_a_person_reads_their_own_membership_but_not_a_colleagues(client, member, org_admin):
    mine = member.memberships.get()
    theirs = org_admin.memberships.get()
    headers = bearer(member)
    detail = reverse("api:membership-detail", kwargs={"pk": mine.pk})
    assert client.get(detail, **headers).status_code == 200
    detail = reverse("api:membership-detail", kwargs={"pk": theirs.pk})
    assert client.get(detail, **headers).status_code == 404
