"""The sector benchmark: which judgements count, suppression below five councils in every
group and filter, the pages' access, a council's own view, the cache and constant query counts."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.audit.services import event_log
from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.cyber.selectors.benchmark import (
    BenchmarkFilters,
    council_benchmark,
    sector_benchmark,
)
from localdigital.frameworks.models import Level, Node
from localdigital.organisations.tests.factories import OrganisationFactory

ASSURED = Assessment.Status.ASSURED
APPROVED = Assessment.Status.APPROVED
SECTOR = reverse("cyber:benchmark")


@pytest.fixture
def judged(caf):
    """Make a council with an organisation assessment judging outcomes: `levels` maps an
    outcome code to a level key."""
    nodes = {node.code: node for node in Node.objects.filter(framework=caf, type="outcome")}
    levels = {
        (level.node.code, level.key): level
        for level in Level.objects.filter(node__framework=caf).select_related("node")
    }

    def make(levels_by_code, *, status=ASSURED, year=2026, organisation=None, **council):
        organisation = organisation or OrganisationFactory(**council)
        cycle, _ = Cycle.objects.get_or_create(
            organisation=organisation, year=year, defaults={"framework": caf}
        )
        assessment = Assessment.objects.create(
            cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=status
        )
        OutcomeAnswer.objects.bulk_create(
            OutcomeAnswer(assessment=assessment, node=nodes[code], level=levels[(code, key)])
            for code, key in levels_by_code.items()
        )
        return assessment

    return make


def row(benchmark, code, *, objective=False):
    rows = benchmark.objectives if objective else benchmark.outcomes
    return next(r for r in rows if r.code == code)


def percents(benchmark_row):
    return {share.key: share.percent for share in benchmark_row.shares}


def test_an_outcome_judged_by_four_councils_is_suppressed_and_by_five_is_shown(judged):
    for key in ["achieved", "achieved", "not-achieved", "achieved"]:
        judged({"A1.a": key, "B5.c": "partially-achieved"})
    benchmark = sector_benchmark()
    assert benchmark.year == 2026
    a1a = row(benchmark, "A1.a")
    assert a1a.suppressed
    assert a1a.councils is None
    assert a1a.shares == []
    assert a1a.message == "fewer than 5 councils"
    assert row(benchmark, "A", objective=True).suppressed
    judged({"A1.a": "not-achieved"})
    benchmark = sector_benchmark()
    a1a = row(benchmark, "A1.a")
    assert not a1a.suppressed
    assert a1a.councils == 5
    assert a1a.title == "Board Direction"
    assert percents(a1a) == {"not-achieved": 40, "achieved": 60}
    assert row(benchmark, "B5.c").suppressed
    objective_a = row(benchmark, "A", objective=True)
    assert (objective_a.councils, objective_a.title) == (5, "Managing security risk")
    assert row(benchmark, "B", objective=True).suppressed


def test_suppression_applies_within_each_filter(judged):
    for _ in range(3):
        judged({"A1.a": "achieved"}, region="London", la_type="LBO")
    for _ in range(2):
        judged({"A1.a": "not-achieved"}, region="North West", la_type="MD")
    assert row(sector_benchmark(), "A1.a").councils == 5
    london = sector_benchmark(BenchmarkFilters(region="London"))
    assert row(london, "A1.a").suppressed
    boroughs = sector_benchmark(BenchmarkFilters(council_type="LBO"))
    assert row(boroughs, "A1.a").suppressed
    for _ in range(2):
        judged({"A1.a": "not-achieved"}, region="London", la_type="LBO")
    london = sector_benchmark(BenchmarkFilters(region="London"))
    assert percents(row(london, "A1.a")) == {"not-achieved": 40, "achieved": 60}
    both = sector_benchmark(BenchmarkFilters(region="London", council_type="MD"))
    assert both.outcomes == []


def test_only_assured_judgements_count_unless_approved_ones_are_asked_for(judged):
    for _ in range(5):
        judged({"A1.a": "achieved"})
    for status in [APPROVED, Assessment.Status.SUBMITTED, Assessment.Status.UNDER_ASSURANCE]:
        judged({"A1.a": "not-achieved"}, status=status)
    for status in [Assessment.Status.DRAFT, Assessment.Status.INTERNAL_REVIEW]:
        judged({"A1.a": "not-achieved"}, status=status)
    assured = row(sector_benchmark(), "A1.a")
    assert (assured.councils, percents(assured)) == (5, {"achieved": 100})
    approved = row(sector_benchmark(BenchmarkFilters(include_approved=True)), "A1.a")
    assert (approved.councils, percents(approved)) == (8, {"not-achieved": 38, "achieved": 62})


def test_the_year_filter_and_the_latest_year(judged):
    for _ in range(5):
        judged({"A1.a": "achieved"}, year=2025)
    assert sector_benchmark().year == 2025
    judged({"A1.a": "not-achieved"}, year=2026)
    latest = sector_benchmark()
    assert latest.year == 2026
    assert row(latest, "A1.a").suppressed
    assert row(sector_benchmark(BenchmarkFilters(year=2025)), "A1.a").councils == 5


def test_the_sector_figures_take_the_same_queries_however_many_councils(judged):
    outcomes = {"A1.a": "achieved", "B5.c": "partially-achieved", "D1.a": "not-achieved"}
    for _ in range(5):
        judged(outcomes)
    with CaptureQueriesContext(connection) as few:
        sector_benchmark()
    for _ in range(30):
        judged(outcomes, status=APPROVED)
    with CaptureQueriesContext(connection) as many:
        benchmark = sector_benchmark(BenchmarkFilters(include_approved=True))
    assert len(many) == len(few) <= 8
    assert row(benchmark, "D1.a").councils == 35


def test_the_figures_are_remembered_until_an_assessment_changes_status(judged, settings):
    settings.HUB_PAGE_CACHE = True
    assessments = [judged({"A1.a": "achieved"}) for _ in range(4)]
    extra = judged({"A1.a": "achieved"}, status=Assessment.Status.UNDER_ASSURANCE)
    assert row(sector_benchmark(), "A1.a").suppressed
    with CaptureQueriesContext(connection) as remembered:
        assert row(sector_benchmark(), "A1.a").suppressed
    assert len(remembered) == 1  # the benchmark's version only
    # A write elsewhere in the Hub does not make 4,000 councils' figures be counted again.
    event_log(actor=None, action="pipeline.update", summary="Something else changed")
    with CaptureQueriesContext(connection) as still:
        assert row(sector_benchmark(), "A1.a").suppressed
    assert len(still) == 1
    # Every status change saves the assessment's updated_at, which moves the version on.
    extra.status = ASSURED
    extra.save(update_fields=["status", "updated_at"])
    assert row(sector_benchmark(), "A1.a").councils == 5
    assert assessments


def test_a_council_changing_type_is_counted_again_at_once(judged, settings):
    settings.HUB_PAGE_CACHE = True
    councils = [judged({"A1.a": "achieved"}).cycle.organisation for _ in range(5)]
    for council in councils:
        council.la_type = "UTA"
        council.save()
    unitaries = BenchmarkFilters(council_type="UTA")
    assert row(sector_benchmark(unitaries), "A1.a").councils == 5
    councils[0].la_type = "NMD"
    councils[0].save()
    assert row(sector_benchmark(unitaries), "A1.a").suppressed


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("staff", 200),
        ("lead", 404),
        ("contributor", 404),
        ("approver", 404),
        ("plain_member", 404),
        ("other_lead", 404),
        ("assurer", 404),
        ("no_council", 404),
    ],
)
def test_only_programme_staff_see_the_sector_benchmark(verified_client, people, name, status):
    assert verified_client(people[name]).get(SECTOR).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, council):
    assert client.get(SECTOR).status_code == 302
    url = reverse("cyber:council_benchmark", args=[council.code])
    assert client.get(url).status_code == 302


def test_the_sector_page_filters_and_suppresses(verified_client, people, judged):
    for _ in range(5):
        judged({"A1.a": "achieved"}, region="London")
    judged({"A1.a": "not-achieved"}, region="North West")
    client = verified_client(people["staff"])
    soup = BeautifulSoup(client.get(SECTOR).content, "html.parser")
    cells = [
        td.get_text(" ", strip=True) for td in soup.select("tr:has(th:-soup-contains('A1.a')) td")
    ]
    assert cells[0] == "6"
    response = client.get(SECTOR, {"region": "North West"})
    soup = BeautifulSoup(response.content, "html.parser")
    text = soup.select_one("tr:has(th:-soup-contains('A1.a'))").get_text(" ", strip=True)
    assert "Not shown: fewer than 5 councils" in text
    assert soup.select_one("select[name=region] option[selected]").get_text() == "North West"


def test_the_sector_page_takes_the_same_queries_however_many_councils(
    verified_client, people, judged
):
    client = verified_client(people["staff"])
    for _ in range(5):
        judged({"A1.a": "achieved", "B2.a": "achieved"})
    with CaptureQueriesContext(connection) as few:
        assert client.get(SECTOR, {"include_approved": "on"}).status_code == 200
    for _ in range(20):
        judged({"A1.a": "not-achieved", "B2.a": "achieved"}, status=APPROVED, region="Wales")
    with CaptureQueriesContext(connection) as many:
        assert client.get(SECTOR, {"include_approved": "on"}).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lead", 200),
        ("contributor", 200),
        ("approver", 200),
        ("plain_member", 404),
        ("other_lead", 404),
        ("assurer", 404),
        ("staff", 404),
        ("no_council", 404),
    ],
)
def test_a_councils_cyber_people_see_their_levels_against_the_sector(
    verified_client, people, council, name, status
):
    url = reverse("cyber:council_benchmark", args=[council.code])
    assert verified_client(people[name]).get(url).status_code == status


def test_a_council_sees_its_own_levels_and_the_sector_shares_without_other_names(
    verified_client, people, council, judged
):
    others = [judged({"A1.a": "achieved"}) for _ in range(4)]
    judged({"A1.a": "not-achieved", "A1.b": "achieved"}, organisation=council, status=APPROVED)
    result = council_benchmark(council)
    a1a = next(r for r in result.rows if r.code == "A1.a")
    assert a1a.own == ["Not achieved"]
    assert a1a.sector.suppressed  # four assured councils: the council's own is only approved
    result = council_benchmark(council, include_approved=True)
    a1a = next(r for r in result.rows if r.code == "A1.a")
    assert percents(a1a.sector) == {"not-achieved": 20, "achieved": 80}
    url = reverse("cyber:council_benchmark", args=[council.code])
    page = verified_client(people["lead"]).get(url, {"include_approved": "true"})
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "Achieved: 80%" in text
    for other in others:
        assert other.cycle.organisation.short_name not in text
