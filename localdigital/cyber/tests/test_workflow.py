"""The assessment workflow services: every transition by every role, wrong states, two-factor
for approval, outcome-by-outcome assurance and the audit events."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, OutcomeAnswer
from localdigital.cyber.services import workflow
from localdigital.frameworks.models import Node

Status = Assessment.Status
ROLES = [
    "lead",
    "contributor",
    "approver",
    "plain_member",
    "other_lead",
    "assurer",
    "other_assurer",
    "staff",
    "no_council",
]


def make_answers(assessment, *, status=OutcomeAnswer.Status.COMPLETED):
    """One answer per outcome of objectives A and D (those not answered yet), each with its
    lowest level."""
    nodes = (
        Node.objects.filter(framework=assessment.cycle.framework, type="outcome", assessable=True)
        .filter(code__regex=r"^[AD]")
        .exclude(pk__in=assessment.answers.values("node_id"))
    )
    answers = []
    for node in nodes.prefetch_related("levels"):
        answers.append(
            OutcomeAnswer(
                assessment=assessment,
                node=node,
                status=status,
                level=min(node.levels.all(), key=lambda lv: lv.rank or 0),
                justification=f"Why {node.code}",
            )
        )
    return OutcomeAnswer.objects.bulk_create(answers)


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


def set_status(assessment, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment


def run(name, actor, assessment, **kwargs):
    return workflow.assessment_transition(actor=actor, assessment=assessment, name=name, **kwargs)


# Who may run each transition, from the status it starts from.
ALLOWED = {
    "submit_for_review": (Status.DRAFT, {"lead"}),
    "return_to_draft": (Status.INTERNAL_REVIEW, {"lead", "approver"}),
    "approve": (Status.INTERNAL_REVIEW, {"approver"}),
    "submit": (Status.APPROVED, {"lead"}),
    "start_assurance": (Status.SUBMITTED, {"assurer"}),
    "complete_assurance": (Status.UNDER_ASSURANCE, {"assurer"}),
}
TARGET = {
    "submit_for_review": Status.INTERNAL_REVIEW,
    "return_to_draft": Status.DRAFT,
    "approve": Status.APPROVED,
    "submit": Status.SUBMITTED,
    "start_assurance": Status.UNDER_ASSURANCE,
    "complete_assurance": Status.ASSURED,
}


@pytest.mark.parametrize("name", list(ALLOWED))
def test_each_transition_is_allowed_only_to_its_roles(name, people, assessment, answers):
    start, allowed = ALLOWED[name]
    OutcomeAnswer.objects.filter(assessment=assessment).update(assurer_agrees=True)
    for role in ROLES:
        set_status(assessment, start)
        if role in allowed:
            continue
        with pytest.raises(ApplicationError):
            run(name, people[role], assessment, reason="Not yet", verified=True)
        assessment.refresh_from_db()
        assert assessment.status == start, role
    for role in allowed:
        set_status(assessment, start)
        run(name, people[role], assessment, reason="Needs more evidence", verified=True)
        assessment.refresh_from_db()
        assert assessment.status == TARGET[name], role
        event = AuditEvent.objects.filter(action=f"cyber.{name}").latest("pk")
        assert event.data["from"] == start
        assert event.data["to"] == TARGET[name]
        assert event.object_id == str(assessment.pk)
        assert event.actor == people[role]


@pytest.mark.parametrize("name", list(ALLOWED))
def test_each_transition_is_refused_from_every_other_status(name, people, assessment, answers):
    start, allowed = ALLOWED[name]
    actor = people[sorted(allowed)[0]]
    OutcomeAnswer.objects.filter(assessment=assessment).update(assurer_agrees=True)
    for status in Status.values:
        if status in workflow.TRANSITIONS[name].from_statuses:
            continue
        set_status(assessment, status)
        with pytest.raises(ApplicationError, match="You cannot"):
            run(name, actor, assessment, reason="Because", verified=True)
        assessment.refresh_from_db()
        assert assessment.status == status
    assert not AuditEvent.objects.filter(action=f"cyber.{name}").exists()


def test_full_journey_records_who_and_when(people, assessment, answers):
    workflow.submit_for_review(actor=people["lead"], assessment=assessment)
    workflow.approve(actor=people["approver"], assessment=assessment, verified=True)
    assessment.refresh_from_db()
    assert assessment.approved_by == people["approver"]
    assert assessment.approved_at is not None
    workflow.submit(actor=people["lead"], assessment=assessment)
    workflow.start_assurance(actor=people["assurer"], assessment=assessment)
    for answer in answers:
        answer.assessment = assessment
        workflow.assure_outcome(actor=people["assurer"], answer=answer, agrees=True, comment="")
    workflow.complete_assurance(actor=people["assurer"], assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.ASSURED
    assert assessment.submitted_at is not None
    assert assessment.assured_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(assessment.pk), action__startswith="cyber.")
        .order_by("pk")
        .values_list("action", flat=True)
        .distinct()
    )
    assert actions[:4] == [
        "cyber.submit_for_review",
        "cyber.approve",
        "cyber.submit",
        "cyber.start_assurance",
    ]
    assert actions[-1] == "cyber.complete_assurance"


def test_submit_for_review_names_how_many_outcomes_are_not_completed(people, assessment, answers):
    OutcomeAnswer.objects.filter(pk__in=[a.pk for a in answers[:3]]).update(
        status=OutcomeAnswer.Status.IN_PROGRESS
    )
    with pytest.raises(ApplicationError, match="3 outcomes are not completed"):
        workflow.submit_for_review(actor=people["lead"], assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_submit_for_review_counts_outcomes_with_no_answer_at_all(people, assessment, answers):
    OutcomeAnswer.objects.filter(pk=answers[0].pk).delete()
    with pytest.raises(ApplicationError, match="1 outcome is not completed"):
        workflow.submit_for_review(actor=people["lead"], assessment=assessment)


def test_unverified_approver_is_refused(people, assessment, answers):
    set_status(assessment, Status.INTERNAL_REVIEW)
    with pytest.raises(ApplicationError, match=workflow.NOT_VERIFIED):
        workflow.approve(actor=people["approver"], assessment=assessment, verified=False)
    assessment.refresh_from_db()
    assert assessment.status == Status.INTERNAL_REVIEW
    assert assessment.approved_by is None


def test_return_to_draft_needs_a_reason_and_withdraws_approval(people, assessment, answers):
    set_status(assessment, Status.INTERNAL_REVIEW)
    workflow.approve(actor=people["approver"], assessment=assessment, verified=True)
    with pytest.raises(ApplicationError, match=workflow.REASON_REQUIRED):
        workflow.return_to_draft(actor=people["lead"], assessment=assessment, reason="  ")
    workflow.return_to_draft(
        actor=people["lead"], assessment=assessment, reason="The board asked for changes"
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    assert assessment.approved_by is None
    event = AuditEvent.objects.get(action="cyber.return_to_draft")
    assert event.data["reason"] == "The board asked for changes"
    assert event.data["from"] == Status.APPROVED


def test_assurer_disagreement_needs_a_comment(people, assessment, answers):
    set_status(assessment, Status.UNDER_ASSURANCE)
    answer = answers[0]
    with pytest.raises(ApplicationError, match=workflow.COMMENT_REQUIRED):
        workflow.assure_outcome(actor=people["assurer"], answer=answer, agrees=False, comment="")
    workflow.assure_outcome(
        actor=people["assurer"], answer=answer, agrees=False, comment="No evidence of testing"
    )
    answer.refresh_from_db()
    assert answer.assurer_agrees is False
    assert answer.assurer_comment == "No evidence of testing"
    assert answer.assurer_reviewed_at is not None
    event = AuditEvent.objects.get(action="cyber.assure_outcome")
    assert event.data["agrees"] is False


@pytest.mark.parametrize("role", ["lead", "approver", "other_assurer", "staff", "other_lead"])
def test_only_the_cycles_assurer_may_review_an_outcome(role, people, assessment, answers):
    set_status(assessment, Status.UNDER_ASSURANCE)
    with pytest.raises(ApplicationError, match=workflow.NOT_ASSURER):
        workflow.assure_outcome(actor=people[role], answer=answers[0], agrees=True, comment="")
    answers[0].refresh_from_db()
    assert answers[0].assurer_agrees is None


def test_outcomes_cannot_be_reviewed_before_assurance_starts(people, assessment, answers):
    set_status(assessment, Status.SUBMITTED)
    with pytest.raises(ApplicationError, match="You cannot review outcomes"):
        workflow.assure_outcome(actor=people["assurer"], answer=answers[0], agrees=True)


def test_complete_assurance_needs_every_outcome_reviewed(people, assessment, answers):
    set_status(assessment, Status.UNDER_ASSURANCE)
    OutcomeAnswer.objects.filter(pk__in=[a.pk for a in answers[1:]]).update(assurer_agrees=True)
    with pytest.raises(ApplicationError, match="1 outcome is not reviewed"):
        workflow.complete_assurance(actor=people["assurer"], assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.UNDER_ASSURANCE


def test_an_answer_from_another_assessment_is_refused(people, assessment, answers, other_cycle):
    other = Assessment.objects.create(cycle=other_cycle, kind=Assessment.Kind.ORGANISATION)
    other_answer = make_answers(other)[0]
    set_status(assessment, Status.UNDER_ASSURANCE)
    other_answer.assessment = assessment  # as if someone passed the wrong pair
    with pytest.raises(ApplicationError, match=workflow.ANSWER_NOT_IN_ASSESSMENT):
        workflow.assure_outcome(actor=people["assurer"], answer=other_answer, agrees=True)


def test_unknown_transition_is_refused(people, assessment):
    with pytest.raises(ApplicationError, match="Choose one of the buttons"):
        run("delete", people["lead"], assessment)


def test_buttons_offered_match_the_rules(people, assessment):
    from localdigital.cyber.access import cyber_roles

    def names(role):
        user = people[role]
        roles = cyber_roles(user, assessment.cycle.organisation)
        return [t.name for t in workflow.available_transitions(user, assessment, roles)]

    assert names("lead") == ["submit_for_review"]
    assert names("approver") == []
    set_status(assessment, Status.INTERNAL_REVIEW)
    assert names("approver") == ["approve", "return_to_draft"]
    assert names("lead") == ["return_to_draft"]
    assert names("contributor") == []
    set_status(assessment, Status.SUBMITTED)
    assert names("assurer") == ["start_assurance"]
    assert names("other_assurer") == []
    assert names("staff") == []


def test_transitions_reread_the_assessment_under_a_row_lock(people, assessment, answers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stale = Assessment.objects.get(pk=assessment.pk)
    with CaptureQueriesContext(connection) as queries:
        workflow.submit_for_review(actor=people["lead"], assessment=assessment)
    if connection.features.has_select_for_update:
        sql = [q["sql"] for q in queries.captured_queries if "cyber_assessment" in q["sql"]]
        assert "FOR UPDATE" in sql[0]
    # A second press with the page's stale copy is refused, not applied twice.
    assert stale.status == Status.DRAFT
    with pytest.raises(ApplicationError, match="You cannot send for review"):
        workflow.submit_for_review(actor=people["lead"], assessment=stale)
    assert AuditEvent.objects.filter(action="cyber.submit_for_review").count() == 1
