"""Reads of the ransomware readiness questionnaire: its questions, a cycle's answers, the answers
that inform a CAF outcome, and the sector's offline-backup figure.

The questionnaire is the shipped framework `ransomware-readiness` (kind questionnaire). Its
question ids (`ransomware:backups`) stay the same from one version to the next, so answers are
matched by node id, not by version.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from localdigital.cyber.models import Cycle, ReadinessAnswer
from localdigital.frameworks.models import Framework, Node

READINESS_FRAMEWORK_ID = "ransomware-readiness"
BACKUPS_QUESTION = "ransomware:backups"
BACKUPS_YES = "yes"
MINIMUM_COUNCILS = 5
SUPPRESSED_TEXT = f"fewer than {MINIMUM_COUNCILS} councils"


@dataclass(frozen=True)
class ReadinessItem:
    """One question with the cycle's answer to it (None when not answered yet)."""

    question: Node
    answer: ReadinessAnswer | None

    @property
    def answered(self) -> bool:
        if self.answer is None:
            return False
        # A date question saved blank means "never", which is an answer.
        return self.question.answer == Node.Answer.DATE or self.answer.level_id is not None

    @property
    def display(self) -> str:
        """The answer in words, as a page shows it."""
        if not self.answered or self.answer is None:
            return "Not answered"
        if self.question.answer == Node.Answer.DATE:
            if self.answer.date_value is None:
                return "Never"
            return f"{self.answer.date_value.day} {self.answer.date_value:%B %Y}"
        return self.answer.level.label if self.answer.level else "Not answered"


@dataclass(frozen=True)
class OfflineBackupShare:
    """The share of councils with offline or immutable backups of critical data.

    Counted over councils whose latest cycle (or the cycle of `year`) answers the backups
    question. When fewer than 5 councils can be counted, `suppressed` is true and the figures are
    None. `includes_demo_data` is true when any counted cycle is generated demo data
    (`Cycle.is_demo`)."""

    year: int | None
    suppressed: bool
    councils: int | None
    yes: int | None
    percent: int | None
    minimum: int = MINIMUM_COUNCILS
    includes_demo_data: bool = False

    @property
    def message(self) -> str:
        return f"fewer than {self.minimum} councils" if self.suppressed else ""


def readiness_framework() -> Framework | None:
    """The newest version of the ransomware readiness questionnaire, if loaded."""
    return (
        Framework.objects.filter(framework_id=READINESS_FRAMEWORK_ID)
        .order_by("-version_order")
        .first()
    )


def readiness_questions(framework: Framework | None = None) -> list[Node]:
    """The questionnaire's questions in order, each with its levels. Two queries."""
    framework = framework or readiness_framework()
    if framework is None:
        return []
    return list(
        Node.objects.filter(framework=framework, assessable=True)
        .prefetch_related("levels")
        .order_by("position")
    )


def readiness_answers(cycle: Cycle) -> dict[str, ReadinessAnswer]:
    """The cycle's readiness answers by question id (like ransomware:backups)."""
    answers = ReadinessAnswer.objects.filter(cycle=cycle).select_related(
        "node", "level", "answered_by"
    )
    return {answer.node.node_id: answer for answer in answers}


def readiness_items(cycle: Cycle) -> list[ReadinessItem]:
    """Every question with the cycle's answer to it. Three queries."""
    answers = readiness_answers(cycle)
    return [
        ReadinessItem(question=question, answer=answers.get(question.node_id))
        for question in readiness_questions()
    ]


def readiness_for_outcome(cycle: Cycle, node_code: str) -> list[ReadinessItem]:
    """The questions that inform a CAF outcome (by code, like B5.c), each with the cycle's
    answer: what the outcome page of that outcome shows beside the indicators. Empty when no
    question informs it. One query, or two when a question informs the outcome."""
    reference = f"caf:{node_code}"
    newest = (
        Framework.objects.filter(framework_id=READINESS_FRAMEWORK_ID)
        .order_by("-version_order")
        .values("pk")[:1]
    )
    questions = [
        question
        for question in Node.objects.filter(framework__in=newest, assessable=True).order_by(
            "position"
        )
        if reference in (question.informs or [])
    ]
    if not questions:
        return []
    answers = {
        answer.node_id: answer
        for answer in ReadinessAnswer.objects.filter(
            cycle=cycle, node__in=questions
        ).select_related("level")
    }
    return [ReadinessItem(question=q, answer=answers.get(q.pk)) for q in questions]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def offline_backup_share(year: int | None = None) -> OfflineBackupShare:
    """How many councils answered "yes" to offline or immutable backups of critical data, of
    those that answered the question in their latest cycle (or, given `year`, in that year's
    cycle). One query however many councils there are; suppressed below 5 councils."""
    answers = ReadinessAnswer.objects.filter(node__node_id=BACKUPS_QUESTION, level__isnull=False)
    if year is None:
        latest = (
            Cycle.objects.filter(organisation_id=OuterRef("cycle__organisation_id"))
            .order_by("-year")
            .values("year")[:1]
        )
        answers = answers.filter(cycle__year=Subquery(latest))
    else:
        answers = answers.filter(cycle__year=year)
    figures: dict[str, Any] = answers.aggregate(
        councils=Count("cycle__organisation", distinct=True),
        yes=Count("cycle__organisation", distinct=True, filter=Q(level__key=BACKUPS_YES)),
        demo=Count("cycle__organisation", distinct=True, filter=Q(cycle__is_demo=True)),
    )
    councils, yes = figures["councils"] or 0, figures["yes"] or 0
    if councils < MINIMUM_COUNCILS:
        return OfflineBackupShare(year=year, suppressed=True, councils=None, yes=None, percent=None)
    return OfflineBackupShare(
        year=year,
        suppressed=False,
        councils=councils,
        yes=yes,
        percent=_percent(yes, councils),
        includes_demo_data=bool(figures["demo"]),
    )
