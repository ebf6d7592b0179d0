"""Demo CAF cycles for local development: `seed_demo` calls `seed_cyber_demo()`.

The four demo councils (accounts/demo.py) get cycles at every stage, written through the cyber
services as the pages would write them, by their demo people:

- Hackney: a 2025 cycle on CAF 3.2, assured, and a 2026 cycle on CAF 4.0 started from it (its
  answers carried forward through the crosswalk, marked "check this still holds"), in progress:
  some outcomes confirmed, some not started, a few assigned to the contributor, two plan
  actions and the readiness questionnaire partly answered.
- Manchester 2026: submitted, its organisation assessment under assurance.
- Kent 2026: assured, the assurer agreeing with most judgements.
- Leeds 2026: approved internally, not yet submitted.

Each cycle's assurer is the CAF lead of another demo council (`ASSURED_BY`), never its own.

A benchmark of four councils shows nothing (groups under 5 are suppressed), so about 60 other
real councils, picked by a fixed rule, get a generated 2026 cycle: an organisation and two
system assessments, assured, with readiness answers. Those cycles are marked `is_demo` and
their justifications say they are generated, so the benchmark and the offline-backups figure say
"These figures include generated demo data". They are written in bulk: there are thousands of
answers and nobody made them.

Safe to rerun: a council that already has a cycle for a year keeps it as it is (whoever made
it), a role already held is not granted again, so a second run changes nothing.
"""

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from localdigital.accounts import demo as people_demo
from localdigital.accounts.models import User
from localdigital.cyber.models import (
    Assessment,
    CyberRole,
    Cycle,
    OutcomeAnswer,
    ReadinessAnswer,
)
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.cyber.selectors.readiness import readiness_questions
from localdigital.cyber.services import answers as answer_services
from localdigital.cyber.services import workflow
from localdigital.cyber.services.assurers import cycle_assign_assurer
from localdigital.cyber.services.cycles import assessment_add_system, cycle_start
from localdigital.cyber.services.plan import action_create
from localdigital.cyber.services.readiness import ReadinessInput, readiness_save
from localdigital.cyber.services.roles import role_grant
from localdigital.estate.models import System
from localdigital.frameworks.models import Framework, Level, Node, Profile
from localdigital.organisations.models import Organisation

SEED = 20_261_202
YEAR = 2026
PREVIOUS_YEAR = 2025
GENERATED_COUNCILS = 60
SYSTEMS_PER_CYCLE = 2
GENERATED_NOTE = "(Generated demo judgement: not this council's real assessment.)"

# The stage each demo council's 2026 cycle is left at.
IN_PROGRESS = "in_progress"
UNDER_ASSURANCE = "under_assurance"
ASSURED = "assured"
APPROVED = "approved"
STAGES = {"HCK": IN_PROGRESS, "MAN": UNDER_ASSURANCE, "KEN": ASSURED, "LDS": APPROVED}
# Council -> the demo council whose CAF lead assures its cycles: never the same council.
ASSURED_BY = {"HCK": "KEN", "MAN": "LDS", "KEN": "HCK", "LDS": "MAN"}

# Functions whose systems a council would most likely call critical, most critical first.
CRITICAL_FUNCTIONS = [
    "adult-social-care-case-management",
    "childrens-social-care",
    "revenues-and-benefits",
    "payments-and-income-management",
    "identity-and-access",
    "housing-management",
    "finance",
    "hr-and-payroll",
    "electoral-registration",
]
FALLBACK_SYSTEM_NAMES = ["Social care case management", "Revenues and benefits"]

# Share of outcomes judged achieved, partially achieved and not achieved, per objective:
# governance and response (A, D) tend to be further on than technical protection (B, C).
OBJECTIVE_WEIGHTS = {
    "A": (0.55, 0.30, 0.15),
    "B": (0.45, 0.35, 0.20),
    "C": (0.35, 0.40, 0.25),
    "D": (0.50, 0.30, 0.20),
}
JUSTIFICATIONS = {
    "achieved": [
        "In place and working: reviewed by the information governance board this year.",
        "Documented, tested this year and owned by a named officer; evidence in the cyber folder.",
        "Meets every achieved indicator; checked against the evidence at the last internal audit.",
    ],
    "partially-achieved": [
        "In place for most services, but not yet for the systems our suppliers run.",
        "A policy exists but has not been reviewed since the restructure; a review is booked.",
        "Done for the corporate network; the schools and leisure networks are not covered yet.",
    ],
    "not-achieved": [
        "Not in place yet: it is in the improvement plan for this year.",
        "We found no evidence of this during the self-assessment; an action is in the plan.",
        "Started but stalled: the post that owned it has been vacant since the spring.",
    ],
}
DISAGREEMENTS = [
    "The evidence covers the corporate network only, so I would judge this partially achieved.",
    "The policy given as evidence is out of date: the council should confirm it still applies.",
    "I could not see a test of this in the last year; please add the test report.",
]
PLAN_ACTIONS = [
    (
        "Test restoring the social care case management system from the offline backup and "
        "record how long it takes.",
        "high",
        90,
    ),
    (
        "Agree a joiners, movers and leavers process with HR so accounts are removed the day "
        "someone leaves.",
        "medium",
        180,
    ),
]
# Readiness answers: question id -> weights of its levels, best first (by rank). Backups follow
# the programme's published figure: 90% of councils hold offline backups of critical data.
READINESS_WEIGHTS = {
    "ransomware:backups": (0.90, 0.07, 0.03),
    "ransomware:mfa-remote": (0.70, 0.20, 0.10),
    "ransomware:mfa-privileged": (0.55, 0.30, 0.15),
    "ransomware:patching": (0.45, 0.40, 0.15),
    "ransomware:unsupported-software": (0.30, 0.45, 0.25),
    "ransomware:response-plan": (0.60, 0.30, 0.10),
}
NEVER_SHARE = 0.12  # of date questions answered "never"


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (SEED, *parts)))  # noqa: S311 - demo data


def _weighted(rng: random.Random, values: Sequence[Any], weights: Sequence[float]) -> Any:
    cumulative = list(itertools.accumulate(weights))
    return values[min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), len(values) - 1)]


def pick_level(
    rng: random.Random, levels: dict[str, Level], objective: str, shift: float = 0.0
) -> Level:
    """A plausible judgement of one outcome: weighted by its objective, moved up or down by the
    council's `shift`. An outcome without "partially achieved" splits that share."""
    achieved, partial, not_achieved = OBJECTIVE_WEIGHTS.get(objective, (0.45, 0.35, 0.20))
    achieved = max(0.05, achieved + shift)
    not_achieved = max(0.02, not_achieved - shift)
    if "partially-achieved" not in levels:
        achieved, partial, not_achieved = achieved + partial / 2, 0.0, not_achieved + partial / 2
    keys = ["achieved", "partially-achieved", "not-achieved"]
    weights = [achieved, partial, not_achieved]
    pairs = [(k, w) for k, w in zip(keys, weights, strict=True) if k in levels and w > 0]
    key = _weighted(rng, [k for k, _ in pairs], [w for _, w in pairs])
    return levels[key]


def _levels_by_node(framework: Framework) -> dict[int, dict[str, Level]]:
    levels: dict[int, dict[str, Level]] = defaultdict(dict)
    for level in Level.objects.filter(node__framework=framework, rank__isnull=False):
        levels[level.node_id][level.key] = level
    return levels


def _justification(rng: random.Random, level: Level) -> str:
    return rng.choice(JUSTIFICATIONS.get(level.key, JUSTIFICATIONS["partially-achieved"]))


def _critical_systems(systems: list[System], count: int) -> list[System]:
    """The council's most critical-looking systems: marked critical first, then by function."""
    rank = {key: n for n, key in enumerate(CRITICAL_FUNCTIONS)}
    eligible = [s for s in systems if s.function.key in rank or s.critical]
    eligible.sort(key=lambda s: (not s.critical, rank.get(s.function.key, len(rank)), s.pk))
    chosen: list[System] = []
    seen: set[object] = set()
    for system in eligible:  # one system a function and a name, so the assessments differ
        if system.function_id in seen or system.display_name in seen:
            continue
        chosen.append(system)
        seen.update({system.function_id, system.display_name})
        if len(chosen) == count:
            break
    return chosen


def _systems_by_council(organisations: list[Organisation]) -> dict[int, list[System]]:
    found: dict[int, list[System]] = defaultdict(list)
    for system in System.objects.filter(organisation__in=organisations).select_related(
        "function", "product"
    ):
        found[system.organisation_id].append(system)
    return found


def readiness_inputs(
    rng: random.Random, questions: list[Node], today: dt.date, shift: float = 0.0
) -> dict[str, ReadinessInput]:
    """Plausible answers to every readiness question."""
    answers = {}
    for question in questions:
        if question.answer == Node.Answer.DATE:
            never = rng.random() < max(0.0, NEVER_SHARE - shift / 2)
            days = 20 + int(rng.random() * 520)
            answers[question.node_id] = ReadinessInput(
                date_value=None if never else today - dt.timedelta(days=days)
            )
            continue
        levels = sorted(question.levels.all(), key=lambda level: -(level.rank or 0))
        weights = list(READINESS_WEIGHTS.get(question.node_id, (1.0,) * len(levels)))
        weights = (weights + [weights[-1]] * len(levels))[: len(levels)]
        weights[0] = max(0.05, weights[0] + shift)
        weights[-1] = max(0.02, weights[-1] - shift)
        level = _weighted(rng, levels, weights)
        answers[question.node_id] = ReadinessInput(level=level.key)
    return answers


@dataclass
class _People:
    """The demo people of one council by cyber role, and programme staff."""

    lead: User
    contributor: User
    approver: User
    admin: User


class _Seeder:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.today = timezone.localdate()
        self.caf4 = Framework.objects.get(framework_id="caf", version="4.0")
        self.caf32 = Framework.objects.filter(framework_id="caf", version="3.2").first()
        self.questions = readiness_questions()
        self.levels: dict[int, dict[int, dict[str, Level]]] = {}

    def levels_of(self, framework: Framework) -> dict[int, dict[str, Level]]:
        if framework.pk not in self.levels:
            self.levels[framework.pk] = _levels_by_node(framework)
        return self.levels[framework.pk]

    # The four demo councils, through the services.
    def demo_councils(self) -> None:
        organisations = {
            o.code: o for o in Organisation.objects.filter(code__in=people_demo.DEMO_COUNCILS)
        }
        users = {u.email: u for u in User.objects.filter(email__in=self._demo_emails())}
        staff = next(users[p.email] for p in people_demo.DEMO_PEOPLE if p.programme_staff)
        teams = {code: self._roles(organisations[code], code, users) for code in organisations}
        systems = _systems_by_council(list(organisations.values()))
        for code, organisation in organisations.items():
            team = teams[code]
            assurer = teams[ASSURED_BY[code]].lead
            chosen = _critical_systems(systems[organisation.pk], SYSTEMS_PER_CYCLE + 1)
            if code == "HCK":
                self._hackney(organisation, team, assurer, staff, chosen)
                continue
            if Cycle.objects.filter(organisation=organisation, year=YEAR).exists():
                continue
            rng = _rng("demo", code, YEAR)
            cycle = self._full_cycle(
                organisation, team, YEAR, self.caf4, None, chosen[:SYSTEMS_PER_CYCLE], rng
            )
            self._assign(cycle, staff, assurer)
            self._move(cycle, team, assurer, STAGES[code], rng)

    @staticmethod
    def _demo_emails() -> list[str]:
        return [p.email for p in people_demo.DEMO_PEOPLE]

    def _roles(self, organisation: Organisation, code: str, users: dict[str, User]) -> _People:
        people = [p for p in people_demo.DEMO_PEOPLE if p.council == code and not p.pending]
        admin = next(users[p.email] for p in people if p.role == "admin")
        holders: dict[str, User] = {}
        held = set(
            CyberRole.objects.filter(organisation=organisation).values_list("user_id", "role")
        )
        for person in people:
            if not person.cyber_role:
                continue
            user = users[person.email]
            holders.setdefault(person.cyber_role, user)
            if (user.pk, person.cyber_role) not in held:
                role_grant(
                    actor=admin, organisation=organisation, user=user, role=person.cyber_role
                )
                self.counts["roles_granted"] += 1
        return _People(
            lead=holders["lead"],
            contributor=holders["contributor"],
            approver=holders["approver"],
            admin=admin,
        )

    def _hackney(
        self,
        organisation: Organisation,
        team: _People,
        assurer: User,
        staff: User,
        chosen: list[System],
    ) -> None:
        cycles = set(Cycle.objects.filter(organisation=organisation).values_list("year", flat=True))
        if PREVIOUS_YEAR not in cycles and YEAR not in cycles and self.caf32 is not None:
            rng = _rng("demo", "HCK", PREVIOUS_YEAR)
            baseline = Profile.objects.filter(framework=self.caf32, profile_id="baseline").first()
            cycle = self._full_cycle(
                organisation,
                team,
                PREVIOUS_YEAR,
                self.caf32,
                baseline,
                chosen[:SYSTEMS_PER_CYCLE],
                rng,
            )
            self._assign(cycle, staff, assurer)
            self._move(cycle, team, assurer, ASSURED, rng)
        if YEAR in cycles:
            return
        rng = _rng("demo", "HCK", YEAR)
        # Started from 2025: its answers come forward through the crosswalk.
        cycle = cycle_start(
            actor=team.lead, organisation=organisation, year=YEAR, framework=self.caf4
        )
        self.counts["cycles_created"] += 1
        self.counts["assessments_created"] += cycle.assessments.count()
        have = set(cycle.assessments.values_list("system_id", flat=True))
        for system in chosen:
            if system.pk not in have:  # a third system, new this year
                assessment_add_system(actor=team.lead, cycle=cycle, system=system)
                self.counts["assessments_created"] += 1
                break
        self._assign(cycle, staff, assurer)
        self._in_progress(cycle, team, rng)

    def _full_cycle(
        self,
        organisation: Organisation,
        team: _People,
        year: int,
        framework: Framework,
        profile: Profile | None,
        systems: list[System],
        rng: random.Random,
    ) -> Cycle:
        """A cycle with its organisation and system assessments, every outcome confirmed, and
        the readiness questionnaire answered."""
        cycle = cycle_start(
            actor=team.lead,
            organisation=organisation,
            year=year,
            framework=framework,
            profile=profile,
        )
        self.counts["cycles_created"] += 1
        self.counts["assessments_created"] += 1
        for system in systems:
            assessment_add_system(actor=team.lead, cycle=cycle, system=system)
            self.counts["assessments_created"] += 1
        if not systems:
            for name in FALLBACK_SYSTEM_NAMES[:SYSTEMS_PER_CYCLE]:
                Assessment.objects.create(
                    cycle=cycle, kind=Assessment.Kind.SYSTEM, system_name=name
                )
                self.counts["assessments_created"] += 1
                self._fill_missing_answers(cycle)
        shift = rng.uniform(-0.1, 0.15)
        for assessment in cycle.assessments.all():
            for answer in self._answers(assessment):
                self._confirm(answer, team.lead, framework, rng, shift)
        self._readiness(cycle, team.lead, rng, shift)
        return cycle

    def _fill_missing_answers(self, cycle: Cycle) -> None:
        for assessment in cycle.assessments.filter(answers__isnull=True):
            OutcomeAnswer.objects.bulk_create(
                OutcomeAnswer(assessment=assessment, node=node)
                for node in outcome_nodes(cycle.framework, assessment.kind)
            )

    @staticmethod
    def _answers(assessment: Assessment) -> list[OutcomeAnswer]:
        return list(
            assessment.answers.select_related(
                "node", "assessment__cycle__organisation", "suggested_level"
            ).order_by("node__position")
        )

    def _confirm(
        self,
        answer: OutcomeAnswer,
        actor: User,
        framework: Framework,
        rng: random.Random,
        shift: float,
    ) -> None:
        levels = self.levels_of(framework).get(answer.node_id)
        if not levels:
            return
        level = pick_level(rng, levels, (answer.node.code or "?")[0], shift)
        answer_services.answer_confirm(
            actor=actor,
            answer=answer,
            level=level,
            justification=_justification(rng, level),
            owner=actor,
        )
        self.counts["answers_confirmed"] += 1

    def _readiness(
        self, cycle: Cycle, actor: User, rng: random.Random, shift: float, *, only: int = 0
    ) -> None:
        if not self.questions:
            return
        inputs = readiness_inputs(rng, self.questions, self.today, shift)
        if only:
            inputs = dict(list(inputs.items())[:only])
        readiness_save(actor=actor, cycle=cycle, answers=inputs)
        self.counts["readiness_answers"] += len(inputs)

    def _assign(self, cycle: Cycle, staff: User, assurer: User) -> None:
        cycle_assign_assurer(actor=staff, cycle=cycle, assurer=assurer)

    def _move(
        self, cycle: Cycle, team: _People, assurer: User, stage: str, rng: random.Random
    ) -> None:
        """Take every assessment of a fully answered cycle to the stage."""
        for number, assessment in enumerate(cycle.assessments.order_by("kind", "pk")):
            workflow.assessment_submit_for_review(actor=team.lead, assessment=assessment)
            workflow.assessment_approve(actor=team.approver, assessment=assessment, verified=True)
            if stage == APPROVED:
                continue
            workflow.assessment_submit(actor=team.lead, assessment=assessment)
            if stage == UNDER_ASSURANCE and number > 0:
                continue  # the systems wait, submitted, while the organisation is assured
            workflow.assessment_start_assurance(actor=assurer, assessment=assessment)
            answers = self._answers(assessment)
            if stage == UNDER_ASSURANCE:
                answers = answers[: len(answers) // 2]
            for answer in answers:
                agrees = rng.random() > 0.08
                workflow.assessment_assure_outcome(
                    actor=assurer,
                    answer=answer,
                    agrees=agrees,
                    comment="" if agrees else rng.choice(DISAGREEMENTS),
                )
            if stage == ASSURED:
                workflow.assessment_complete_assurance(actor=assurer, assessment=assessment)
        self.counts["assessments_moved"] += cycle.assessments.count()

    def _in_progress(self, cycle: Cycle, team: _People, rng: random.Random) -> None:
        """Hackney 2026: some outcomes confirmed, some assigned to the contributor, the rest
        carried forward (check this still holds) or not started; two plan actions; half the
        readiness questionnaire."""
        shift = 0.05
        organisation_assessment = cycle.assessments.get(kind=Assessment.Kind.ORGANISATION)
        answers = self._answers(organisation_assessment)
        for answer in answers[:6]:
            self._confirm(answer, team.lead, self.caf4, rng, shift)
        for answer in answers[6:10]:
            answer_services.answer_assign(
                actor=team.lead, answer=answer, contributor=team.contributor
            )
            self.counts["answers_assigned"] += 1
        for answer in answers[6:8]:
            self._confirm(answer, team.contributor, self.caf4, rng, shift)
        system_assessment = cycle.assessments.filter(kind=Assessment.Kind.SYSTEM).first()
        if system_assessment is not None:
            for answer in self._answers(system_assessment)[:4]:
                self._confirm(answer, team.lead, self.caf4, rng, shift)
        # Two plan actions on the weakest confirmed outcomes.
        judged = [
            a
            for a in self._answers(organisation_assessment)
            if a.status == OutcomeAnswer.Status.COMPLETED and a.level_id is not None
        ]
        judged.sort(key=lambda a: (a.level.rank if a.level else 0, a.node.position))
        owners = [team.lead, team.contributor]
        for (description, priority, days), answer, owner in zip(
            PLAN_ACTIONS, judged, owners, strict=False
        ):
            action_create(
                actor=team.lead,
                assessment=organisation_assessment,
                description=description,
                owner=owner,
                target_date=self.today + dt.timedelta(days=days),
                priority=priority,
                answer=answer,
            )
            self.counts["plan_actions_created"] += 1
        self._readiness(cycle, team.lead, rng, shift, only=4)

    # About 60 other councils, generated in bulk.
    def generated(self) -> None:
        candidates = list(
            Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_current=True)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=self.today))
            .exclude(code__in=people_demo.DEMO_COUNCILS)
            .exclude(la_type="")
            .exclude(region="")
            .order_by("code")
        )
        step = max(1, len(candidates) // GENERATED_COUNCILS)
        picked = candidates[::step][:GENERATED_COUNCILS]
        taken = set(
            Cycle.objects.filter(organisation__in=picked, year=YEAR).values_list(
                "organisation_id", flat=True
            )
        )
        picked = [council for council in picked if council.pk not in taken]
        if not picked:
            return
        systems = _systems_by_council(picked)
        now = timezone.now()
        levels = self.levels_of(self.caf4)
        nodes: dict[str, list[Node]] = {
            kind: list(outcome_nodes(self.caf4, kind))
            for kind in (Assessment.Kind.ORGANISATION, Assessment.Kind.SYSTEM)
        }
        cycles = Cycle.objects.bulk_create(
            Cycle(organisation=council, year=YEAR, framework=self.caf4, is_demo=True)
            for council in picked
        )
        assessments: list[Assessment] = []
        plans: list[tuple[random.Random, float, Assessment, dt.datetime]] = []
        readiness: list[ReadinessAnswer] = []
        for council, cycle in zip(picked, cycles, strict=True):
            rng = _rng("generated", council.code, YEAR)
            shift = rng.uniform(-0.2, 0.2)
            assured_at = now - dt.timedelta(days=5 + int(rng.random() * 60))
            stamps = {
                "status": Assessment.Status.ASSURED,
                "approved_at": assured_at - dt.timedelta(days=30),
                "submitted_at": assured_at - dt.timedelta(days=25),
                "assured_at": assured_at,
            }
            kinds: list[tuple[str, System | None, str]] = [(Assessment.Kind.ORGANISATION, None, "")]
            chosen = _critical_systems(systems[council.pk], SYSTEMS_PER_CYCLE)
            kinds += [(Assessment.Kind.SYSTEM, s, s.display_name[:150]) for s in chosen]
            kinds += [
                (Assessment.Kind.SYSTEM, None, name)
                for name in FALLBACK_SYSTEM_NAMES[: SYSTEMS_PER_CYCLE - len(chosen)]
            ]
            for kind, system, name in kinds:
                assessment = Assessment(
                    cycle=cycle, kind=kind, system=system, system_name=name, **stamps
                )
                assessments.append(assessment)
                plans.append((rng, shift, assessment, assured_at))
            for node_id, given in readiness_inputs(rng, self.questions, self.today, shift).items():
                question = next(q for q in self.questions if q.node_id == node_id)
                level = next((lv for lv in question.levels.all() if lv.key == given.level), None)
                readiness.append(
                    ReadinessAnswer(
                        cycle=cycle,
                        node=question,
                        level=level,
                        date_value=given.date_value,
                        comment=GENERATED_NOTE,
                    )
                )
        Assessment.objects.bulk_create(assessments, batch_size=500)
        answers: list[OutcomeAnswer] = []
        for rng, shift, assessment, assured_at in plans:
            for node in nodes[assessment.kind]:
                node_levels = levels.get(node.pk)
                if not node_levels:
                    continue
                level = pick_level(rng, node_levels, (node.code or "?")[0], shift)
                agrees = rng.random() > 0.06
                answers.append(
                    OutcomeAnswer(
                        assessment=assessment,
                        node=node,
                        status=OutcomeAnswer.Status.COMPLETED,
                        level=level,
                        justification=f"{_justification(rng, level)} {GENERATED_NOTE}",
                        assurer_agrees=agrees,
                        assurer_comment="" if agrees else rng.choice(DISAGREEMENTS),
                        assurer_reviewed_at=assured_at,
                    )
                )
        OutcomeAnswer.objects.bulk_create(answers, batch_size=1000)
        ReadinessAnswer.objects.bulk_create(readiness, batch_size=1000)
        self.counts["demo_cycles_created"] += len(cycles)
        self.counts["demo_assessments_created"] += len(assessments)
        self.counts["demo_answers_created"] += len(answers)
        self.counts["demo_readiness_answers_created"] += len(readiness)


def _frameworks_loaded() -> bool:
    return Framework.objects.filter(framework_id="caf", version="4.0").exists()


@transaction.atomic
def seed_cyber_demo() -> dict[str, int]:
    """Demo CAF cycles for the four demo councils (at every stage) and generated, `is_demo`
    cycles for about 60 other councils. Returns counts of what was created or changed; a second
    run returns only zeros. Loads the shipped frameworks first if CAF 4.0 is missing."""
    if not _frameworks_loaded():
        from localdigital.frameworks.reference_data import load_frameworks

        load_frameworks()
    seeder = _Seeder()
    seeder.demo_councils()
    seeder.generated()
    return dict(seeder.counts)
