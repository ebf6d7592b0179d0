"""Who may see a council's register and its systems: every persona, reading and writing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from localdigital.estate.access import access_system_for_user, can_see_register
from localdigital.estate.models import System
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


@pytest.fixture
def system(council, functions, make_product):
    return System.objects.create(
        organisation=council, function=functions["waste"], product=make_product("Bartec")
    )


@pytest.fixture
def other_member(other_council):
    return MembershipFactory(organisation=other_council, role=Membership.Role.MEMBER).user


def test_a_member_sees_their_councils_register(member, council):
    assert can_see_register(member, council)


def test_an_admin_sees_their_councils_register(org_admin, council):
    assert can_see_register(org_admin, council)


def test_programme_staff_do_not_see_a_full_register(programme_staff, council):
    # They see what the rest of the sector sees: never costs, notes or plans.
    assert not can_see_register(programme_staff, council)


def test_another_councils_member_does_not_see_the_register(other_member, council):
    assert not can_see_register(other_member, council)


def test_an_anonymous_visitor_does_not_see_the_register(council):
    assert not can_see_register(AnonymousUser(), council)


def test_a_pending_member_does_not_see_the_register(council):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING).user
    assert not can_see_register(pending, council)


def test_an_unverified_member_does_not_see_the_register(council):
    user = MembershipFactory(organisation=council, user__email_verified_at=None).user
    assert not can_see_register(user, council)


@pytest.mark.parametrize("write", [False, True])
def test_a_member_reads_and_changes_their_councils_system(member, system, write):
    assert access_system_for_user(member, system.pk, write=write) == system


@pytest.mark.parametrize("write", [False, True])
def test_an_admin_reads_and_changes_their_councils_system(org_admin, system, write):
    assert access_system_for_user(org_admin, system.pk, write=write) == system


@pytest.mark.parametrize("write", [False, True])
def test_programme_staff_cannot_open_a_councils_system(programme_staff, system, write):
    with pytest.raises(Http404):
        access_system_for_user(programme_staff, system.pk, write=write)


@pytest.mark.parametrize("write", [False, True])
def test_another_councils_member_cannot_see_or_change_a_system(other_member, system, write):
    with pytest.raises(Http404):
        access_system_for_user(other_member, system.pk, write=write)


@pytest.mark.parametrize("write", [False, True])
def test_another_councils_admin_cannot_see_or_change_a_system(other_admin, system, write):
    with pytest.raises(Http404):
        access_system_for_user(other_admin, system.pk, write=write)


@pytest.mark.parametrize("write", [False, True])
def test_an_anonymous_visitor_cannot_see_or_change_a_system(system, write):
    with pytest.raises(Http404):
        access_system_for_user(AnonymousUser(), system.pk, write=write)


def test_a_missing_system_is_not_found_even_for_programme_staff(programme_staff, system):
    with pytest.raises(Http404):
        access_system_for_user(programme_staff, system.pk + 1000)
