"""The assessment workflow: draft -> internal review -> approved -> submitted -> under assurance
-> assured. The approver or the lead can return an assessment in review to draft; the assurer
can return one under assurance to the council.

Each transition locks the assessment row (select_for_update), checks who is acting and the
current status, changes the status and writes one audit event `cyber.<verb>` with the status
before and after. The caller fetches the assessment through an access helper; these services
check the person's role again because they are the single place the rules live.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.access import cyber_roles, is_cycle_assurer
from localdigital.cyber.models import Assessment, CyberRole, OutcomeAnswer
from localdigital.cyber.selectors.outcomes import outcome_nodes

Status = Assessment.Status

NOT_LEAD = "Only the council’s CAF lead can do this"
NOT_APPROVER = "Only the council’s internal approver can approve an assessment"
NOT_LEAD_OR_APPROVER = "Only the CAF lead or the internal approver can return an assessment"
NOT_ASSURER = "Only the independent assurer assigned to this cycle can do this"
LEAD_CANNOT_APPROVE = (
    "The CAF lead cannot approve the assessment they lead. Ask the council’s approver."
)
NOT_VERIFIED = "Sign in with your two-factor authentication code before you approve an assessment"
REASON_REQUIRED = "Enter why the assessment is going back to draft"
RETURN_REASON_REQUIRED = "Enter why you are returning the assessment to the council"
COMMENT_REQUIRED = "Enter a comment explaining why you disagree with the council’s judgement"
AGREES_REQUIRED = "Select whether you agree with the council’s judgement"
WRONG_STATUS = "You cannot {action} an assessment that is {status}"
OUTCOMES_NOT_COMPLETED = (
    "{count} {outcomes} not completed yet: complete every outcome before you send the "
    "assessment for review"
)
OUTCOMES_NOT_REVIEWED = (
    "{count} {outcomes} not reviewed yet: agree or disagree with every outcome before you "
    "complete assurance"
)
ANSWER_NOT_IN_ASSESSMENT = "That outcome is not part of this assessment"


def _plural(count: int) -> str:
    return "outcome is" if count == 1 else "outcomes are"


def _lock(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so two people cannot move it at once."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("cycle__organisation")
        .get(pk=assessment.pk)
    )


def _require_status(assessment: Assessment, allowed: tuple[str, ...], action: str) -> None:
    if assessment.status not in allowed:
        raise ApplicationError(
            WRONG_STATUS.format(action=action, status=assessment.get_status_display().lower()),
            field="transition",
        )


def _require_role(actor: Any, assessment: Assessment, roles: set[str], message: str) -> None:
    if not (cyber_roles(actor, assessment.cycle.organisation) & roles):
        raise ApplicationError(message, field="transition")


def _require_assurer(actor: Any, assessment: Assessment) -> None:
    if not is_cycle_assurer(actor, assessment.cycle):
        raise ApplicationError(NOT_ASSURER, field="transition")


def _move(
    actor: Any,
    assessment: Assessment,
    verb: str,
    to: str,
    *,
    fields: tuple[str, ...] = (),
    data: dict | None = None,
) -> Assessment:
    before = assessment.status
    assessment.status = to
    assessment.save(update_fields=["status", "updated_at", *fields])
    event_log(
        actor=actor,
        action=f"cyber.{verb}",
        summary=f"{assessment}: {Status(before).label} to {Status(to).label}",
        obj=assessment,
        organisation=assessment.cycle.organisation,
        data={"from": before, "to": to, **(data or {})},
    )
    return assessment


@transaction.atomic
def assessment_submit_for_review(*, actor: Any, assessment: Assessment) -> Assessment:
    """The CAF lead sends a draft for internal review once every outcome is completed."""
    assessment = _lock(assessment)
    _require_role(actor, assessment, {CyberRole.Role.LEAD}, NOT_LEAD)
    _require_status(assessment, (Status.DRAFT,), "send for review")
    completed = OutcomeAnswer.objects.filter(
        assessment=assessment, status=OutcomeAnswer.Status.COMPLETED
    ).values("node_id")
    missing = (
        outcome_nodes(assessment.cycle.framework, assessment.kind).exclude(pk__in=completed).count()
    )
    if missing:
        raise ApplicationError(
            OUTCOMES_NOT_COMPLETED.format(count=missing, outcomes=_plural(missing)),
            field="transition",
        )
    # The assurer's reason for returning it is answered by sending it round again; the audit
    # log keeps it.
    assessment.returned_reason = ""
    return _move(
        actor,
        assessment,
        "submit_for_review",
        Status.INTERNAL_REVIEW,
        fields=("returned_reason",),
    )


@transaction.atomic
def assessment_return_to_draft(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """The approver or the CAF lead sends an assessment in review (or approved, not yet
    submitted) back to draft, saying why. Any approval is withdrawn."""
    assessment = _lock(assessment)
    _require_role(
        actor,
        assessment,
        {CyberRole.Role.LEAD, CyberRole.Role.APPROVER},
        NOT_LEAD_OR_APPROVER,
    )
    _require_status(assessment, (Status.INTERNAL_REVIEW, Status.APPROVED), "return to draft")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REASON_REQUIRED, field="reason")
    assessment.approved_by = None
    assessment.approved_at = None
    return _move(
        actor,
        assessment,
        "return_to_draft",
        Status.DRAFT,
        fields=("approved_by", "approved_at"),
        data={"reason": reason[:1000]},
    )


@transaction.atomic
def assessment_approve(*, actor: Any, assessment: Assessment, verified: bool) -> Assessment:
    """The internal approver approves an assessment in review, unless they are also the
    council's CAF lead. `verified` is whether their session was signed in with two-factor
    (`request.user.is_verified()`)."""
    assessment = _lock(assessment)
    _require_role(actor, assessment, {CyberRole.Role.APPROVER}, NOT_APPROVER)
    # The internal approval must be independent of the person who led the assessment.
    if CyberRole.Role.LEAD in cyber_roles(actor, assessment.cycle.organisation):
        raise ApplicationError(LEAD_CANNOT_APPROVE, field="transition")
    if not verified:
        raise ApplicationError(NOT_VERIFIED, field="transition")
    _require_status(assessment, (Status.INTERNAL_REVIEW,), "approve")
    assessment.approved_by = actor
    assessment.approved_at = timezone.now()
    return _move(
        actor, assessment, "approve", Status.APPROVED, fields=("approved_by", "approved_at")
    )


@transaction.atomic
def assessment_submit(*, actor: Any, assessment: Assessment) -> Assessment:
    """The CAF lead submits an approved assessment for independent assurance."""
    assessment = _lock(assessment)
    _require_role(actor, assessment, {CyberRole.Role.LEAD}, NOT_LEAD)
    _require_status(assessment, (Status.APPROVED,), "submit")
    assessment.submitted_at = timezone.now()
    return _move(actor, assessment, "submit", Status.SUBMITTED, fields=("submitted_at",))


@transaction.atomic
def assessment_start_assurance(*, actor: Any, assessment: Assessment) -> Assessment:
    """The cycle's assurer starts reviewing a submitted assessment."""
    assessment = _lock(assessment)
    _require_assurer(actor, assessment)
    _require_status(assessment, (Status.SUBMITTED,), "start assuring")
    return _move(actor, assessment, "start_assurance", Status.UNDER_ASSURANCE)


@transaction.atomic
def assessment_assure_outcome(
    *, actor: Any, answer: OutcomeAnswer, agrees: bool | None, comment: str = ""
) -> OutcomeAnswer:
    """The assurer agrees or disagrees with the council's judgement of one outcome; a
    disagreement needs a comment. They may change their view until assurance is complete."""
    assessment = _lock(answer.assessment)
    _require_assurer(actor, assessment)
    _require_status(assessment, (Status.UNDER_ASSURANCE,), "review outcomes of")
    if agrees is None:
        raise ApplicationError(AGREES_REQUIRED, field="agrees")
    comment = (comment or "").strip()
    if not agrees and not comment:
        raise ApplicationError(COMMENT_REQUIRED, field="comment")
    locked = (
        OutcomeAnswer.objects.select_for_update(of=("self",))
        .select_related("node")
        .filter(pk=answer.pk, assessment=assessment)
        .first()
    )
    if locked is None:
        raise ApplicationError(ANSWER_NOT_IN_ASSESSMENT)
    locked.assurer_agrees = agrees
    locked.assurer_comment = comment
    locked.assurer_reviewed_at = timezone.now()
    locked.save(
        update_fields=["assurer_agrees", "assurer_comment", "assurer_reviewed_at", "updated_at"]
    )
    code = locked.node.code or locked.node.node_id
    event_log(
        actor=actor,
        action="cyber.assure_outcome",
        summary=f"{assessment}: {'agreed' if agrees else 'disagreed'} with {code}",
        obj=assessment,
        organisation=assessment.cycle.organisation,
        data={"outcome": locked.node.node_id, "agrees": agrees, "comment": comment[:1000]},
    )
    locked.assessment = assessment
    return locked


@transaction.atomic
def assessment_return_to_council(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """The assurer sends an assessment under assurance back to the council as a draft, saying
    why (for example, outcomes they disagree with). The reason is kept on the assessment for the
    council to see until they send it for review again; the approval is withdrawn, so it goes
    through internal review again. The assurer's comments on each outcome are kept."""
    assessment = _lock(assessment)
    _require_assurer(actor, assessment)
    _require_status(assessment, (Status.UNDER_ASSURANCE,), "return to the council")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(RETURN_REASON_REQUIRED, field="reason")
    reason = reason[:1000]
    assessment.returned_reason = reason
    assessment.approved_by = None
    assessment.approved_at = None
    assessment.submitted_at = None
    # Recorded as a return to draft, so it appears in the assessment's history with its reason.
    return _move(
        actor,
        assessment,
        "return_to_draft",
        Status.DRAFT,
        fields=("returned_reason", "approved_by", "approved_at", "submitted_at"),
        data={"reason": reason, "by": "assurer"},
    )


@transaction.atomic
def assessment_complete_assurance(*, actor: Any, assessment: Assessment) -> Assessment:
    """The assurer completes assurance once they have reviewed every outcome."""
    assessment = _lock(assessment)
    _require_assurer(actor, assessment)
    _require_status(assessment, (Status.UNDER_ASSURANCE,), "complete assurance of")
    missing = OutcomeAnswer.objects.filter(
        assessment=assessment, assurer_agrees__isnull=True
    ).count()
    if missing:
        raise ApplicationError(
            OUTCOMES_NOT_REVIEWED.format(count=missing, outcomes=_plural(missing)),
            field="transition",
        )
    assessment.assured_at = timezone.now()
    return _move(actor, assessment, "complete_assurance", Status.ASSURED, fields=("assured_at",))


@dataclass(frozen=True)
class Transition:
    """A button on the workflow page: who may press it, and from which statuses."""

    name: str
    label: str
    from_statuses: tuple[str, ...]
    roles: frozenset[str]
    by_assurer: bool = False
    needs_reason: bool = False
    secondary: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit_for_review",
            "Send for internal review",
            (Status.DRAFT,),
            frozenset({CyberRole.Role.LEAD}),
        ),
        Transition(
            "approve", "Approve", (Status.INTERNAL_REVIEW,), frozenset({CyberRole.Role.APPROVER})
        ),
        Transition(
            "return_to_draft",
            "Return to draft",
            (Status.INTERNAL_REVIEW, Status.APPROVED),
            frozenset({CyberRole.Role.LEAD, CyberRole.Role.APPROVER}),
            needs_reason=True,
            secondary=True,
        ),
        Transition(
            "submit",
            "Submit for independent assurance",
            (Status.APPROVED,),
            frozenset({CyberRole.Role.LEAD}),
        ),
        Transition(
            "start_assurance",
            "Start assurance",
            (Status.SUBMITTED,),
            frozenset(),
            by_assurer=True,
        ),
        Transition(
            "complete_assurance",
            "Complete assurance",
            (Status.UNDER_ASSURANCE,),
            frozenset(),
            by_assurer=True,
        ),
        Transition(
            "return_to_council",
            "Return to the council",
            (Status.UNDER_ASSURANCE,),
            frozenset(),
            by_assurer=True,
            needs_reason=True,
            secondary=True,
        ),
    )
}


def available_transitions(user: Any, assessment: Assessment, roles: set[str]) -> list[Transition]:
    """The transitions the person may try on the assessment now (the service still checks)."""
    is_assurer = is_cycle_assurer(user, assessment.cycle)
    return [
        t
        for t in TRANSITIONS.values()
        if assessment.status in t.from_statuses
        and ((t.by_assurer and is_assurer) or (t.roles & roles))
        and not (t.name == "approve" and CyberRole.Role.LEAD in roles)
    ]


def assessment_transition(
    *, actor: Any, assessment: Assessment, name: str, reason: str = "", verified: bool = False
) -> Assessment:
    """Run the transition named `name` (the workflow page's buttons)."""
    runners: dict[str, Callable[[], Assessment]] = {
        "submit_for_review": lambda: assessment_submit_for_review(
            actor=actor, assessment=assessment
        ),
        "return_to_draft": lambda: assessment_return_to_draft(
            actor=actor, assessment=assessment, reason=reason
        ),
        "approve": lambda: assessment_approve(
            actor=actor, assessment=assessment, verified=verified
        ),
        "submit": lambda: assessment_submit(actor=actor, assessment=assessment),
        "start_assurance": lambda: assessment_start_assurance(actor=actor, assessment=assessment),
        "complete_assurance": lambda: assessment_complete_assurance(
            actor=actor, assessment=assessment
        ),
        "return_to_council": lambda: assessment_return_to_council(
            actor=actor, assessment=assessment, reason=reason
        ),
    }
    runner = runners.get(name)
    if runner is None:
        raise ApplicationError("Choose one of the buttons on the page", field="transition")
    return runner()


# The short names used in the brief.
submit_for_review = assessment_submit_for_review
return_to_draft = assessment_return_to_draft
approve = assessment_approve
submit = assessment_submit
start_assurance = assessment_start_assurance
assure_outcome = assessment_assure_outcome
complete_assurance = assessment_complete_assurance
return_to_council = assessment_return_to_council
