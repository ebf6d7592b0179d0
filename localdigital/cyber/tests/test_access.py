"""Who may see and do what with a council's CAF cycle: every role, including another council's
CAF lead and the assurer of a different council. Reads from outside the council are audited."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from localdigital.accounts.middleware import requires_two_factor
from localdigital.audit.models import AuditEvent
from localdigital.cyber.access import (
    access_assessment_for_user,
    access_cycle_for_user,
    cyber_roles,
)
from localdigital.organisations.models import Membership

ALLOWED = {
    "read": {"lead", "contributor", "approver", "assurer", "staff"},
    "answer": {"lead", "contributor"},
    "manage": {"lead"},
    "approve": {"approver"},
    "assure": {"assurer"},
}
EVERYONE = [
    "lead",
    "contributor",
    "approver",
    "plain_member",
    "other_lead",
    "assurer",
    "other_assurer",
    "staff",
    "no_council",
    "anonymous",
]


def person(people, name):
    return AnonymousUser() if name == "anonymous" else people[name]


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("name", EVERYONE)
def test_the_access_matrix(people, assessment, name, action):
    user = person(people, name)
    if name in ALLOWED[action]:
        assert access_assessment_for_user(user, assessment.pk, action=action) == assessment
        assert access_cycle_for_user(user, assessment.cycle_id, action=action) == assessment.cycle
    else:
        with pytest.raises(Http404):
            access_assessment_for_user(user, assessment.pk, action=action)
        with pytest.raises(Http404):
            access_cycle_for_user(user, assessment.cycle_id, action=action)


def test_a_missing_assessment_is_not_found_even_for_programme_staff(people, assessment):
    with pytest.raises(Http404):
        access_assessment_for_user(people["staff"], assessment.pk + 100)


@pytest.mark.parametrize("name", ["assurer", "staff"])
def test_reads_from_outside_the_council_are_audited(people, assessment, name):
    access_assessment_for_user(people[name], assessment.pk)
    event = AuditEvent.objects.get(action="cyber.read")
    assert event.actor == people[name]
    assert event.organisation == assessment.cycle.organisation
    assert event.object_id == str(assessment.pk)


@pytest.mark.parametrize("name", ["lead", "contributor", "approver"])
def test_reads_by_the_councils_own_cyber_people_are_not_logged_as_outside(people, assessment, name):
    access_assessment_for_user(people[name], assessment.pk)
    assert not AuditEvent.objects.filter(action="cyber.read").exists()


def test_a_role_lapses_with_the_membership(people, assessment, council):
    Membership.objects.filter(user=people["lead"], organisation=council).update(
        status=Membership.Status.REMOVED
    )
    assert cyber_roles(people["lead"], council) == set()
    with pytest.raises(Http404):
        access_assessment_for_user(people["lead"], assessment.pk)


@pytest.mark.parametrize("name", ["lead", "contributor", "approver", "assurer"])
def test_cyber_roles_and_assurers_must_use_two_factor(people, cycle, name):
    assert requires_two_factor(people[name])


def test_a_plain_member_need_not_use_two_factor(people, cycle):
    assert not requires_two_factor(people["plain_member"])
