"""Exhaustive tests of the access helpers: every persona against every helper, read and write.

Personas: anonymous, the person themself, a plain member of the same organisation, an admin of
the same organisation, an admin of another organisation, and programme staff.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from localdigital.accounts import services
from localdigital.accounts.tests.factories import UserFactory
from localdigital.core import access
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory

PERSONAS = ["anonymous", "themself", "colleague", "org_admin", "other_admin", "programme_staff"]


@pytest.fixture
def colleague(council):
    """Another plain member of the same council."""
    return MembershipFactory(organisation=council, role=Membership.Role.MEMBER).user


@pytest.fixture
def persona(request, member, colleague, org_admin, other_admin, programme_staff):
    def get(name: str):  # noqa: ANN202
        return {
            "anonymous": AnonymousUser(),
            "themself": member,
            "colleague": colleague,
            "org_admin": org_admin,
            "other_admin": other_admin,
            "programme_staff": programme_staff,
        }[name]

    return get


def allowed(call) -> bool:  # noqa: ANN001
    try:
        call()
    except Http404:
        return False
    return True


# Memberships: the person reads their own; the organisation's admins and programme staff read
# and write; nobody else learns that the membership exists.
MEMBERSHIP_READ = {
    "anonymous": False,
    "themself": True,
    "colleague": False,
    "org_admin": True,
    "other_admin": False,
    "programme_staff": True,
}
MEMBERSHIP_WRITE = {**MEMBERSHIP_READ, "themself": False}


@pytest.mark.parametrize("name", PERSONAS)
def test_reading_a_membership(persona, member, name):
    target = member.memberships.get()
    assert (
        allowed(lambda: access.access_membership_for_user(persona(name), target.pk))
        is (MEMBERSHIP_READ[name])
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_deciding_on_a_membership(persona, member, name):
    target = member.memberships.get()
    call = lambda: access.access_membership_for_user(persona(name), target.pk, write=True)  # noqa: E731
    assert allowed(call) is MEMBERSHIP_WRITE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_a_missing_membership_is_404_for_everyone(persona, name):
    assert not allowed(lambda: access.access_membership_for_user(persona(name), 999_999))
    assert not allowed(
        lambda: access.access_membership_for_user(persona(name), 999_999, write=True)
    )


ORGANISATION_WRITE = {
    "anonymous": False,
    "themself": False,
    "colleague": False,
    "org_admin": True,
    "other_admin": False,
    "programme_staff": True,
}


@pytest.mark.parametrize("name", PERSONAS)
def test_reading_an_organisation_is_public(persona, council, name):
    assert access.access_organisation_for_user(persona(name), council.code) == council


@pytest.mark.parametrize("name", PERSONAS)
def test_writing_to_an_organisation(persona, council, name):
    call = lambda: access.access_organisation_for_user(persona(name), council.code, write=True)  # noqa: E731
    assert allowed(call) is ORGANISATION_WRITE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_managing_an_organisations_members(persona, council, name):
    call = lambda: access.access_members_for_user(persona(name), council.code)  # noqa: E731
    assert allowed(call) is ORGANISATION_WRITE[name]
    assert access.can_manage_members(persona(name), council) is ORGANISATION_WRITE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_a_missing_organisation_is_404_for_everyone(persona, name):
    assert not allowed(lambda: access.access_organisation_for_user(persona(name), "NOPE"))
    assert not allowed(lambda: access.access_members_for_user(persona(name), "NOPE"))


@pytest.mark.parametrize("name", ["org_admin", "programme_staff"])
def test_a_membership_is_only_reachable_through_its_own_organisation(
    persona, council, other_council, member, name
):
    target = member.memberships.get()
    assert access.access_organisation_membership_for_user(persona(name), council, target.pk)
    with pytest.raises(Http404):
        access.access_organisation_membership_for_user(persona(name), other_council, target.pk)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_programme_staff_reach_a_persons_account(persona, member, name):
    call = lambda: access.access_person_for_staff(persona(name), member.pk)  # noqa: E731
    assert allowed(call) is (name == "programme_staff")


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_owner_reaches_an_api_token(persona, member, name):
    token, _ = services.api_token_create(actor=member, name="Script")
    call = lambda: access.access_api_token_for_user(persona(name), token.pk)  # noqa: E731
    assert allowed(call) is (name == "themself")


@pytest.mark.parametrize(
    ("status", "is_member"),
    [
        (Membership.Status.ACTIVE, True),
        (Membership.Status.PENDING, False),
        (Membership.Status.DECLINED, False),
        (Membership.Status.REMOVED, False),
    ],
)
def test_only_an_active_membership_counts(council, status, is_member):
    person = MembershipFactory(organisation=council, status=status, role="admin").user
    assert access.is_member(person, council) is is_member
    assert access.is_org_admin(person, council) is is_member


def test_an_unverified_person_cannot_act_for_their_organisation(council):
    person = MembershipFactory(
        organisation=council, role="admin", user=UserFactory(email_verified_at=None)
    ).user
    assert not access.can_act_for_organisations(person)
    assert access.active_membership(person, council) is None
    assert not access.can_manage_members(person, council)
    with pytest.raises(Http404):
        access.access_members_for_user(person, council.code)


def test_an_unverified_person_still_reads_their_own_membership(council):
    membership = MembershipFactory(organisation=council, user=UserFactory(email_verified_at=None))
    assert access.access_membership_for_user(membership.user, membership.pk) == membership
