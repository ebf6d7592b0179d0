"""Reads for the workflow and for programme staff: an assessment's history, the answers an
assurer reviews, and cycle progress across the sector."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Value, When
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Assessment, OutcomeAnswer
from localdigital.organisations.models import Organisation

WORKFLOW_ACTIONS = (
    "cyber.submit_for_review",
    "cyber.return_to_draft",
    "cyber.approve",
    "cyber.submit",
    "cyber.start_assurance",
    "cyber.complete_assurance",
)

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
ASSURED = "assured"
PROGRESS_STATES = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    SUBMITTED: "Submitted",
    ASSURED: "Assured",
}
# Submitted and beyond: the council has finished its part.
HANDED_IN = (
    Assessment.Status.SUBMITTED,
    Assessment.Status.UNDER_ASSURANCE,
    Assessment.Status.ASSURED,
)


def assessment_history(assessment: Assessment) -> QuerySet[AuditEvent]:
    """The assessment's workflow transitions from the audit log, oldest first. One query."""
    return AuditEvent.objects.filter(
        object_type=Assessment._meta.label_lower,
        object_id=str(assessment.pk),
        action__in=WORKFLOW_ACTIONS,
    ).order_by("created_at", "pk")


def assurance_answers(assessment: Assessment) -> QuerySet[OutcomeAnswer]:
    """Every answer of the assessment with its outcome and judgement, in framework order."""
    return (
        OutcomeAnswer.objects.filter(assessment=assessment)
        .select_related("node", "level")
        .order_by("node__position", "pk")
    )


def current_cycle_year(today: dt.date | None = None) -> int:
    """The cycle year now: cycles follow the financial year, so 2026 runs from April 2026."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def sector_councils() -> QuerySet[Organisation]:
    """The current councils the programme follows."""
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_current=True)


def sector_progress(
    *, year: int, la_type: str = "", region: str = "", state: str = ""
) -> QuerySet[Organisation]:
    """Councils annotated with `progress_state` for the year's cycle, filtered by council type
    (`la_type_name`), region and state. A council is not started without a cycle or any
    assessment, assured when every assessment is assured, submitted when every assessment is
    at least submitted, and in progress otherwise. One query however many councils."""
    in_year = Q(cyber_cycles__year=year)
    councils = sector_councils()
    if la_type:
        councils = councils.filter(la_type_name=la_type)
    if region:
        councils = councils.filter(region=region)
    councils = councils.annotate(
        cycle_pk=Max("cyber_cycles__pk", filter=in_year),
        assessment_count=Count("cyber_cycles__assessments", filter=in_year),
        handed_in_count=Count(
            "cyber_cycles__assessments",
            filter=in_year & Q(cyber_cycles__assessments__status__in=HANDED_IN),
        ),
        assured_count=Count(
            "cyber_cycles__assessments",
            filter=in_year & Q(cyber_cycles__assessments__status=Assessment.Status.ASSURED),
        ),
    ).annotate(
        progress_state=Case(
            When(assessment_count=0, then=Value(NOT_STARTED)),
            When(assured_count=F("assessment_count"), then=Value(ASSURED)),
            When(handed_in_count=F("assessment_count"), then=Value(SUBMITTED)),
            default=Value(IN_PROGRESS),
            output_field=CharField(),
        )
    )
    if state:
        councils = councils.filter(progress_state=state)
    return councils.order_by("name")


@dataclass
class ProgressFilters:
    """The choices offered by the progress page's filters."""

    la_types: list[str]
    regions: list[str]


def progress_filter_choices() -> ProgressFilters:
    """The council types and regions that occur among current councils. Two queries."""
    councils = sector_councils()
    return ProgressFilters(
        la_types=sorted(
            set(councils.exclude(la_type_name="").values_list("la_type_name", flat=True))
        ),
        regions=sorted(set(councils.exclude(region="").values_list("region", flat=True))),
    )


def progress_counts(councils: Any) -> dict[str, int]:
    """How many of the councils are in each state. One query."""
    counted = Counter(councils.values_list("progress_state", flat=True))
    return {state: counted.get(state, 0) for state in PROGRESS_STATES}
