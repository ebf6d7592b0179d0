"""Writes of the ransomware readiness questionnaire: a council's answers in a cycle."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.access import cyber_roles
from localdigital.cyber.models import CyberRole, Cycle, ReadinessAnswer
from localdigital.cyber.selectors.readiness import readiness_questions
from localdigital.frameworks.models import Node

NOT_ALLOWED = "Only the council’s CAF lead and contributors can answer the questionnaire"
NO_QUESTIONNAIRE = "The ransomware readiness questionnaire has not been loaded"
UNKNOWN_QUESTION = "That question is not part of the ransomware readiness questionnaire"
LEVEL_NOT_ALLOWED = "Select one of the answers for “{title}”"
DATE_IN_FUTURE = "{title} must be today or in the past"
COMMENT_TOO_LONG = "The comment on “{title}” must be 2,000 characters or fewer"
COMMENT_MAX = 2000


@dataclass(frozen=True)
class ReadinessInput:
    """One question's answer as entered: a level key (level questions) or a date (date
    questions; None means never), and a comment."""

    level: str | None = None
    date_value: datetime.date | None = None
    comment: str = ""


def _checked(question: Node, given: ReadinessInput) -> tuple[Any, datetime.date | None, str]:
    """(level, date, comment) for a question, or an ApplicationError naming the field."""
    comment = (given.comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            COMMENT_TOO_LONG.format(title=question.title), field=f"comment_{question.code}"
        )
    if question.answer == Node.Answer.DATE:
        if given.date_value is not None and given.date_value > timezone.localdate():
            raise ApplicationError(
                DATE_IN_FUTURE.format(title=question.title), field=f"answer_{question.code}"
            )
        return None, given.date_value, comment
    level = None
    if given.level:
        levels = {level.key: level for level in question.levels.all()}
        level = levels.get(given.level)
        if level is None:
            raise ApplicationError(
                LEVEL_NOT_ALLOWED.format(title=question.title), field=f"answer_{question.code}"
            )
    return level, None, comment


@transaction.atomic
def readiness_save(
    *, actor: Any, cycle: Cycle, answers: Mapping[str, ReadinessInput]
) -> list[ReadinessAnswer]:
    """Save a cycle's answers to the questionnaire, keyed by question id (like
    ransomware:backups). Every answer is checked before any is written, so a bad one leaves
    the saved answers as they were. A level question left without a level stays unanswered; a
    date question left blank means "never". One audit event for the save."""
    answerers = {CyberRole.Role.LEAD, CyberRole.Role.CONTRIBUTOR}
    if not cyber_roles(actor, cycle.organisation) & answerers:
        raise ApplicationError(NOT_ALLOWED)
    questions = {question.node_id: question for question in readiness_questions()}
    if not questions:
        raise ApplicationError(NO_QUESTIONNAIRE)
    checked = {}
    for node_id, given in answers.items():
        question = questions.get(node_id)
        if question is None:
            raise ApplicationError(UNKNOWN_QUESTION)
        checked[node_id] = (question, *_checked(question, given))
    existing = {
        answer.node_id: answer
        for answer in ReadinessAnswer.objects.select_for_update().filter(cycle=cycle)
    }
    saved = []
    changed = []
    for question, level, date_value, comment in checked.values():
        answer = existing.get(question.pk) or ReadinessAnswer(cycle=cycle, node=question)
        before = (answer.level_id, answer.date_value, answer.comment, answer.pk is None)
        answer.level = level
        answer.date_value = date_value
        answer.comment = comment
        if (answer.level_id, answer.date_value, answer.comment, False) != before:
            answer.answered_by = actor
            answer.full_clean()
            answer.save()
            changed.append(question.node_id)
        saved.append(answer)
    if changed:
        event_log(
            actor=actor,
            action="cyber.readiness_save",
            summary=f"Answered the ransomware readiness questionnaire for {cycle}",
            obj=cycle,
            organisation=cycle.organisation,
            data={"questions": changed},
        )
    return saved
