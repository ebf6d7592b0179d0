"""Generated cyber health for the benchmark: 400 councils with a CAF 4.0 cycle at 1x, 4,000 at 10x.

Each council's 2026 cycle has four assessments, as the issue sizes the sector: one of the
organisation (objectives A and D) and three of critical systems (B and C), with every outcome
judged, so the sector benchmark counts about 40,000 judgements at 1x and 400,000 at 10x. Most
assessments are assured, some approved, submitted or still drafts, and every cycle answers the
ransomware readiness questionnaire, so the offline-backup figure has data. Half the councils
also have a 2025 cycle with an assured organisation assessment, so the benchmark's year filter
has two years to choose from.

The first council is the bench council: its organisation assessment is a draft, answered
throughout, and a CAF lead with a confirmed authenticator works on it. `sign_in` in
bench/cyber_pages.py makes that person's session, and programme staff's, for the signed-in pages.
Everything comes from a seeded generator.
"""

import random
import sys
from collections.abc import Iterable
from typing import Any

COUNCILS_AT_1X = 400
SYSTEMS_PER_COUNCIL = 3
SYSTEM_NAMES = ["Revenues and benefits", "Social care case management", "Payments", "Housing"]
YEAR = 2026
BATCH = 5_000
BENCH_LEAD_EMAIL = "bench.caf.lead@bench.example"
BENCH_STAFF_EMAIL = "bench.cyber.staff@bench.example"
# Assessment statuses with their weights: most of the sector has been assured.
STATUSES = [
    ("assured", 55),
    ("approved", 15),
    ("submitted", 8),
    ("under_assurance", 7),
    ("internal_review", 5),
    ("draft", 10),
]
# Chances of each level by rank, best last: objective A and D weaker than B and C, as early CAF
# rounds found.
LEVEL_WEIGHTS = {"A": [30, 35, 35], "B": [20, 30, 50], "C": [25, 35, 40], "D": [35, 30, 35]}
BACKUP_ANSWERS = [("yes", 88), ("partly", 8), ("no", 4)]


def log(message: str) -> None:
    print(f"[bench.cyber_data] {message}", file=sys.stderr, flush=True)


class _Rows:
    """Multi-row raw inserts into one model's table: every column starts from the field's
    default, prepared once, so a row costs only the handful of values that differ. The ORM's
    bulk_create prepares every field of every object, which dominates at 400,000 rows."""

    def __init__(self, model: Any) -> None:
        from django.db import connection
        from django.utils import timezone

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        defaults: dict[str, Any] = {}
        for field in self.fields:
            if field.attname in ("created_at", "updated_at"):
                value = now
            elif field.has_default():
                value = field.get_default()
            else:
                value = None
            defaults[field.attname] = field.get_db_prep_save(value, connection)
        self.defaults = defaults
        self.positions = {f.attname: i for i, f in enumerate(self.fields)}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - no input
        self.template = [defaults[f.attname] for f in self.fields]

    def insert(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows given as {attname: plain value} (ids, strings, booleans); returns how
        many. Values must not need preparing: no dates, JSON or decimals."""
        written = 0
        batch: list[list[Any]] = []
        with self.connection.cursor() as cursor:
            for values in rows:
                row = self.template.copy()
                for name, value in values.items():
                    row[self.positions[name]] = value
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(self.sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                written += len(batch)
        return written


def _levels_by_outcome(framework: Any) -> dict[str, list[tuple[int, Any]]]:
    """Objective letter and ranked levels (worst first) of every outcome of `framework`."""
    from localdigital.frameworks.models import Level, Node

    outcomes = {
        node.pk: node.code for node in Node.objects.filter(framework=framework, type="outcome")
    }
    levels: dict[int, list[Any]] = {pk: [] for pk in outcomes}
    for level in Level.objects.filter(node_id__in=outcomes, rank__isnull=False).order_by("rank"):
        levels[level.node_id].append(level)
    return {code: [(pk, level) for level in levels[pk]] for pk, code in outcomes.items()}


def _pick(rng: random.Random, ranked: list[Any], weights: list[int]) -> Any:
    """A level from the worst-first list, weighted towards the objective's usual spread (levels
    missing from an outcome - no "partially achieved" - fold into their neighbours)."""
    if len(ranked) == len(weights):
        return rng.choices(ranked, weights)[0]
    return rng.choices(ranked, [weights[0] + weights[1], weights[2]])[0]


def generate_cyber(rng: random.Random, organisations: list[Any], scale: int) -> dict[str, Any]:
    """Bulk-insert the cycles, assessments, judgements, readiness answers and the bench people
    for `scale`. COUNCILS_AT_1X x scale of `organisations` take part, chosen in a seeded shuffle:
    current ones first, then (the reference data has 397 current organisations, 3 short of 400)
    ended ones."""
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from localdigital.accounts.models import User
    from localdigital.cyber.models import OBJECTIVES_BY_KIND as OBJECTIVES
    from localdigital.cyber.models import (
        Assessment,
        CyberRole,
        Cycle,
        OutcomeAnswer,
        ReadinessAnswer,
    )
    from localdigital.frameworks.models import Framework, Level, Node
    from localdigital.organisations.models import Membership

    caf = Framework.objects.get(framework_id="caf", version="4.0")
    caf_previous = Framework.objects.get(framework_id="caf", version="3.2")
    readiness = Framework.objects.filter(framework_id="ransomware-readiness").latest(
        "version_order"
    )
    wanted = COUNCILS_AT_1X * scale
    if len(organisations) < wanted:
        raise SystemExit(f"{wanted} councils wanted for cyber health, {len(organisations)} exist")
    current_ones = [o for o in organisations if o.is_current]
    ended_ones = [o for o in organisations if not o.is_current]
    rng.shuffle(current_ones)
    rng.shuffle(ended_ones)
    chosen = (current_ones + ended_ones)[:wanted]
    outcomes = _levels_by_outcome(caf)
    outcomes_previous = _levels_by_outcome(caf_previous)
    statuses, status_weights = zip(*STATUSES, strict=True)
    with transaction.atomic():
        cycles = Cycle.objects.bulk_create(
            [Cycle(organisation=o, year=YEAR, framework=caf) for o in chosen]
            + [Cycle(organisation=o, year=YEAR - 1, framework=caf_previous) for o in chosen[::2]],
            batch_size=BATCH,
        )
        current, previous = cycles[: len(chosen)], cycles[len(chosen) :]
        assessments: list[Assessment] = []
        for index, cycle in enumerate(current):
            bench = index == 0
            status = "draft" if bench else rng.choices(statuses, status_weights)[0]
            assessments.append(
                Assessment(cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=status)
            )
            for name in rng.sample(SYSTEM_NAMES, SYSTEMS_PER_COUNCIL):
                status = rng.choices(statuses, status_weights)[0]
                assessments.append(
                    Assessment(
                        cycle=cycle, kind=Assessment.Kind.SYSTEM, system_name=name, status=status
                    )
                )
        for cycle in previous:
            assessments.append(
                Assessment(cycle=cycle, kind=Assessment.Kind.ORGANISATION, status="assured")
            )
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)

        def answers() -> Iterable[dict[str, Any]]:
            for assessment in assessments:
                objectives = OBJECTIVES[assessment.kind]
                levels = outcomes if assessment.cycle.framework_id == caf.pk else outcomes_previous
                for code, ranked in levels.items():
                    if code[0] not in objectives:
                        continue
                    node_id, level = _pick(rng, ranked, LEVEL_WEIGHTS[code[0]])
                    yield {
                        "assessment_id": assessment.pk,
                        "node_id": node_id,
                        "status": OutcomeAnswer.Status.COMPLETED.value,
                        "suggested_level_id": level.pk,
                        "level_id": level.pk,
                        "justification": "Checked against the evidence held.",
                    }

        judgements = _Rows(OutcomeAnswer).insert(answers())
        questions = list(Node.objects.filter(framework=readiness, assessable=True))
        choices = {
            question.pk: list(Level.objects.filter(node=question).order_by("rank"))
            for question in questions
        }
        readiness_rows = []
        for cycle in current:
            for question in questions:
                if question.answer == Node.Answer.DATE:
                    continue
                if question.node_id == "ransomware:backups":
                    key = rng.choices(*zip(*BACKUP_ANSWERS, strict=True))[0]
                    level = next(lv for lv in choices[question.pk] if lv.key == key)
                else:
                    level = rng.choice(choices[question.pk]) if choices[question.pk] else None
                readiness_rows.append(ReadinessAnswer(cycle=cycle, node=question, level=level))
        ReadinessAnswer.objects.bulk_create(readiness_rows, batch_size=BATCH)
        verified = timezone.now()
        lead = User.objects.create_user(
            email=BENCH_LEAD_EMAIL,
            full_name="Bench CAF lead",
            password=None,
            email_verified_at=verified,
        )
        staff = User.objects.create_user(
            email=BENCH_STAFF_EMAIL,
            full_name="Bench programme staff",
            password=None,
            is_programme_staff=True,
            email_verified_at=verified,
        )
        bench_council = chosen[0]
        Membership.objects.create(
            user=lead, organisation=bench_council, status=Membership.Status.ACTIVE
        )
        CyberRole.objects.create(organisation=bench_council, user=lead, role=CyberRole.Role.LEAD)
        for person in (lead, staff):
            TOTPDevice.objects.create(user=person, name="Bench authenticator", confirmed=True)
    return {
        "cyber_councils": len(chosen),
        "cyber_cycles": len(cycles),
        "cyber_assessments": len(assessments),
        "cyber_judgements": judgements,
        "cyber_readiness_answers": len(readiness_rows),
    }
