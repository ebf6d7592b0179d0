"""The benchmark counts one CAF version at a time, each council once per outcome at its lowest
level, never a judgement the assurer disagreed with; and a council's own page compares its
objectives and its outcomes with councils of its type and region, suppressed below five."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.cyber.selectors.benchmark import (
    BenchmarkFilters,
    council_benchmark,
    sector_benchmark,
)
from localdigital.frameworks.models import Framework, Level, Node
from localdigital.organisations.tests.factories import OrganisationFactory
from localdigital.pipeline.tests.test_api import auth

ASSURED = Assessment.Status.ASSURED
SECTOR = reverse("cyber:benchmark")


@pytest.fixture
def caf32(caf):
    return Framework.objects.get(framework_id="caf", version="3.2")


@pytest.fixture
def judge(caf):
    """Make an assessment judging outcomes on a CAF version: `levels` maps an outcome code to a
    level key, or to (level key, assurer_agrees)."""
    cache = {}

    def lookups(framework):
        if framework.pk not in cache:
            nodes = {n.code: n for n in Node.objects.filter(framework=framework, type="outcome")}
            levels = {
                (level.node.code, level.key): level
                for level in Level.objects.filter(node__framework=framework).select_related("node")
            }
            cache[framework.pk] = (nodes, levels)
        return cache[framework.pk]

    def make(
        levels_by_code,
        *,
        framework=None,
        organisation=None,
        system="",
        status=ASSURED,
        year=2026,
        **council,
    ):
        framework = framework or caf
        nodes, levels = lookups(framework)
        organisation = organisation or OrganisationFactory(**council)
        cycle, _ = Cycle.objects.get_or_create(
            organisation=organisation, year=year, defaults={"framework": framework}
        )
        kind = Assessment.Kind.SYSTEM if system else Assessment.Kind.ORGANISATION
        assessment = Assessment.objects.create(
            cycle=cycle, kind=kind, system_name=system, status=status
        )
        answers = []
        for code, judged in levels_by_code.items():
            key, agrees = judged if isinstance(judged, tuple) else (judged, None)
            answers.append(
                OutcomeAnswer(
                    assessment=assessment,
                    node=nodes[code],
                    level=levels[(code, key)],
                    assurer_agrees=agrees,
                )
            )
        OutcomeAnswer.objects.bulk_create(answers)
        return assessment

    return make


def row(benchmark, code, *, objective=False):
    rows = benchmark.objectives if objective else benchmark.outcomes
    return next(r for r in rows if r.code == code)


def percents(benchmark_row):
    return {share.key: share.percent for share in benchmark_row.shares}


def test_councils_on_different_caf_versions_in_one_year_are_never_added_together(judge, caf32):
    for _ in range(3):
        judge({"A2.b": "achieved"}, framework=caf32)
    for _ in range(2):
        judge({"A2.b": "not-achieved"})
    newest = sector_benchmark()
    assert (newest.version, newest.versions) == ("4.0", ["4.0", "3.2"])
    a2b = row(newest, "A2.b")
    assert a2b.title == "Understanding Threat"
    assert a2b.suppressed  # 2 councils on 4.0: the 3 on 3.2 do not lift it over 5
    assert row(newest, "A", objective=True).suppressed
    older = sector_benchmark(BenchmarkFilters(version="3.2"))
    assert older.version == "3.2"
    assert row(older, "A2.b").title == "Assurance"
    assert row(older, "A2.b").suppressed
    for _ in range(3):
        judge({"A2.b": "achieved"})
    a2b = row(sector_benchmark(), "A2.b")
    assert (a2b.councils, percents(a2b)) == (5, {"not-achieved": 40, "achieved": 60})
    for _ in range(2):
        judge({"A2.b": "not-achieved"}, framework=caf32)
    older = row(sector_benchmark(BenchmarkFilters(version="3.2")), "A2.b")
    assert (older.councils, percents(older)) == (5, {"not-achieved": 40, "achieved": 60})


def test_a_year_with_only_an_older_version_shows_that_version(judge, caf32):
    for _ in range(5):
        judge({"A1.a": "achieved"}, framework=caf32, year=2025)
    benchmark = sector_benchmark()
    assert (benchmark.year, benchmark.version) == (2025, "3.2")
    assert row(benchmark, "A1.a").councils == 5
    chosen = sector_benchmark(BenchmarkFilters(version="4.0"))
    assert (chosen.version, chosen.outcomes) == ("4.0", [])


def test_a_council_is_compared_with_the_sector_on_its_own_cycles_version(judge, caf32, council):
    for _ in range(5):
        judge({"A2.b": "achieved"}, framework=caf32)
    for _ in range(5):
        judge({"A2.b": "not-achieved"})
    judge({"A2.b": "not-achieved"}, organisation=council, framework=caf32)
    result = council_benchmark(council)
    assert result.sector.version == "3.2"
    a2b = next(r for r in result.rows if r.code == "A2.b")
    assert (a2b.title, a2b.own) == ("Assurance", ["Not achieved"])
    assert (a2b.sector.councils, percents(a2b.sector)) == (
        6,
        {
            "not-achieved": 17,
            "achieved": 83,
        },
    )


def test_a_council_with_two_systems_is_counted_once_at_the_worse_level(judge):
    for _ in range(5):
        organisation = OrganisationFactory()
        judge({"B1.a": "achieved"}, organisation=organisation, system="Payroll")
        judge({"B1.a": "not-achieved"}, organisation=organisation, system="Housing")
    mixed = OrganisationFactory()
    judge({"B1.a": "achieved"}, organisation=mixed, system="Payroll")
    judge({"B1.a": "partially-achieved"}, organisation=mixed, system="Housing")
    benchmark = sector_benchmark()
    b1a = row(benchmark, "B1.a")
    assert b1a.councils == 6
    assert [(s.key, s.count) for s in b1a.shares] == [
        ("not-achieved", 5),
        ("partially-achieved", 1),
    ]
    assert sum(s.count for s in b1a.shares) == b1a.councils
    objective_b = row(benchmark, "B", objective=True)
    assert objective_b.councils == 6
    assert sum(s.count for s in objective_b.shares) == 6


def test_shares_add_up_to_100_for_every_row(judge):
    keys = ["achieved", "not-achieved", "partially-achieved"]
    for number in range(12):
        organisation = OrganisationFactory()
        for system in range(3):
            judge(
                {"B1.a": keys[(number + system) % 3], "B2.a": keys[(number * system) % 3]},
                organisation=organisation,
                system=f"System {system}",
            )
    benchmark = sector_benchmark()
    for benchmark_row in benchmark.outcomes + benchmark.objectives:
        assert 99 <= sum(s.percent for s in benchmark_row.shares) <= 101
        assert sum(s.count for s in benchmark_row.shares) == (
            benchmark_row.councils * (2 if benchmark_row.code == "B" else 1)
        )


def test_a_judgement_the_assurer_disagreed_with_is_not_counted(judge):
    for agrees in [True, True, None, True]:
        judge({"A1.a": ("achieved", agrees)})
    judge({"A1.a": ("achieved", False), "A1.b": ("achieved", True)})
    benchmark = sector_benchmark()
    assert row(benchmark, "A1.a").suppressed  # 4 councils: the fifth's was disagreed with
    judge({"A1.a": ("not-achieved", True)})
    a1a = row(sector_benchmark(), "A1.a")
    assert (a1a.councils, percents(a1a)) == (5, {"not-achieved": 20, "achieved": 80})
    # Disagreed with on one system, the council counts at its other system's level.
    organisation = OrganisationFactory()
    judge({"B1.a": ("not-achieved", False)}, organisation=organisation, system="Payroll")
    judge({"B1.a": ("achieved", True)}, organisation=organisation, system="Housing")
    for _ in range(4):
        judge({"B1.a": "achieved"})
    assert percents(row(sector_benchmark(), "B1.a")) == {"achieved": 100}


def test_the_sector_page_says_which_version_and_how_councils_are_counted(
    verified_client, people, judge, caf32
):
    for _ in range(5):
        judge({"A1.a": "achieved"})
    judge({"A1.a": "achieved"}, framework=caf32)
    client = verified_client(people["staff"])
    soup = BeautifulSoup(client.get(SECTOR).content, "html.parser")
    version = soup.select_one("#benchmark-version").get_text(" ", strip=True)
    assert "CAF 4.0" in version
    assert "CAF 3.2 were also counted" in version
    assert "lowest level" in soup.select_one("#benchmark-counting").get_text()
    soup = BeautifulSoup(client.get(SECTOR, {"version": "3.2"}).content, "html.parser")
    assert "CAF 3.2" in soup.select_one("#benchmark-version").get_text()
    text = soup.select_one("tr:has(th:-soup-contains('A1.a'))").get_text(" ", strip=True)
    assert "Not shown: fewer than 5 councils" in text
    assert soup.select_one("select[name=version] option[selected]").get_text() == "CAF 3.2"


def test_the_api_benchmark_takes_a_version(client, people, judge, caf32):
    for _ in range(5):
        judge({"A2.b": "achieved"}, framework=caf32)
    judge({"A2.b": "achieved"})
    headers = auth(people["staff"])
    newest = client.get("/api/v1/cyber/benchmark/", **headers).json()
    assert (newest["version"], newest["versions"]) == ("4.0", ["4.0", "3.2"])
    assert newest["outcomes"][0]["suppressed"] is True
    older = client.get("/api/v1/cyber/benchmark/", {"version": "3.2"}, **headers).json()
    assert older["version"] == "3.2"
    assert (older["outcomes"][0]["title"], older["outcomes"][0]["councils"]) == ("Assurance", 5)


def council_page(verified_client, people, council, **query):
    url = reverse("cyber:council_benchmark", args=[council.code])
    response = verified_client(people["lead"]).get(url, query)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def cells(soup, table, code):
    found = soup.select_one(f"#{table} tr:has(th:-soup-contains('{code} '))")
    return [td.get_text(" ", strip=True) for td in found.select("td")]


@pytest.fixture
def typed_council(council):
    council.la_type, council.la_type_name, council.region = "LBO", "London borough", "London"
    council.save()
    return council


def test_a_council_sees_its_objectives_and_councils_of_its_type_and_region(
    verified_client, people, typed_council, judge
):
    for _ in range(5):  # same type, another region
        judge({"A2.a": "achieved", "A1.b": "achieved"}, la_type="LBO", region="South East")
    for _ in range(3):  # same region, another type
        judge({"A2.a": "not-achieved"}, la_type="MD", region="London")
    judge({"A2.a": "partially-achieved"}, la_type="LBO", region="London")
    judge({"A2.a": "not-achieved", "A1.b": "achieved"}, organisation=typed_council)
    result = council_benchmark(typed_council)
    objective_a = next(r for r in result.objectives if r.code == "A")
    assert objective_a.judged == 2
    assert {s.key: s.percent for s in objective_a.own} == {"not-achieved": 50, "achieved": 50}
    assert objective_a.sector.councils == 10
    assert objective_a.same_type.councils == 7
    assert objective_a.same_region.councils == 5  # 3 + 1 + the council
    a2a = next(r for r in result.rows if r.code == "A2.a")
    assert a2a.same_type.councils == 7
    assert percents(a2a.same_type) == {"not-achieved": 14, "partially-achieved": 14, "achieved": 71}
    assert (a2a.same_region.councils, a2a.same_region.suppressed) == (5, False)
    a1b = next(r for r in result.rows if r.code == "A1.b")
    assert a1b.same_region.suppressed  # only the council itself in London judged A1.b
    soup = council_page(verified_client, people, typed_council)
    headers = [th.get_text(strip=True) for th in soup.select("#benchmark-objectives thead th")]
    assert headers == [
        "Objective",
        "Your outcomes",
        "All councils",
        "London borough councils",
        "Councils in London",
    ]
    own, everyone, same_type, same_region = cells(soup, "benchmark-objectives", "A")
    assert own == "Not achieved: 50% Achieved: 50% 2 outcomes judged"
    assert "10 councils" in everyone
    assert "7 councils" in same_type
    assert "5 councils" in same_region
    assert cells(soup, "benchmark-objectives", "B")[0] == "Not judged yet"
    a1b_cells = cells(soup, "benchmark-outcomes", "A1.b")
    assert a1b_cells[0] == "Achieved"
    assert a1b_cells[3] == "Not shown: fewer than 5 councils"
    assert "CAF 4.0" in soup.select_one("#benchmark-version").get_text()
    assert "lowest level" in soup.select_one("#benchmark-counting").get_text()


def test_every_group_on_the_council_page_is_suppressed_below_five(
    verified_client, people, typed_council, judge
):
    for _ in range(4):
        judge({"A1.a": "achieved"}, la_type="LBO", region="London")
    judge({"A1.a": "achieved"}, organisation=typed_council, status=Assessment.Status.APPROVED)
    result = council_benchmark(typed_council)
    for group in [result.sector, result.same_type, result.same_region]:
        assert all(r.suppressed for r in group.outcomes + group.objectives)
    soup = council_page(verified_client, people, typed_council)
    assert cells(soup, "benchmark-outcomes", "A1.a")[1:] == ["Not shown: fewer than 5 councils"] * 3
    assert cells(soup, "benchmark-objectives", "A")[1:] == ["Not shown: fewer than 5 councils"] * 3
    # Counting the council's own approved assessment makes five in every group.
    soup = council_page(verified_client, people, typed_council, include_approved="true")
    assert all("5 councils" in c for c in cells(soup, "benchmark-outcomes", "A1.a")[1:])


def test_a_council_without_a_type_or_region_sees_only_all_councils(
    verified_client, people, council, judge
):
    council.la_type, council.la_type_name, council.region = "", "", ""
    council.save()
    judge({"A1.a": "achieved"}, organisation=council)
    result = council_benchmark(council)
    assert (result.same_type, result.same_region) == (None, None)
    soup = council_page(verified_client, people, council)
    headers = [th.get_text(strip=True) for th in soup.select("#benchmark-outcomes thead th")]
    assert headers == ["Outcome", "Your level", "All councils"]


def test_the_council_page_takes_the_same_queries_however_many_councils(
    verified_client, people, typed_council, judge
):
    outcomes = {"A1.a": "achieved", "B1.a": "not-achieved", "D1.a": "partially-achieved"}
    judge(outcomes, organisation=typed_council)
    judge(outcomes, organisation=typed_council, system="Payroll")
    for _ in range(5):
        judge(outcomes, la_type="LBO", region="London")
    council_page(verified_client, people, typed_council)  # signs in: not counted
    with CaptureQueriesContext(connection) as few:
        council_page(verified_client, people, typed_council)
    for number in range(25):
        organisation = OrganisationFactory(la_type="LBO", region="London")
        judge(outcomes, organisation=organisation)
        judge(outcomes, organisation=organisation, system=f"System {number}")
    with CaptureQueriesContext(connection) as many:
        soup = council_page(verified_client, people, typed_council)
    assert len(many) == len(few)
    assert "31 councils" in cells(soup, "benchmark-outcomes", "B1.a")[1]
    with CaptureQueriesContext(connection) as selector:
        council_benchmark(typed_council)
    assert len(selector) <= 18
