"""Starting a cycle from the last one: every assessment and answer carried forward, marked
"check this still holds".

On the same framework version an answer is copied as it was (indicator ticks, suggestion,
level, justification, evidence text and links, owner). When the version changes (CAF 3.2 ->
4.0) outcomes are mapped through the shipped crosswalk: same, renamed and renumbered outcomes
carry their answer; an outcome that replaces several older ones carries the lowest of their
judgements with a note; new outcomes start empty. Indicator ids differ between versions, so
ticks, their comments and the suggested judgement are not carried across versions.

Carried answers are "in progress" with `needs_check`, so nobody can send the new assessment for
review without confirming each one. Running the carry-forward again adds nothing twice.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from localdigital.audit.services import event_log
from localdigital.core.access import is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.access import cyber_roles
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.frameworks.models import Indicator, Level, Node
from localdigital.frameworks.selectors import crosswalk

NOT_ALLOWED = "Only the council’s CAF lead can carry a cycle forward"
NO_PREVIOUS = "This cycle does not follow an earlier one, so there is nothing to carry forward"
NO_CROSSWALK = (
    "There is no crosswalk from {source} to {target}, so answers cannot be carried forward"
)
CARRY_FROM = (
    "Carried forward from {outcomes} in {version}: the lowest of their judgements. "
    "Check it still holds."
)


@dataclass
class CarryForwardResult:
    """What a carry-forward created."""

    assessments: int = 0
    answers: int = 0
    carried: int = 0


@dataclass
class _Source:
    """The older answers feeding one outcome of the new cycle."""

    answers: list[OutcomeAnswer]
    same_version: bool
    replaced: bool = False


def _check_actor(actor: Any, cycle: Cycle) -> None:
    if actor is None or is_programme_staff(actor):
        return
    if CyberRole.Role.LEAD not in cyber_roles(actor, cycle.organisation):
        raise ApplicationError(NOT_ALLOWED)


def _matching_assessment(new_cycle: Cycle, old: Assessment) -> tuple[Assessment, bool]:
    if old.kind == Assessment.Kind.ORGANISATION:
        return Assessment.objects.get_or_create(cycle=new_cycle, kind=Assessment.Kind.ORGANISATION)
    if old.system_id is not None:
        return Assessment.objects.get_or_create(
            cycle=new_cycle,
            system_id=old.system_id,
            defaults={"kind": Assessment.Kind.SYSTEM, "system_name": old.system_name},
        )
    # The system has left the register since: match by the name kept on the assessment.
    return Assessment.objects.get_or_create(
        cycle=new_cycle,
        kind=Assessment.Kind.SYSTEM,
        system=None,
        system_name=old.system_name,
    )


def _level_for(source_level: Level | None, levels: list[Level]) -> Level | None:
    """The level of the new outcome matching an older level: same key, or else the highest
    level not above it (a "partially achieved" where the new outcome has no such level becomes
    "not achieved")."""
    if source_level is None or not levels:
        return None
    for level in levels:
        if level.key == source_level.key:
            return level
    if source_level.rank is None:
        return None
    below = [lv for lv in levels if lv.rank is not None and lv.rank <= source_level.rank]
    return max(below, key=lambda lv: lv.rank or 0) if below else None


def _fill(
    answer: OutcomeAnswer,
    source: _Source,
    levels: list[Level],
    indicator_ids: set[str],
    version_label: str,
) -> None:
    olds = source.answers
    if source.same_version:
        old = olds[0]
        answer.true_indicators = [i for i in old.true_indicators if i in indicator_ids]
        answer.indicator_comments = {
            k: v for k, v in (old.indicator_comments or {}).items() if k in indicator_ids
        }
        answer.suggested_level = _level_for(old.suggested_level, levels)
        answer.level = _level_for(old.level, levels)
        answer.justification = old.justification
    else:
        answer.true_indicators = []
        answer.indicator_comments = {}
        answer.suggested_level = None
        judged = [old for old in olds if old.level is not None]
        lowest = min(judged, key=lambda old: old.level.rank or 0) if judged else None  # type: ignore[union-attr]
        answer.level = _level_for(lowest.level if lowest else None, levels)
        if source.replaced:
            codes = " and ".join(old.node.code or old.node.node_id for old in olds)
            texts = [f"{old.node.code}: {old.justification}" for old in olds if old.justification]
            answer.justification = "\n\n".join(
                [CARRY_FROM.format(outcomes=codes, version=version_label), *texts]
            )
        else:
            answer.justification = olds[0].justification
    answer.evidence_text = "\n\n".join(old.evidence_text for old in olds if old.evidence_text)
    links: list[Any] = []
    for old in olds:
        for link in old.evidence_links or []:
            if link not in links:
                links.append(link)
    answer.evidence_links = links
    answer.owner_id = next((old.owner_id for old in olds if old.owner_id), None)
    answer.due_date = None
    answer.needs_check = True
    has_content = bool(
        answer.level_id
        or answer.justification
        or answer.true_indicators
        or answer.evidence_text
        or answer.evidence_links
    )
    answer.status = (
        OutcomeAnswer.Status.IN_PROGRESS if has_content else OutcomeAnswer.Status.NOT_STARTED
    )


@transaction.atomic
def cycle_carry_forward(*, actor: Any, new_cycle: Cycle) -> CarryForwardResult:
    """Create the new cycle's assessments from the previous cycle's, with answers copied and
    marked `needs_check` (through the crosswalk when the framework version changes).

    Idempotent: an answer already carried, or already started by someone, is left alone."""
    new_cycle = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("organisation", "framework", "previous__framework")
        .get(pk=new_cycle.pk)
    )
    _check_actor(actor, new_cycle)
    previous = new_cycle.previous
    if previous is None:
        raise ApplicationError(NO_PREVIOUS)
    same_version = previous.framework_id == new_cycle.framework_id
    mapping = None
    if not same_version:
        mapping = crosswalk(previous.framework, new_cycle.framework)
        if mapping is None:
            raise ApplicationError(
                NO_CROSSWALK.format(source=previous.framework.name, target=new_cycle.framework.name)
            )
    version_label = f"{previous.framework.framework_id.upper()} {previous.framework.version}"

    old_assessments = previous.assessments.prefetch_related(
        Prefetch(
            "answers",
            queryset=OutcomeAnswer.objects.select_related("node", "level", "suggested_level"),
        )
    ).order_by("kind", "pk")

    # The new framework's outcomes, levels and indicator ids, read once.
    outcomes = list(
        Node.objects.filter(framework=new_cycle.framework, type="outcome", assessable=True)
    )
    levels: dict[int, list[Level]] = {}
    for level in Level.objects.filter(node__in=outcomes).order_by("node_id", "position"):
        levels.setdefault(level.node_id, []).append(level)
    indicators: dict[int, set[str]] = {}
    for node_id, indicator_id in Indicator.objects.filter(node__in=outcomes).values_list(
        "node_id", "indicator_id"
    ):
        indicators.setdefault(node_id, set()).add(indicator_id)

    result = CarryForwardResult()
    for old in old_assessments:
        new, created = _matching_assessment(new_cycle, old)
        result.assessments += int(created)
        by_node_id = {answer.node.node_id: answer for answer in old.answers.all()}
        wanted = {node.pk for node in outcome_nodes(new_cycle.framework, new.kind)}
        existing = {answer.node_id: answer for answer in new.answers.all()}
        to_create: list[OutcomeAnswer] = []
        to_update: list[OutcomeAnswer] = []
        for node in outcomes:
            if node.pk not in wanted:
                continue
            answer = existing.get(node.pk)
            if answer is not None and (
                answer.needs_check or answer.status != OutcomeAnswer.Status.NOT_STARTED
            ):
                continue  # carried already, or someone has started it
            source = _source_for(node, by_node_id, same_version, mapping)
            if answer is None:
                answer = OutcomeAnswer(assessment=new, node=node)
                to_create.append(answer)
            else:
                to_update.append(answer)
            if source is None:
                continue
            _fill(
                answer,
                source,
                levels.get(node.pk, []),
                indicators.get(node.pk, set()),
                version_label,
            )
            result.carried += 1
        OutcomeAnswer.objects.bulk_create(to_create)
        if to_update:
            OutcomeAnswer.objects.bulk_update(
                to_update,
                [
                    "true_indicators",
                    "indicator_comments",
                    "suggested_level",
                    "level",
                    "justification",
                    "evidence_text",
                    "evidence_links",
                    "owner",
                    "due_date",
                    "needs_check",
                    "status",
                ],
            )
        result.answers += len(to_create)
    event_log(
        actor=actor,
        action="cyber.carry_forward",
        summary=f"Carried {result.carried} answers forward from {previous} to {new_cycle}",
        obj=new_cycle,
        organisation=new_cycle.organisation,
        data={
            "from_cycle": previous.pk,
            "from_version": previous.framework.version,
            "to_version": new_cycle.framework.version,
            "assessments_created": result.assessments,
            "answers_created": result.answers,
            "answers_carried": result.carried,
        },
    )
    return result


def _source_for(
    node: Node, by_node_id: dict[str, OutcomeAnswer], same_version: bool, mapping: Any
) -> _Source | None:
    if same_version:
        old = by_node_id.get(node.node_id)
        return _Source([old], same_version=True) if old is not None else None
    if node.node_id not in mapping:
        return None
    entry = mapping[node.node_id]
    if entry.change not in {"same", "renamed", "renumbered", "replaced"}:
        return None  # new outcomes start empty
    olds = [by_node_id[n.node_id] for n in entry.from_nodes if n.node_id in by_node_id]
    if not olds:
        return None
    return _Source(olds, same_version=False, replaced=entry.change == "replaced")
