"""Access helpers for cyber health: a council's CAF cycles, assessments, answers, evidence and
plan.

An assessment is confidential. It is visible only to the council's active members who hold a
cyber role (CAF lead, contributor, internal approver), to the independent assurer assigned to
its cycle, and to programme staff. Every read by someone outside the council (the assurer,
programme staff) is written to the audit log. Anyone else gets 404, for "missing" and "not
yours" alike.

What each person may do:
- read: anyone above;
- answer: the CAF lead, and a contributor on the outcomes assigned to them (checked by the
  answering service), while the assessment is a draft;
- manage: the CAF lead (start cycles, add assessments, assign contributors, submit);
- approve: the internal approver;
- assure: the cycle's assurer, while they are not an active member of the council (an assurer
  who joins the council is no longer independent, and keeps only what their cyber roles there
  give them);
- staff: programme staff (assign assurers, see the sector).

Reads from outside the council, and everything the assurer fetches to assure, are audited.
"""

from typing import Any

from django.http import Http404

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids, is_programme_staff
from localdigital.cyber.models import (
    Assessment,
    CyberRole,
    Cycle,
    Evidence,
    OutcomeAnswer,
    PlanAction,
)
from localdigital.organisations.models import Membership, Organisation

ACTIONS = ("read", "answer", "manage", "approve", "assure")


def cyber_roles(user: Any, organisation: Organisation) -> set[str]:
    """The person's cyber roles at the council; none unless they are an active member."""
    if not (user and user.is_authenticated):
        return set()
    if organisation.pk not in active_organisation_ids(user):
        return set()
    return set(
        CyberRole.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )


def cyber_organisation_ids(user: Any) -> set[int]:
    """The councils where the person is an active member with a cyber role."""
    if not (user and user.is_authenticated):
        return set()
    return set(
        CyberRole.objects.filter(
            user=user, organisation_id__in=active_organisation_ids(user)
        ).values_list("organisation_id", flat=True)
    )


def is_cycle_assurer(user: Any, cycle: Cycle) -> bool:
    """Whether the person is the cycle's independent assurer: assigned to the cycle and not an
    active member of its council. Assignment refuses members, but someone may join later; they
    then stop being its assurer. One query, and only for the assigned person."""
    if not (user and user.is_authenticated):
        return False
    if cycle.assurer_id is None or cycle.assurer_id != user.pk:
        return False
    return not Membership.objects.filter(
        user_id=user.pk, organisation_id=cycle.organisation_id, status=Membership.Status.ACTIVE
    ).exists()


def _allowed(user: Any, cycle: Cycle, action: str) -> tuple[bool, bool]:
    """(allowed, outside): whether the person may do `action` on the cycle, and whether they
    are acting from outside the council (so what they fetch is audited)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action: {action}")
    if not (user and user.is_authenticated):
        return False, False
    roles = cyber_roles(user, cycle.organisation)
    if action == "read" and roles:
        return True, False
    is_assurer = is_cycle_assurer(user, cycle)
    staff = is_programme_staff(user)
    if action == "read":
        return (is_assurer or staff), True
    if action == "answer":
        return bool(roles & {CyberRole.Role.LEAD, CyberRole.Role.CONTRIBUTOR}), False
    if action == "manage":
        return CyberRole.Role.LEAD in roles, False
    if action == "approve":
        return CyberRole.Role.APPROVER in roles, False
    return is_assurer, True  # assure


def _audit_outside_read(user: Any, cycle: Cycle, obj: Any, what: str) -> None:
    event_log(
        actor=user,
        action="cyber.read",
        summary=f"Read {what} of {cycle.organisation} from outside the council",
        obj=obj,
        organisation=cycle.organisation,
    )


def access_cycle_for_user(user: Any, pk: int, *, action: str = "read") -> Cycle:
    """A council's CAF cycle, for the people allowed `action` on it."""
    cycle = (
        Cycle.objects.select_related("organisation", "framework", "profile", "assurer")
        .filter(pk=pk)
        .first()
    )
    if cycle is None:
        raise Http404("No such cycle")
    allowed, outside = _allowed(user, cycle, action)
    if not allowed:
        raise Http404("No such cycle")
    if outside:
        _audit_outside_read(user, cycle, cycle, f"the {cycle} CAF cycle")
    return cycle


def access_assessment_for_user(user: Any, pk: int, *, action: str = "read") -> Assessment:
    """An assessment, for the people allowed `action` on its cycle."""
    assessment = (
        Assessment.objects.select_related(
            "cycle__organisation", "cycle__framework", "cycle__profile", "cycle__assurer", "system"
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    allowed, outside = _allowed(user, assessment.cycle, action)
    if not allowed:
        raise Http404("No such assessment")
    if outside:
        # The assurer's "assure" fetches show the whole assessment too, so they are audited
        # like reads: one event per fetch.
        _audit_outside_read(user, assessment.cycle, assessment, f"the assessment {assessment}")
    return assessment


def access_answer_for_user(
    user: Any, assessment_pk: int, code: str, *, action: str = "read"
) -> OutcomeAnswer:
    """One outcome's answer in an assessment, by the outcome's code (like A1.a), for those
    allowed `action` on the assessment. 404 when the assessment or outcome is not there."""
    assessment = access_assessment_for_user(user, assessment_pk, action=action)
    answer = (
        OutcomeAnswer.objects.select_related(
            "node__parent__parent", "level", "suggested_level", "owner", "assigned_to"
        )
        .filter(assessment=assessment, node__code=code)
        .first()
    )
    if answer is None:
        raise Http404("No such outcome")
    answer.assessment = assessment
    return answer


def access_evidence_for_user(user: Any, pk: int) -> Evidence:
    """An evidence file, for those who may read its assessment (the read is audited the same
    way)."""
    evidence = Evidence.objects.select_related("answer").filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file")
    access_assessment_for_user(user, evidence.answer.assessment_id, action="read")
    return evidence


def access_action_for_user(user: Any, pk: int, *, write: bool = False) -> PlanAction:
    """A plan action: read like its assessment; changed by the CAF lead or the action's owner
    (an active member with a cyber role)."""
    action = PlanAction.objects.select_related("assessment", "owner").filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    assessment = access_assessment_for_user(user, action.assessment_id, action="read")
    if write:
        roles = cyber_roles(user, assessment.cycle.organisation)
        if not (CyberRole.Role.LEAD in roles or (roles and action.owner_id == user.pk)):
            raise Http404("No such action")
    action.assessment = assessment
    return action
