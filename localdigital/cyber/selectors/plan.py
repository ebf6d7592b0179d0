"""Reads for the Improvement and Implementation Plan: an assessment's actions with their owner,
outcome and progress notes, and the council's cyber people who may own an action."""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from localdigital.cyber.models import ActionProgress, Assessment, CyberRole, PlanAction
from localdigital.cyber.selectors.cycles import cyber_people
from localdigital.organisations.models import Organisation

OPEN_STATUSES = (PlanAction.Status.NOT_STARTED, PlanAction.Status.IN_PROGRESS)


def plan_actions(assessment: Assessment) -> QuerySet[PlanAction]:
    """The assessment's actions by target date (undated last), with owner, outcome and progress
    notes (and their authors) loaded: two queries however many actions and notes."""
    progress = ActionProgress.objects.select_related("created_by").order_by("created_at", "pk")
    return (
        PlanAction.objects.filter(assessment=assessment)
        .select_related("owner", "answer__node")
        .prefetch_related(Prefetch("progress", queryset=progress))
        .order_by("target_date", "pk")
    )


def planned_answer_ids(assessment: Assessment) -> set[int]:
    """The answers (outcomes) of the assessment that already have an action: one query."""
    return set(
        PlanAction.objects.filter(assessment=assessment, answer__isnull=False).values_list(
            "answer_id", flat=True
        )
    )


def possible_action_owners(organisation: Organisation) -> QuerySet[Any]:
    """The council's cyber people who may own an action, by name: only those who have verified
    their email address, since an overdue action reminds its owner by email. (An outcome's
    owner or contributor may be any of the council's cyber people.)"""
    return cyber_people(organisation).filter(email_verified_at__isnull=False)


def is_overdue(action: PlanAction, today: dt.date | None = None) -> bool:
    """Past its target date and neither done nor cancelled."""
    today = today or timezone.localdate()
    return (
        action.status in OPEN_STATUSES
        and action.target_date is not None
        and action.target_date < today
    )


def is_cyber_lead(roles: set[str]) -> bool:
    return CyberRole.Role.LEAD in roles
