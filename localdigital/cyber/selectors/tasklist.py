"""Reads for answering: the task list of an assessment and one outcome's page.

Both make a fixed number of queries however many outcomes, indicators or assessments exist.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from localdigital.cyber.models import Assessment, Evidence, OutcomeAnswer
from localdigital.frameworks.models import Indicator, Level, Node

NEEDS_CHECK = "needs_check"


def task_status(answer: OutcomeAnswer) -> str:
    """The status shown for an outcome: "check this still holds" wins over the stored one."""
    return NEEDS_CHECK if answer.needs_check else answer.status


@dataclass
class Principle:
    node: Node
    answers: list[OutcomeAnswer] = field(default_factory=list)


@dataclass
class Objective:
    node: Node
    principles: list[Principle] = field(default_factory=list)


@dataclass
class TaskList:
    objectives: list[Objective]
    total: int
    completed: int
    in_progress: int
    needs_check: int


def task_list(assessment: Assessment) -> TaskList:
    """The assessment's outcomes grouped by objective then principle, in document order, with
    counts by status. One query."""
    answers = (
        OutcomeAnswer.objects.filter(assessment=assessment)
        .select_related("node__parent__parent", "assigned_to", "level")
        .order_by("node__position")
    )
    objectives: list[Objective] = []
    by_objective: dict[int, Objective] = {}
    by_principle: dict[int, Principle] = {}
    counts = {"completed": 0, "in_progress": 0, "needs_check": 0}
    total = 0
    for answer in answers:
        answer.assessment = assessment
        principle_node = answer.node.parent
        objective_node = principle_node.parent if principle_node else None
        if principle_node is None or objective_node is None:
            continue
        objective = by_objective.get(objective_node.pk)
        if objective is None:
            objective = by_objective[objective_node.pk] = Objective(objective_node)
            objectives.append(objective)
        principle = by_principle.get(principle_node.pk)
        if principle is None:
            principle = by_principle[principle_node.pk] = Principle(principle_node)
            objective.principles.append(principle)
        principle.answers.append(answer)
        total += 1
        if answer.needs_check:
            counts["needs_check"] += 1
        elif answer.status == OutcomeAnswer.Status.COMPLETED:
            counts["completed"] += 1
        elif answer.status == OutcomeAnswer.Status.IN_PROGRESS:
            counts["in_progress"] += 1
    return TaskList(objectives=objectives, total=total, **counts)


@dataclass
class OutcomePage:
    answer: OutcomeAnswer
    levels: list[Level]
    statements_loaded: bool
    files: list[Evidence]
    previous_code: str | None
    next_code: str | None


def outcome_page(answer: OutcomeAnswer) -> OutcomePage:
    """One outcome with its levels (lowest first) and their indicators, the evidence files and
    the neighbouring outcomes of the assessment. Four queries."""
    levels = list(
        Level.objects.filter(node_id=answer.node_id)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
        .order_by("rank", "position")
    )
    statements_loaded = any(i.statement for level in levels for i in level.indicators.all())
    files = list(
        Evidence.objects.filter(answer=answer).select_related("uploaded_by").order_by("pk")
    )
    codes: list[Any] = list(
        OutcomeAnswer.objects.filter(assessment_id=answer.assessment_id)
        .order_by("node__position")
        .values_list("node__code", flat=True)
    )
    index = codes.index(answer.node.code) if answer.node.code in codes else -1
    return OutcomePage(
        answer=answer,
        levels=levels,
        statements_loaded=statements_loaded,
        files=files,
        previous_code=codes[index - 1] if index > 0 else None,
        next_code=codes[index + 1] if 0 <= index < len(codes) - 1 else None,
    )
