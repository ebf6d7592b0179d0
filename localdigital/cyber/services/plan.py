"""Writes for the Improvement and Implementation Plan, and the audited export of an assessment
with its plan.

The caller fetches the assessment or action through the access helpers: the CAF lead adds
actions (`access_assessment_for_user(..., action="manage")`), the lead or the action's owner
changes one (`access_action_for_user(..., write=True)`). These services check the rules of the
content itself: a description, an owner who is one of the council's cyber people, a target date
not in the past when the action is made, and an outcome of the same assessment.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import ActionProgress, Assessment, OutcomeAnswer, PlanAction
from localdigital.cyber.selectors.plan import possible_action_owners

DESCRIPTION_REQUIRED = "Enter what will be done"
DESCRIPTION_TOO_LONG = "Keep the description to 2,000 characters or fewer"
OWNER_NOT_CYBER = "Select an owner from your council’s cyber team"
TARGET_DATE_PAST = "Target date must be today or in the future"
PRIORITY_INVALID = "Select a priority"
STATUS_INVALID = "Select a status"
ANSWER_NOT_IN_ASSESSMENT = "That outcome is not part of this assessment"
NOTE_REQUIRED = "Enter a progress note"
NOTE_TOO_LONG = "Keep the progress note to 2,000 characters or fewer"
FORMAT_INVALID = "Choose CSV or XLSX"
MAX_TEXT = 2000


def _description(description: str) -> str:
    description = (description or "").strip()
    if not description:
        raise ApplicationError(DESCRIPTION_REQUIRED, field="description")
    if len(description) > MAX_TEXT:
        raise ApplicationError(DESCRIPTION_TOO_LONG, field="description")
    return description


def _owner(assessment: Assessment, owner: Any) -> Any:
    if owner is None:
        return None
    if not possible_action_owners(assessment.cycle.organisation).filter(pk=owner.pk).exists():
        raise ApplicationError(OWNER_NOT_CYBER, field="owner")
    return owner


def _choice(value: str, choices: Any, message: str, field: str) -> str:
    if value not in choices.values:
        raise ApplicationError(message, field=field)
    return value


@transaction.atomic
def action_create(
    *,
    actor: Any,
    assessment: Assessment,
    description: str,
    owner: Any = None,
    target_date: dt.date | None = None,
    priority: str = PlanAction.Priority.MEDIUM,
    answer: OutcomeAnswer | None = None,
    today: dt.date | None = None,
) -> PlanAction:
    """Add an action to the assessment's plan, usually closing the gap on `answer`'s outcome."""
    today = today or timezone.localdate()
    description = _description(description)
    owner = _owner(assessment, owner)
    if target_date is not None and target_date < today:
        raise ApplicationError(TARGET_DATE_PAST, field="target_date")
    priority = _choice(priority, PlanAction.Priority, PRIORITY_INVALID, "priority")
    if answer is not None and answer.assessment_id != assessment.pk:
        raise ApplicationError(ANSWER_NOT_IN_ASSESSMENT, field="answer")
    action = PlanAction(
        assessment=assessment,
        answer=answer,
        description=description,
        owner=owner,
        target_date=target_date,
        priority=priority,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    event_log(
        actor=actor,
        action="cyber.action_create",
        summary=f"Added a plan action to {assessment}",
        obj=action,
        organisation=assessment.cycle.organisation,
        data={"answer": answer.pk if answer else None},
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: Any,
    action: PlanAction,
    description: str,
    owner: Any = None,
    target_date: dt.date | None = None,
    priority: str = PlanAction.Priority.MEDIUM,
    status: str = PlanAction.Status.NOT_STARTED,
) -> PlanAction:
    """Change an action. A target date already passed may stay (the action is then overdue);
    moving it to another past date is refused."""
    assessment = action.assessment
    description = _description(description)
    owner = _owner(assessment, owner)
    if (
        target_date is not None
        and target_date != action.target_date
        and target_date < timezone.localdate()
    ):
        raise ApplicationError(TARGET_DATE_PAST, field="target_date")
    priority = _choice(priority, PlanAction.Priority, PRIORITY_INVALID, "priority")
    status = _choice(status, PlanAction.Status, STATUS_INVALID, "status")
    before = {
        "owner": action.owner_id,
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "priority": action.priority,
        "status": action.status,
    }
    if target_date != action.target_date:
        action.reminded_on = None  # a new date starts the reminders afresh
    action.description = description
    action.owner = owner
    action.target_date = target_date
    action.priority = priority
    action.status = status
    action.full_clean()
    action.save()
    after = {
        "owner": action.owner_id,
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "priority": action.priority,
        "status": action.status,
    }
    event_log(
        actor=actor,
        action="cyber.action_update",
        summary=f"Changed a plan action of {assessment}",
        obj=action,
        organisation=assessment.cycle.organisation,
        data={"before": before, "after": after},
    )
    return action


@transaction.atomic
def progress_add(*, actor: Any, action: PlanAction, note: str) -> ActionProgress:
    """Record progress on an action."""
    note = (note or "").strip()
    if not note:
        raise ApplicationError(NOTE_REQUIRED, field="note")
    if len(note) > MAX_TEXT:
        raise ApplicationError(NOTE_TOO_LONG, field="note")
    progress = ActionProgress(action=action, note=note, created_by=actor)
    progress.full_clean()
    progress.save()
    event_log(
        actor=actor,
        action="cyber.action_progress",
        summary=f"Added a progress note to a plan action of {action.assessment}",
        obj=action,
        organisation=action.assessment.cycle.organisation,
    )
    return progress


def assessment_export(
    *, actor: Any, assessment: Assessment, file_format: str, now: dt.datetime | None = None
) -> bytes:
    """The assessment and its plan as CSV or XLSX, stamped with the council, the person and
    the time, for someone who may read it. The export is audited (`cyber.export`)."""
    from localdigital.cyber import exports

    if file_format not in exports.FORMATS:
        raise ApplicationError(FORMAT_INVALID)
    now = now or timezone.now()
    document = exports.export_document(assessment, actor=actor, now=now)
    content = (
        exports.write_xlsx(document)
        if file_format == exports.XLSX
        else exports.write_csv(document).encode("utf-8")
    )
    event_log(
        actor=actor,
        action="cyber.export",
        summary=f"Exported {assessment} and its plan as {file_format.upper()}",
        obj=assessment,
        organisation=assessment.cycle.organisation,
        data={"file_format": file_format},
    )
    return content


def summary_record(*, actor: Any, assessment: Assessment) -> None:
    """Record that someone opened the print-friendly summary (a copy that can leave the Hub)."""
    event_log(
        actor=actor,
        action="cyber.export",
        summary=f"Opened the printable summary of {assessment}",
        obj=assessment,
        organisation=assessment.cycle.organisation,
        data={"file_format": "print"},
    )
