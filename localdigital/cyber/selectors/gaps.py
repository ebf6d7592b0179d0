"""Reads for gaps: every outcome of an assessment against its cycle's target profile.

An outcome has a gap when the profile requires a level and the confirmed level ranks below it.
An outcome the profile marks "not required", or any outcome when the cycle has no profile, has
no gap. An outcome with a required target but no confirmed level yet is "not assessed": it is
counted on its own, not as a gap, because nobody has judged it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from localdigital.cyber.models import OBJECTIVES_BY_KIND, Assessment, Cycle, OutcomeAnswer
from localdigital.frameworks.models import Level, Node, ProfileTarget

MET = "met"
GAP = "gap"
NOT_ASSESSED = "not_assessed"
NOT_REQUIRED = "not_required"
STATE_LABELS = {
    MET: "Meets target",
    GAP: "Gap",
    NOT_ASSESSED: "Not assessed",
    NOT_REQUIRED: "No target",
}


@dataclass(frozen=True)
class OutcomeGap:
    """One outcome: its confirmed level, the target (None when not required) and the state."""

    node: Node
    principle: Node
    objective: Node
    answer: OutcomeAnswer | None
    level: Level | None
    target: Level | None
    state: str

    @property
    def gap(self) -> bool:
        return self.state == GAP

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def level_label(self) -> str:
        return self.level.label if self.level else "Not assessed"

    @property
    def target_label(self) -> str:
        return self.target.label if self.target else "Not required"


@dataclass
class PrincipleRow:
    principle: Node
    outcomes: list[OutcomeGap] = field(default_factory=list)


@dataclass
class ObjectiveCount:
    """How the outcomes of one objective stand against the profile."""

    objective: Node
    outcomes: int = 0
    met: int = 0
    gaps: int = 0
    not_assessed: int = 0
    not_required: int = 0


@dataclass
class AssessmentGaps:
    assessment: Assessment
    principles: list[PrincipleRow]
    objectives: list[ObjectiveCount]

    @property
    def outcomes(self) -> list[OutcomeGap]:
        return [outcome for row in self.principles for outcome in row.outcomes]

    @property
    def gaps(self) -> list[OutcomeGap]:
        return [outcome for outcome in self.outcomes if outcome.gap]

    @property
    def gap_count(self) -> int:
        return sum(count.gaps for count in self.objectives)

    @property
    def has_profile(self) -> bool:
        return self.assessment.cycle.profile_id is not None


def outcome_state(level: Level | None, target: Level | None) -> str:
    """Compare a confirmed level with a target by rank (higher is better). A level without a
    rank (outside the order) falls short of any required target."""
    if target is None or target.rank is None:
        return NOT_REQUIRED
    if level is None:
        return NOT_ASSESSED
    if level.rank is None or level.rank < target.rank:
        return GAP
    return MET


def _answers(assessments: Sequence[Assessment]) -> QuerySet[OutcomeAnswer]:
    return OutcomeAnswer.objects.filter(assessment__in=assessments).select_related("level", "owner")


def gaps_for_assessments(cycle: Cycle, assessments: Sequence[Assessment]) -> list[AssessmentGaps]:
    """The gaps of several assessments of one cycle: three queries however many assessments
    and outcomes (the framework's nodes, the profile's targets and the answers)."""
    nodes = list(
        Node.objects.filter(framework_id=cycle.framework_id, depth__lte=2).order_by("position")
    )
    targets: dict[int, Level | None] = {}
    if cycle.profile_id is not None:
        for target in ProfileTarget.objects.filter(profile_id=cycle.profile_id).select_related(
            "level"
        ):
            targets[target.node_id] = target.level
    answers: dict[tuple[int, int], OutcomeAnswer] = {
        (answer.assessment_id, answer.node_id): answer for answer in _answers(assessments)
    }
    by_pk = {node.pk: node for node in nodes}
    return [_one(assessment, nodes, by_pk, targets, answers) for assessment in assessments]


def _one(
    assessment: Assessment,
    nodes: Iterable[Node],
    by_pk: dict[int, Node],
    targets: dict[int, Level | None],
    answers: dict[tuple[int, int], OutcomeAnswer],
) -> AssessmentGaps:
    codes = OBJECTIVES_BY_KIND.get(assessment.kind, ())
    principles: list[PrincipleRow] = []
    rows: dict[int, PrincipleRow] = {}
    counts: dict[int, ObjectiveCount] = {}
    for node in nodes:
        if node.depth == 0 and node.code in codes:
            counts[node.pk] = ObjectiveCount(objective=node)
        elif node.depth == 1 and node.parent_id in counts:
            rows[node.pk] = PrincipleRow(principle=node)
            principles.append(rows[node.pk])
        elif node.depth == 2 and node.assessable and node.parent_id in rows:
            principle = by_pk[node.parent_id]
            objective = by_pk[principle.parent_id]  # type: ignore[index]
            answer = answers.get((assessment.pk, node.pk))
            level = answer.level if answer else None
            target = targets.get(node.pk)
            state = outcome_state(level, target)
            outcome = OutcomeGap(
                node=node,
                principle=principle,
                objective=objective,
                answer=answer,
                level=level,
                target=target if state != NOT_REQUIRED else None,
                state=state,
            )
            rows[principle.pk].outcomes.append(outcome)
            count = counts[objective.pk]
            count.outcomes += 1
            if state == MET:
                count.met += 1
            elif state == GAP:
                count.gaps += 1
            elif state == NOT_ASSESSED:
                count.not_assessed += 1
            else:
                count.not_required += 1
    return AssessmentGaps(
        assessment=assessment,
        principles=[row for row in principles if row.outcomes],
        objectives=list(counts.values()),
    )


def assessment_gaps(assessment: Assessment) -> AssessmentGaps:
    """Every outcome of one assessment against its cycle's profile (the assessment comes from
    an access helper, with its cycle loaded): three queries."""
    return gaps_for_assessments(assessment.cycle, [assessment])[0]


def cycle_gaps(cycle: Cycle) -> list[AssessmentGaps]:
    """Every assessment of a cycle against its profile: four queries."""
    assessments = list(cycle.assessments.select_related("system").order_by("kind", "pk"))
    for assessment in assessments:
        assessment.cycle = cycle
    return gaps_for_assessments(cycle, assessments)
