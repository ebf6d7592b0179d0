"""The benchmark at the sector's full size: 4,000 councils with 4 assessments each, every outcome
judged. Slow (about a minute), so it runs only with HUB_SCALE_TESTS=1:

    HUB_SCALE_TESTS=1 .venv/bin/pytest -q -s localdigital/cyber/tests/test_benchmark_scale.py
"""

import os
import random
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.cyber.selectors.benchmark import BenchmarkFilters, sector_benchmark
from localdigital.frameworks.models import Level, Node
from localdigital.organisations.models import Organisation

pytestmark = pytest.mark.skipif(
    not os.environ.get("HUB_SCALE_TESTS"), reason="set HUB_SCALE_TESTS=1 to run"
)

COUNCILS = 4000
REGIONS = ["London", "North West", "South East", "Wales", "Scotland"]
TYPES = [("LBO", "London borough"), ("NMD", "District"), ("UTA", "Unitary"), ("CTY", "County")]


def test_the_sector_benchmark_at_four_thousand_councils(caf, verified_client, people):
    rng = random.Random(7)
    outcomes = list(Node.objects.filter(framework=caf, type="outcome"))
    levels: dict[int, list[Level]] = {}
    for level in Level.objects.filter(node__in=outcomes, rank__isnull=False):
        levels.setdefault(level.node_id, []).append(level)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            code=f"S{n:05d}",
            name=f"Scale {n} Council",
            short_name=f"Scale {n}",
            region=REGIONS[n % len(REGIONS)],
            la_type=TYPES[n % len(TYPES)][0],
            la_type_name=TYPES[n % len(TYPES)][1],
        )
        for n in range(COUNCILS)
    )
    cycles = Cycle.objects.bulk_create(
        Cycle(organisation=organisation, year=year, framework=caf)
        for organisation in organisations
        for year in (2025, 2026)
    )
    statuses = [Assessment.Status.ASSURED, Assessment.Status.APPROVED]
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=rng.choice(statuses))
        for cycle in cycles
    ) + Assessment.objects.bulk_create(
        Assessment(
            cycle=cycle,
            kind=Assessment.Kind.SYSTEM,
            system_name="Revenues and benefits",
            status=rng.choice(statuses),
        )
        for cycle in cycles
    )
    OutcomeAnswer.objects.bulk_create(
        (
            OutcomeAnswer(assessment=assessment, node=node, level=rng.choice(levels[node.pk]))
            for assessment in assessments
            for node in outcomes
        ),
        batch_size=5000,
    )
    print(f"\n{len(assessments)} assessments, {OutcomeAnswer.objects.count()} answers")
    for filters in (
        BenchmarkFilters(),
        BenchmarkFilters(include_approved=True, region="London"),
        BenchmarkFilters(year=2025, council_type="CTY"),
    ):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = sector_benchmark(filters)
        took = time.perf_counter() - started
        print(f"{filters}: {len(queries)} queries, {took:.2f} s, {len(result.outcomes)} outcomes")
        assert len(queries) <= 8
    client = verified_client(people["staff"])
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cyber:benchmark")).status_code == 200
    print(f"page: {len(queries)} queries, {time.perf_counter() - started:.2f} s")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
        print(f"  {query['time']} s: {query['sql'][:160]}")
