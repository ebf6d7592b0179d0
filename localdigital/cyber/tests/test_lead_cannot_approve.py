"""The CAF lead cannot approve the assessment they lead, even holding the approver role."""

import pytest
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, CyberRole
from localdigital.cyber.services import workflow
from localdigital.cyber.tests.pages import buttons, error_text, soup
from localdigital.cyber.tests.test_workflow import make_answers, set_status

Status = Assessment.Status


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


@pytest.fixture
def lead_and_approver(people, council):
    lead = people["lead"]
    CyberRole.objects.create(organisation=council, user=lead, role=CyberRole.Role.APPROVER)
    return lead


def test_the_caf_lead_cannot_approve_even_with_the_approver_role(
    lead_and_approver, assessment, answers
):
    workflow.submit_for_review(actor=lead_and_approver, assessment=assessment)
    with pytest.raises(ApplicationError) as raised:
        workflow.approve(actor=lead_and_approver, assessment=assessment, verified=True)
    assert raised.value.message == (
        "The CAF lead cannot approve the assessment they lead. Ask the council’s approver."
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.INTERNAL_REVIEW
    assert assessment.approved_by is None
    assert not AuditEvent.objects.filter(action="cyber.approve").exists()


def test_the_councils_approver_still_approves(people, lead_and_approver, assessment, answers):
    workflow.submit_for_review(actor=lead_and_approver, assessment=assessment)
    workflow.approve(actor=people["approver"], assessment=assessment, verified=True)
    assessment.refresh_from_db()
    assert assessment.status == Status.APPROVED
    assert assessment.approved_by == people["approver"]


def test_the_workflow_page_tells_a_lead_who_is_also_approver_why_they_cannot_approve(
    lead_and_approver, assessment, answers, verified_client
):
    set_status(assessment, Status.INTERNAL_REVIEW)
    client = verified_client(lead_and_approver)
    url = reverse("cyber:workflow", args=[assessment.pk])
    response = client.get(url)
    assert buttons(response) == ["Return to draft"]
    inset = [p.get_text(strip=True) for p in soup(response).select("main .govuk-inset-text")]
    assert workflow.LEAD_CANNOT_APPROVE in inset
    # Pressing Approve anyway (a stale page) is refused with the same message.
    response = client.post(
        reverse("cyber:transition", args=[assessment.pk]), {"transition": "approve"}
    )
    assert response.status_code == 400
    assert workflow.LEAD_CANNOT_APPROVE in error_text(response)
    assessment.refresh_from_db()
    assert assessment.status == Status.INTERNAL_REVIEW
