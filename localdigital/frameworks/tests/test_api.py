"""The public, read-only frameworks API."""

import pytest

from localdigital.frameworks import services
from localdigital.frameworks.loader import parse_framework_file, parse_statements_file
from localdigital.frameworks.reference_data import DATA_DIR
from localdigital.frameworks.tests.conftest import CAF_LIKE, CAF_LIKE_STATEMENTS

pytestmark = pytest.mark.django_db

FRAMEWORKS = "/api/v1/frameworks/"


def load(path):
    return services.framework_load(actor=None, spec=parse_framework_file(path)).framework


@pytest.fixture
def frameworks():
    tcop = load(DATA_DIR / "tcop.yaml")
    caf = load(CAF_LIKE)
    services.framework_statements_load(actor=None, spec=parse_statements_file(CAF_LIKE_STATEMENTS))
    return {"tcop": tcop, "caf": caf}


def test_anyone_can_list_frameworks_with_their_trees_and_levels(client, frameworks):
    response = client.get(FRAMEWORKS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    caf, tcop = body["results"]
    assert tcop["id"] == "tcop"
    assert tcop["version"] == "2025"
    assert tcop["key"] == "tcop@2025"
    assert tcop["kind"] == "standard"
    assert tcop["name"] == "Technology Code of Practice"
    assert tcop["source_url"] == "https://www.gov.uk/guidance/the-technology-code-of-practice"
    assert tcop["licence"] == "Open Government Licence v3.0"
    assert tcop["url"] == "http://testserver/api/v1/frameworks/tcop/2025/"
    assert len(tcop["tree"]) == 13
    point = tcop["tree"][0]
    assert point["id"] == "tcop:1"
    assert point["title"] == "Define user needs"
    assert point["assessable"] is True
    assert point["children"] == []
    assert point["levels"][0] == {"key": "meets", "label": "Meets", "rank": 2}
    assert point["levels"][3]["rank"] is None
    outcome = caf["tree"][0]["children"][0]["children"][0]
    assert outcome["id"] == "caf-like-3.2:A1.a"
    assert [level["key"] for level in outcome["levels"]] == ["not-achieved", "achieved"]
    assert caf["statements_licence"] == "Statements licence for tests"


def test_the_list_filters_by_id_and_kind(client, frameworks):
    assert [f["id"] for f in client.get(FRAMEWORKS, {"kind": "assessment"}).json()["results"]] == [
        "caf-like"
    ]
    assert [f["id"] for f in client.get(FRAMEWORKS, {"id": "tcop"}).json()["results"]] == ["tcop"]


def test_listing_frameworks_makes_a_fixed_number_of_queries(
    client, frameworks, write_yaml, caf_like, django_assert_num_queries
):
    for version in ("4.0", "5.0"):
        load(write_yaml({**caf_like, "version": version}, name=f"{version}.yaml"))
    # The request's savepoint and release (2), the count and the page (2), nodes and levels (2).
    with django_assert_num_queries(6):
        response = client.get(FRAMEWORKS)

    assert response.json()["count"] == 4


def test_one_version_has_indicators_under_its_levels_and_its_profiles(client, frameworks):
    response = client.get(f"{FRAMEWORKS}caf-like/3.2/")

    assert response.status_code == 200
    body = response.json()
    assert body["key"] == "caf-like@3.2"
    outcome = body["tree"][0]["children"][0]["children"][0]
    assert outcome["levels"][0]["indicators"] == [
        {
            "id": "caf-like-3.2:A1.a.NA1",
            "statement": "The board has not discussed security this year.",
        },
        {"id": "caf-like-3.2:A1.a.NA2", "statement": "Nobody on the board owns security."},
    ]
    assert body["profiles"] == [
        {
            "id": "baseline",
            "name": "Baseline",
            "description": "The least every organisation should reach.",
            "targets": [
                {"node": "caf-like-3.2:A1.a", "level": "achieved"},
                {"node": "caf-like-3.2:B5.c", "level": "partially-achieved"},
                {"node": "caf-like-3.2:B5.d", "level": None},
            ],
        }
    ]


def test_one_version_makes_a_fixed_number_of_queries(client, frameworks, django_assert_num_queries):
    # Savepoint and release (2), the framework (1), nodes, levels and indicators (3), profiles
    # and their targets (2).
    with django_assert_num_queries(8):
        response = client.get(f"{FRAMEWORKS}caf-like/3.2/")

    assert response.status_code == 200


def test_without_a_version_the_newest_is_served(client, frameworks, write_yaml, caf_like):
    load(write_yaml({**caf_like, "version": "3.10"}))

    body = client.get(f"{FRAMEWORKS}caf-like/").json()

    assert body["version"] == "3.10"
    assert body["url"] == "http://testserver/api/v1/frameworks/caf-like/3.10/"


def test_an_unknown_framework_or_version_is_not_found(client, frameworks):
    assert client.get(f"{FRAMEWORKS}caf-like/9.9/").status_code == 404
    assert client.get(f"{FRAMEWORKS}nothing/").status_code == 404


def test_the_frameworks_api_is_read_only(client, frameworks):
    assert client.post(FRAMEWORKS, {}).status_code in {401, 403, 405}
    assert client.delete(f"{FRAMEWORKS}tcop/2025/").status_code in {401, 403, 405}
