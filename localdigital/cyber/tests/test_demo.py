"""The demo CAF cycles seed_demo makes: every stage for the demo councils, assurers from another
council, generated `is_demo` cycles that fill the benchmark, which then says it includes
generated demo data, and nothing changed by a second run."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from localdigital.accounts import demo as people_demo
from localdigital.accounts.models import User
from localdigital.cyber.demo import pick_level, seed_cyber_demo
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer, PlanAction
from localdigital.cyber.selectors.benchmark import BenchmarkFilters, sector_benchmark
from localdigital.cyber.selectors.readiness import offline_backup_share
from localdigital.frameworks.models import Level, Node
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import OrganisationFactory

Status = Assessment.Status
GENERATED = 8


@pytest.fixture
def seeded(caf):
    """The four demo councils and eight others (a small stand-in for the real list), seeded
    once through seed_demo."""
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    for code in people_demo.DEMO_COUNCILS:
        OrganisationFactory(code=code, short_name=code)
    for n in range(GENERATED):
        OrganisationFactory(
            code=f"G{n:02d}",
            la_type="MD" if n % 2 else "LBO",
            region="North West" if n % 2 else "London",
        )
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def statuses(code, year=2026):
    return Counter(
        Assessment.objects.filter(cycle__organisation__code=code, cycle__year=year).values_list(
            "status", flat=True
        )
    )


def test_seeding_makes_cycles_at_every_stage_and_a_second_run_changes_nothing(seeded):
    hackney = Cycle.objects.get(organisation__code="HCK", year=2026)
    previous = Cycle.objects.get(organisation__code="HCK", year=2025)
    assert hackney.previous == previous
    assert previous.framework.version == "3.2"
    assert hackney.framework.version == "4.0"
    assert set(statuses("HCK", 2025)) == {Status.ASSURED}
    assert set(statuses("HCK")) == {Status.DRAFT}
    assert 3 <= hackney.assessments.count() <= 4
    answers = Counter(
        OutcomeAnswer.objects.filter(assessment__cycle=hackney).values_list("status", flat=True)
    )
    assert answers[OutcomeAnswer.Status.COMPLETED]
    assert answers[OutcomeAnswer.Status.NOT_STARTED]
    # Carried forward from 2025, waiting for someone to check they still hold.
    assert OutcomeAnswer.objects.filter(assessment__cycle=hackney, needs_check=True).exists()
    assert OutcomeAnswer.objects.filter(
        assessment__cycle=hackney, assigned_to__email="hackney.member@localdigital.example"
    ).exists()
    assert PlanAction.objects.filter(assessment__cycle=hackney).count() == 2
    assert 0 < hackney.readiness_answers.count() < 8

    manchester = statuses("MAN")
    assert manchester[Status.UNDER_ASSURANCE] == 1
    assert manchester[Status.SUBMITTED] >= 2
    assert set(statuses("KEN")) == {Status.ASSURED}
    assert set(statuses("LDS")) == {Status.APPROVED}
    kent = OutcomeAnswer.objects.filter(assessment__cycle__organisation__code="KEN")
    assert not kent.filter(assurer_agrees__isnull=True).exists()
    assert kent.filter(assurer_agrees=True).count() > kent.filter(assurer_agrees=False).count()
    for code in people_demo.DEMO_COUNCILS:
        assert not Cycle.objects.get(organisation__code=code, year=2026).is_demo
        assert Assessment.objects.filter(
            cycle__organisation__code=code, kind=Assessment.Kind.SYSTEM, system__isnull=False
        ).exists()

    # Every other council got one generated cycle, marked and labelled.
    generated = Cycle.objects.filter(is_demo=True)
    assert generated.count() == GENERATED
    assert set(generated.values_list("organisation__code", flat=True)) == {
        f"G{n:02d}" for n in range(GENERATED)
    }
    assert set(Assessment.objects.filter(cycle__is_demo=True).values_list("status", flat=True)) == {
        Status.ASSURED
    }
    generated_answers = OutcomeAnswer.objects.filter(assessment__cycle__is_demo=True)
    assert not generated_answers.exclude(justification__contains="Generated demo").exists()

    counts = (Cycle.objects.count(), Assessment.objects.count(), OutcomeAnswer.objects.count())
    assert not any(seed_cyber_demo().values())
    assert (Cycle.objects.count(), Assessment.objects.count(), OutcomeAnswer.objects.count()) == (
        counts
    )


def test_every_cyber_person_and_assurer_is_from_the_right_council(seeded):
    for cycle in Cycle.objects.filter(is_demo=False).select_related("assurer"):
        assert cycle.assurer is not None
        assert not Membership.objects.filter(
            user=cycle.assurer, organisation=cycle.organisation_id
        ).exists(), cycle
    assert Cycle.objects.get(organisation__code="HCK", year=2026).assurer.email == (
        "kent.admin@localdigital.example"
    )
    for role in CyberRole.objects.all():
        assert Membership.objects.filter(
            user=role.user, organisation=role.organisation, status=Membership.Status.ACTIVE
        ).exists()
    # Everyone with a cyber role, and every assurer, has the demo authenticator.
    cyber_people = User.objects.filter(cyber_roles__isnull=False) | User.objects.filter(
        cyber_assurances__isnull=False
    )
    for user in cyber_people.distinct():
        assert user.totpdevice_set.filter(name=people_demo.DEMO_DEVICE_NAME).exists(), user


def test_the_benchmark_over_the_demo_shows_figures_and_says_they_include_demo_data(
    seeded, verified_client
):
    benchmark = sector_benchmark()
    assert benchmark.year == 2026
    assert benchmark.includes_demo_data
    assert all(not row.suppressed for row in benchmark.objectives)
    assert any(not row.suppressed for row in benchmark.outcomes)
    # Mostly achieved or partially achieved, some not achieved.
    levels = Counter(
        OutcomeAnswer.objects.filter(assessment__cycle__is_demo=True).values_list(
            "level__key", flat=True
        )
    )
    assert levels["achieved"] > levels["not-achieved"] > 0
    assert levels["partially-achieved"] > 0
    backups = offline_backup_share()
    assert not backups.suppressed
    assert backups.includes_demo_data
    staff = User.objects.get(email="staff@localdigital.example")
    page = verified_client(staff).get(reverse("cyber:benchmark"))
    assert page.status_code == 200
    assert page.content.decode().count("These figures include generated demo data") == 2
    lead = User.objects.get(email="kent.admin@localdigital.example")
    own = verified_client(lead).get(reverse("cyber:council_benchmark", kwargs={"code": "KEN"}))
    assert own.status_code == 200
    assert "These figures include generated demo data" in own.content.decode()


def test_a_benchmark_without_demo_cycles_does_not_say_so(caf):
    node = Node.objects.get(framework=caf, code="A1.a")
    achieved = Level.objects.get(node=node, key="achieved")
    for _ in range(5):
        cycle = Cycle.objects.create(organisation=OrganisationFactory(), year=2026, framework=caf)
        assessment = Assessment.objects.create(
            cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=Status.ASSURED
        )
        OutcomeAnswer.objects.create(assessment=assessment, node=node, level=achieved)
    benchmark = sector_benchmark(BenchmarkFilters(year=2026))
    assert not benchmark.includes_demo_data
    assert next(row for row in benchmark.outcomes if row.code == "A1.a").councils == 5


def test_generated_levels_follow_the_objective_weights(caf):
    import random

    node = Node.objects.get(framework=caf, code="B4.a")
    levels = {level.key: level for level in Level.objects.filter(node=node)}
    rng = random.Random(1)
    picks = Counter(pick_level(rng, levels, "B").key for _ in range(2000))
    assert picks["achieved"] > picks["partially-achieved"] > picks["not-achieved"] > 200
    two_level = {
        level.key: level for level in Level.objects.filter(node__framework=caf, node__code="A1.a")
    }
    assert set(Counter(pick_level(rng, two_level, "A").key for _ in range(200))) == {
        "achieved",
        "not-achieved",
    }


def test_the_api_says_when_its_figures_include_demo_data(seeded, client, verified_client):
    from localdigital.accounts.tests.factories import UserFactory

    assert client.get("/api/v1/cyber/readiness/offline-backups/").json()["includes_demo_data"]
    staff = verified_client(UserFactory(is_programme_staff=True))
    assert staff.get("/api/v1/cyber/benchmark/").json()["includes_demo_data"] is True


def test_the_api_says_so_only_when_demo_cycles_are_counted(client, verified_client, people):
    backups = client.get("/api/v1/cyber/readiness/offline-backups/").json()
    assert backups["includes_demo_data"] is False
    benchmark = verified_client(people["staff"]).get("/api/v1/cyber/benchmark/").json()
    assert benchmark["includes_demo_data"] is False
