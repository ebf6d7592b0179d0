"""The workflow panel and the assurer's page: who sees them, the buttons, errors and queries."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Assessment, OutcomeAnswer
from localdigital.cyber.tests.test_workflow import make_answers, set_status

Status = Assessment.Status


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def buttons(response):
    return [b.get_text(strip=True) for b in page(response).select("main form button")]


def error_text(response):
    summary = page(response).select_one(".govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lead", 200),
        ("contributor", 200),
        ("approver", 200),
        ("assurer", 200),
        ("staff", 200),
        ("plain_member", 404),
        ("other_lead", 404),
        ("other_assurer", 404),
        ("no_council", 404),
    ],
)
def test_workflow_page_is_seen_only_by_the_assessments_people(
    role, status, people, assessment, verified_client
):
    client = verified_client(people[role])
    response = client.get(reverse("cyber:workflow", args=[assessment.pk]))
    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, assessment):
    response = client.get(reverse("cyber:workflow", args=[assessment.pk]))
    assert response.status_code == 302
    assert "sign-in" in response.url or "login" in response.url


def test_status_is_a_govuk_tag_and_each_person_sees_their_buttons(
    people, assessment, verified_client
):
    url = reverse("cyber:workflow", args=[assessment.pk])
    response = verified_client(people["lead"]).get(url)
    assert page(response).select_one(".govuk-summary-list .govuk-tag").get_text(strip=True) == (
        "Draft"
    )
    assert buttons(response) == ["Send for internal review"]
    assert buttons(verified_client(people["contributor"]).get(url)) == []
    set_status(assessment, Status.INTERNAL_REVIEW)
    assert buttons(verified_client(people["approver"]).get(url)) == [
        "Approve",
        "Return to draft",
    ]
    set_status(assessment, Status.SUBMITTED)
    assert buttons(verified_client(people["assurer"]).get(url)) == ["Start assurance"]
    assert buttons(verified_client(people["staff"]).get(url)) == []


def test_sending_an_incomplete_assessment_for_review_shows_how_many_are_missing(
    people, assessment, answers, verified_client
):
    OutcomeAnswer.objects.filter(pk=answers[0].pk).update(status=OutcomeAnswer.Status.IN_PROGRESS)
    client = verified_client(people["lead"])
    response = client.post(
        reverse("cyber:transition", args=[assessment.pk]), {"transition": "submit_for_review"}
    )
    assert response.status_code == 400
    assert "1 outcome is not completed" in error_text(response)
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_the_whole_journey_through_the_pages(people, assessment, answers, verified_client):
    url = reverse("cyber:transition", args=[assessment.pk])
    workflow_url = reverse("cyber:workflow", args=[assessment.pk])
    response = verified_client(people["lead"]).post(url, {"transition": "submit_for_review"})
    assert response.status_code == 302
    assert response.url == workflow_url
    response = verified_client(people["approver"]).post(url, {"transition": "return_to_draft"})
    assert response.status_code == 400
    assert "Enter why the assessment is going back to draft" in error_text(response)
    response = verified_client(people["approver"]).post(url, {"transition": "approve"})
    assert response.status_code == 302
    verified_client(people["lead"]).post(url, {"transition": "submit"})
    verified_client(people["assurer"]).post(url, {"transition": "start_assurance"})
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE
    assert assessment.approved_by == people["approver"]

    client = verified_client(people["assurer"])
    for answer in answers:
        code = answer.node.code.replace(".", "-")
        response = client.post(
            reverse("cyber:assure_outcome", args=[assessment.pk, answer.node.code]),
            {f"{code}-agrees": "yes"},
        )
        assert response.status_code == 302
    response = client.post(url, {"transition": "complete_assurance"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.ASSURED

    response = verified_client(people["lead"]).get(workflow_url)
    history = page(response).select("main table tbody tr")
    assert len(history) == 5  # review, approve, submit, start assurance, complete
    assert "Internal review to Approved" in response.content.decode()


def test_approval_needs_a_two_factor_session(people, assessment, client):
    """The sign-in middleware stops a password-only session; the service refuses it too
    (tested in test_workflow)."""
    set_status(assessment, Status.INTERNAL_REVIEW)
    client.force_login(people["approver"])
    response = client.post(
        reverse("cyber:transition", args=[assessment.pk]), {"transition": "approve"}
    )
    assert response.status_code == 302
    assert "two-factor" in response.url or "two_factor" in response.url
    assessment.refresh_from_db()
    assert assessment.status == Status.INTERNAL_REVIEW


def test_a_button_someone_may_not_use_is_refused(people, assessment, answers, verified_client):
    response = verified_client(people["contributor"]).post(
        reverse("cyber:transition", args=[assessment.pk]), {"transition": "submit_for_review"}
    )
    assert response.status_code == 400
    assert "Only the council’s CAF lead" in error_text(response)
    response = verified_client(people["other_lead"]).post(
        reverse("cyber:transition", args=[assessment.pk]), {"transition": "submit_for_review"}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="cyber.submit_for_review").exists()


@pytest.mark.parametrize("role", ["lead", "approver", "staff", "other_assurer", "plain_member"])
def test_only_the_assurer_sees_the_assurance_page(role, people, assessment, verified_client):
    set_status(assessment, Status.UNDER_ASSURANCE)
    response = verified_client(people[role]).get(reverse("cyber:assurance", args=[assessment.pk]))
    assert response.status_code == 404


def test_assurer_sees_every_outcome_and_must_explain_a_disagreement(
    people, assessment, answers, verified_client
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    client = verified_client(people["assurer"])
    response = client.get(reverse("cyber:assurance", args=[assessment.pk]))
    assert response.status_code == 200
    sections = page(response).select("main section")
    assert len(sections) == len(answers)
    assert "Why A1.a" in response.content.decode()
    read = AuditEvent.objects.get(action="cyber.read", actor=people["assurer"])
    assert read.object_id == str(assessment.pk)

    answer = answers[0]
    code = answer.node.code.replace(".", "-")
    post_url = reverse("cyber:assure_outcome", args=[assessment.pk, answer.node.code])
    response = client.post(post_url, {f"{code}-agrees": "no", f"{code}-comment": ""})
    assert response.status_code == 400
    assert "Enter a comment explaining why you disagree" in error_text(response)
    response = client.post(post_url, {f"{code}-comment": "Why?"})
    assert response.status_code == 400
    assert "Select whether you agree" in error_text(response)
    answer.refresh_from_db()
    assert answer.assurer_agrees is None

    response = client.post(
        post_url, {f"{code}-agrees": "no", f"{code}-comment": "No restore test since 2023"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.assurer_agrees is False
    assert answer.assurer_comment == "No restore test since 2023"


def test_assurance_page_queries_do_not_grow_with_outcomes(
    people, assessment, answers, verified_client
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    client = verified_client(people["assurer"])
    url = reverse("cyber:assurance", args=[assessment.pk])
    keep = answers[:2]
    OutcomeAnswer.objects.filter(assessment=assessment).exclude(
        pk__in=[a.pk for a in keep]
    ).delete()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_answers(assessment)  # every other outcome
    assert OutcomeAnswer.objects.filter(assessment=assessment).count() > 10
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_workflow_page_queries_do_not_grow_with_history(
    people, assessment, answers, verified_client
):
    client = verified_client(people["lead"])
    url = reverse("cyber:workflow", args=[assessment.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    transition = reverse("cyber:transition", args=[assessment.pk])
    for _ in range(3):
        client.post(transition, {"transition": "submit_for_review"})
        client.post(transition, {"transition": "return_to_draft", "reason": "Again"})
    client = verified_client(people["lead"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
