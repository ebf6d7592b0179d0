"""The cyber API: who may list and read assessments, their answers and plan; the benchmark's
audience and suppression; the public offline-backup figure; constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer, PlanAction, ReadinessAnswer
from localdigital.frameworks.models import Level, Node
from localdigital.organisations.tests.factories import OrganisationFactory
from localdigital.pipeline.tests.test_api import auth

LIST = "/api/v1/cyber/assessments/"
BENCHMARK = "/api/v1/cyber/benchmark/"
BACKUPS = "/api/v1/cyber/readiness/offline-backups/"


def detail(assessment):
    return f"{LIST}{assessment.pk}/"


def plan(assessment):
    return f"{LIST}{assessment.pk}/plan/"


@pytest.fixture
def answered(caf, assessment, other_cycle, people):
    """The council's organisation assessment with two answers and a plan action, and the other
    council's assessment."""
    a1a = Node.objects.get(framework=caf, code="A1.a")
    b5c = Node.objects.get(framework=caf, code="B5.c")
    achieved = Level.objects.get(node=a1a, key="achieved")
    answer = OutcomeAnswer.objects.create(
        assessment=assessment,
        node=a1a,
        level=achieved,
        suggested_level=achieved,
        true_indicators=["caf-4.0:A1.a.A.1"],
        justification="The board reviews cyber risk every quarter",
        status=OutcomeAnswer.Status.COMPLETED,
    )
    OutcomeAnswer.objects.create(assessment=assessment, node=b5c)
    PlanAction.objects.create(
        assessment=assessment, answer=answer, description="Brief the new cabinet member"
    )
    other = Assessment.objects.create(cycle=other_cycle, kind=Assessment.Kind.ORGANISATION)
    return {"mine": assessment, "other": other}


ALL_READERS = {"lead", "contributor", "approver", "assurer", "staff"}
LISTERS = {"lead", "contributor", "approver"}
EVERYONE = [
    "lead",
    "contributor",
    "approver",
    "plain_member",
    "other_lead",
    "assurer",
    "other_assurer",
    "staff",
    "no_council",
]


@pytest.mark.parametrize("name", EVERYONE)
def test_the_assessment_access_matrix(client, people, answered, name):
    headers = auth(people[name])
    listed = client.get(LIST, **headers)
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    expected = {"lead": [answered["mine"].pk], "contributor": [answered["mine"].pk]}
    expected["approver"] = [answered["mine"].pk]
    expected["other_lead"] = [answered["other"].pk]
    assert ids == expected.get(name, [])
    mine = client.get(detail(answered["mine"]), **headers)
    actions = client.get(plan(answered["mine"]), **headers)
    if name in ALL_READERS:
        assert mine.status_code == 200
        assert actions.status_code == 200
    else:
        assert mine.status_code == 404
        assert actions.status_code == 404


def test_an_anonymous_visitor_or_a_bad_token_reads_nothing(client, answered):
    for url in (LIST, detail(answered["mine"]), plan(answered["mine"]), BENCHMARK):
        assert client.get(url).status_code in (401, 403)
        assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code in (401, 403)


def test_an_assessment_comes_with_every_outcome_answer(client, people, answered):
    data = client.get(detail(answered["mine"]), **auth(people["lead"])).json()
    assert (data["council"], data["year"], data["framework"]) == ("HCK", 2026, "caf@4.0")
    assert (data["kind"], data["status"]) == ("organisation", "draft")
    first, second = data["answers"]
    assert first["node_id"] == "caf-4.0:A1.a"
    assert (first["level"], first["level_label"], first["suggested_level"]) == (
        "achieved",
        "Achieved",
        "achieved",
    )
    assert first["true_indicators"] == ["caf-4.0:A1.a.A.1"]
    assert first["justification"] == "The board reviews cyber risk every quarter"
    assert (second["code"], second["level"], second["status"]) == ("B5.c", None, "not_started")
    actions = client.get(plan(answered["mine"]), **auth(people["lead"])).json()["results"]
    assert [(a["outcome"], a["description"]) for a in actions] == [
        ("A1.a", "Brief the new cabinet member")
    ]


def test_reads_from_outside_the_council_are_audited(client, people, answered):
    client.get(detail(answered["mine"]), **auth(people["lead"]))
    assert not AuditEvent.objects.filter(action="cyber.read").exists()
    client.get(detail(answered["mine"]), **auth(people["staff"]))
    client.get(plan(answered["mine"]), **auth(people["assurer"]))
    readers = set(AuditEvent.objects.filter(action="cyber.read").values_list("actor", flat=True))
    assert readers == {people["staff"].pk, people["assurer"].pk}


def test_the_list_and_an_assessment_take_the_same_queries_however_many(
    client, caf, people, council, answered
):
    headers = auth(people["lead"])
    client.get(LIST, **headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few_list:
        client.get(LIST, **headers)
    with CaptureQueriesContext(connection) as few_detail:
        client.get(detail(answered["mine"]), **headers)
    for year in (2023, 2024, 2025):
        cycle = Cycle.objects.create(organisation=council, year=year, framework=caf)
        Assessment.objects.create(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
    OutcomeAnswer.objects.bulk_create(
        OutcomeAnswer(assessment=answered["mine"], node=node)
        for node in Node.objects.filter(framework=caf, type="outcome").exclude(
            code__in=["A1.a", "B5.c"]
        )
    )
    with CaptureQueriesContext(connection) as many_list:
        assert len(client.get(LIST, **headers).json()["results"]) == 4
    with CaptureQueriesContext(connection) as many_detail:
        assert len(client.get(detail(answered["mine"]), **headers).json()["answers"]) > 30
    assert len(many_list) == len(few_list)
    assert len(many_detail) == len(few_detail)


@pytest.fixture
def sector(caf):
    """Five councils whose assured assessments judge A1.a, four of them in London."""
    a1a = Node.objects.get(framework=caf, code="A1.a")
    levels = {level.key: level for level in Level.objects.filter(node=a1a)}
    for index, key in enumerate(["achieved"] * 3 + ["not-achieved"] * 2):
        organisation = OrganisationFactory(region="London" if index else "Wales")
        cycle = Cycle.objects.create(organisation=organisation, year=2026, framework=caf)
        assessment = Assessment.objects.create(
            cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=Assessment.Status.ASSURED
        )
        OutcomeAnswer.objects.create(assessment=assessment, node=a1a, level=levels[key])


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lead", 200),
        ("contributor", 200),
        ("other_lead", 200),
        ("staff", 200),
        ("plain_member", 403),
        ("assurer", 403),
        ("no_council", 403),
    ],
)
def test_the_benchmark_is_for_programme_staff_and_cyber_people(
    client, people, sector, name, status
):
    assert client.get(BENCHMARK, **auth(people[name])).status_code == status


def test_the_benchmark_suppresses_groups_below_five_councils(client, people, sector):
    headers = auth(people["lead"])
    data = client.get(BENCHMARK, **headers).json()
    assert data["year"] == 2026
    assert [level["key"] for level in data["levels"]] == [
        "not-achieved",
        "partially-achieved",
        "achieved",
    ]
    [a1a] = data["outcomes"]
    assert (a1a["code"], a1a["councils"], a1a["suppressed"]) == ("A1.a", 5, False)
    assert {s["key"]: s["percent"] for s in a1a["shares"]} == {"not-achieved": 40, "achieved": 60}
    london = client.get(BENCHMARK, {"region": "London"}, **headers).json()
    [a1a] = london["outcomes"]
    assert a1a["suppressed"]
    assert a1a["councils"] is None
    assert a1a["shares"] == []
    assert a1a["message"] == "fewer than 5 councils"
    assert client.get(BENCHMARK, {"year": "soon"}, **headers).status_code == 400


def _backups(caf, keys):
    backups = Node.objects.get(
        framework__framework_id="ransomware-readiness", node_id="ransomware:backups"
    )
    levels = {level.key: level for level in Level.objects.filter(node=backups)}
    for key in keys:
        cycle = Cycle.objects.create(organisation=OrganisationFactory(), year=2026, framework=caf)
        ReadinessAnswer.objects.create(cycle=cycle, node=backups, level=levels[key])


def test_the_offline_backup_figure_is_public_and_suppressed_below_five(client, caf):
    _backups(caf, ["yes", "yes", "no", "partly"])
    data = client.get(BACKUPS).json()
    assert data == {
        "year": None,
        "suppressed": True,
        "councils": None,
        "yes": None,
        "percent": None,
        "message": "fewer than 5 councils",
        "includes_demo_data": False,
    }
    _backups(caf, ["yes"])
    data = client.get(BACKUPS).json()
    assert (data["suppressed"], data["councils"], data["yes"], data["percent"]) == (
        False,
        5,
        3,
        60,
    )
    assert client.get(BACKUPS, {"year": "2026"}).json()["councils"] == 5
    assert client.get(BACKUPS, {"year": "2025"}).json()["suppressed"]
