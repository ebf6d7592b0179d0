"""The assurer returns an assessment under assurance to the council, with a reason the council
sees."""

import pytest
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment
from localdigital.cyber.services import workflow
from localdigital.cyber.tests.pages import buttons, join_council, soup
from localdigital.cyber.tests.test_workflow import make_answers, set_status

Status = Assessment.Status


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


def test_the_assurer_returns_an_assessment_to_the_council_with_a_reason(
    people, assessment, answers
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    Assessment.objects.filter(pk=assessment.pk).update(approved_by=people["approver"])
    first = answers[0]
    workflow.assure_outcome(
        actor=people["assurer"], answer=first, agrees=False, comment="No restore test"
    )
    workflow.return_to_council(
        actor=people["assurer"], assessment=assessment, reason="  A1.a needs a restore test  "
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    assert assessment.returned_reason == "A1.a needs a restore test"
    assert (assessment.approved_by, assessment.approved_at, assessment.submitted_at) == (
        None,
        None,
        None,
    )
    first.refresh_from_db()
    assert (first.assurer_agrees, first.assurer_comment) == (False, "No restore test")
    event = AuditEvent.objects.get(action="cyber.return_to_draft")
    assert event.actor == people["assurer"]
    assert event.data == {
        "from": Status.UNDER_ASSURANCE,
        "to": Status.DRAFT,
        "reason": "A1.a needs a restore test",
        "by": "assurer",
    }
    # Sending it for review again clears the reason; the audit log keeps it.
    workflow.submit_for_review(actor=people["lead"], assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.returned_reason == ""


def test_returning_to_the_council_needs_a_reason(people, assessment, answers):
    set_status(assessment, Status.UNDER_ASSURANCE)
    with pytest.raises(ApplicationError, match=workflow.RETURN_REASON_REQUIRED) as raised:
        workflow.return_to_council(actor=people["assurer"], assessment=assessment, reason="  ")
    assert raised.value.field == "reason"
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE


@pytest.mark.parametrize(
    "name", ["lead", "contributor", "approver", "other_assurer", "staff", "no_council"]
)
def test_only_the_cycles_assurer_may_return_an_assessment_to_the_council(
    people, assessment, answers, name
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    with pytest.raises(ApplicationError, match=workflow.NOT_ASSURER):
        workflow.return_to_council(actor=people[name], assessment=assessment, reason="Because")
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.UNDER_ASSURANCE])
def test_an_assessment_returns_to_the_council_only_from_under_assurance(
    people, assessment, answers, status
):
    set_status(assessment, status)
    with pytest.raises(ApplicationError, match="You cannot return to the council"):
        workflow.return_to_council(actor=people["assurer"], assessment=assessment, reason="No")
    assessment.refresh_from_db()
    assert assessment.status == status
    assert not AuditEvent.objects.filter(action="cyber.return_to_draft").exists()


def test_an_assurer_who_joined_the_council_cannot_return_it(people, council, assessment):
    set_status(assessment, Status.UNDER_ASSURANCE)
    join_council(people["assurer"], council)
    with pytest.raises(ApplicationError, match=workflow.NOT_ASSURER):
        workflow.return_to_council(actor=people["assurer"], assessment=assessment, reason="No")


def test_the_assurer_returns_it_on_the_workflow_page_and_the_council_sees_why(
    people, assessment, answers, verified_client
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    client = verified_client(people["assurer"])
    url = reverse("cyber:workflow", args=[assessment.pk])
    response = client.get(url)
    assert buttons(response) == ["Complete assurance", "Return to the council"]
    label = soup(response).select_one("label[for=id_reason]").get_text(strip=True)
    assert label == "Why are you returning it to the council?"

    transition = reverse("cyber:transition", args=[assessment.pk])
    response = client.post(transition, {"transition": "return_to_council", "reason": ""})
    assert response.status_code == 400
    summary = soup(response).select_one(".govuk-error-summary")
    assert workflow.RETURN_REASON_REQUIRED in summary.get_text(" ", strip=True)
    assert summary.select_one("a")["href"] == "#id_reason"
    assert soup(response).select_one("#id_reason-error")
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE

    response = client.post(
        transition, {"transition": "return_to_council", "reason": "B5.c: no restore test"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT

    lead = verified_client(people["lead"])
    expected = "Returned by the assurer: B5.c: no restore test"
    for page_url in (url, reverse("cyber:task_list", args=[assessment.pk])):
        inset = [
            p.get_text(strip=True) for p in soup(lead.get(page_url)).select(".govuk-inset-text")
        ]
        assert expected in inset, page_url
    history = soup(lead.get(url)).select_one("main table").get_text(" ", strip=True)
    assert "Under assurance to Draft" in history
    assert "B5.c: no restore test" in history
