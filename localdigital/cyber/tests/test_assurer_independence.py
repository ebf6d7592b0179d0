"""The cycle's assurer stops being its assurer once they become an active member of the council."""

import pytest
from django.http import Http404
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.access import access_assessment_for_user, is_cycle_assurer
from localdigital.cyber.models import Assessment, CyberRole, OutcomeAnswer
from localdigital.cyber.services import workflow
from localdigital.cyber.tests.pages import buttons, join_council
from localdigital.cyber.tests.test_workflow import make_answers, set_status
from localdigital.organisations.models import Membership

Status = Assessment.Status


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


def test_an_assurer_who_joins_the_council_can_no_longer_read_or_assure(
    people, council, cycle, assessment, answers
):
    assurer = people["assurer"]
    set_status(assessment, Status.SUBMITTED)
    assert is_cycle_assurer(assurer, cycle)
    join_council(assurer, council)
    assert not is_cycle_assurer(assurer, cycle)
    for action in ("read", "assure"):
        with pytest.raises(Http404):
            access_assessment_for_user(assurer, assessment.pk, action=action)
    with pytest.raises(ApplicationError, match=workflow.NOT_ASSURER):
        workflow.start_assurance(actor=assurer, assessment=assessment)
    set_status(assessment, Status.UNDER_ASSURANCE)
    OutcomeAnswer.objects.filter(assessment=assessment).update(assurer_agrees=True)
    with pytest.raises(ApplicationError, match=workflow.NOT_ASSURER):
        workflow.complete_assurance(actor=assurer, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE
    roles = set()
    assert workflow.available_transitions(assurer, assessment, roles) == []


def test_an_assurer_who_joins_with_a_cyber_role_reads_as_that_role_but_cannot_assure(
    people, council, cycle, assessment, verified_client
):
    assurer = people["assurer"]
    join_council(assurer, council)
    CyberRole.objects.create(organisation=council, user=assurer, role=CyberRole.Role.CONTRIBUTOR)
    assert access_assessment_for_user(assurer, assessment.pk, action="read") == assessment
    # Read as one of the council's people: not an outside read.
    assert not AuditEvent.objects.filter(action="cyber.read").exists()
    with pytest.raises(Http404):
        access_assessment_for_user(assurer, assessment.pk, action="assure")
    set_status(assessment, Status.UNDER_ASSURANCE)
    client = verified_client(assurer)
    assert client.get(reverse("cyber:assurance", args=[assessment.pk])).status_code == 404
    assert buttons(client.get(reverse("cyber:workflow", args=[assessment.pk]))) == []


def test_an_assurer_with_a_pending_or_removed_membership_is_still_the_assurer(
    people, council, cycle, assessment
):
    membership = join_council(people["assurer"], council, status=Membership.Status.PENDING)
    assert is_cycle_assurer(people["assurer"], cycle)
    membership.status = Membership.Status.REMOVED
    membership.save(update_fields=["status"])
    assert access_assessment_for_user(people["assurer"], assessment.pk, action="assure")
