"""Reading and checking framework files and statements overlays, without a database."""

import copy

import pytest

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader import (
    parse_framework_file,
    parse_statements_file,
    version_order,
)
from localdigital.frameworks.reference_data import DATA_DIR
from localdigital.frameworks.tests.conftest import CAF_LIKE, CAF_LIKE_STATEMENTS

TCOP_TITLES = [
    "Define user needs",
    "Make things accessible and inclusive",
    "Be open and use open source",
    "Make use of open standards",
    "Use cloud first",
    "Make things secure",
    "Make privacy integral",
    "Share, reuse and collaborate",
    "Integrate and adapt technology",
    "Make better use of data",
    "Define your purchasing strategy",
    "Make your technology sustainable",
    "Meet the Service Standard",
]


def problems_of(path) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        parse_framework_file(path)
    return [str(problem) for problem in caught.value.problems]


def test_the_tcop_file_has_the_thirteen_points_with_their_short_titles_and_a_description():
    spec = parse_framework_file(DATA_DIR / "tcop.yaml")

    assert (spec.framework_id, spec.version, spec.kind) == ("tcop", "2025", "standard")
    assert spec.source_url == "https://www.gov.uk/guidance/the-technology-code-of-practice"
    assert spec.licence == "Open Government Licence v3.0"
    assert [node.title for node in spec.nodes] == TCOP_TITLES
    assert [node.node_id for node in spec.nodes] == [f"tcop:{n}" for n in range(1, 14)]
    assert all(node.assessable and node.description for node in spec.nodes)
    assert [level.key for level in spec.nodes[0].levels] == [
        "meets",
        "partly-meets",
        "does-not-meet",
        "not-applicable",
    ]
    assert spec.nodes[0].levels[-1].rank is None


def test_a_caf_like_file_keeps_the_tree_in_document_order_with_each_outcomes_own_scale():
    spec = parse_framework_file(CAF_LIKE)

    assert [(node.code, node.depth, node.parent_id) for node in spec.nodes] == [
        ("A", 0, None),
        ("A1", 1, "caf-like-3.2:A"),
        ("A1.a", 2, "caf-like-3.2:A1"),
        ("B", 0, None),
        ("B5", 1, "caf-like-3.2:B"),
        ("B5.c", 2, "caf-like-3.2:B5"),
        ("B5.d", 2, "caf-like-3.2:B5"),
    ]
    outcomes = {node.code: node for node in spec.nodes if node.assessable}
    assert [level.key for level in outcomes["A1.a"].levels] == ["not-achieved", "achieved"]
    assert outcomes["B5.c"].scale == "three-level"
    assert outcomes["B5.d"].scale == ""  # inline levels
    assert [(i.indicator_id, i.level_key) for i in outcomes["A1.a"].indicators] == [
        ("caf-like-3.2:A1.a.NA1", "not-achieved"),
        ("caf-like-3.2:A1.a.NA2", "not-achieved"),
        ("caf-like-3.2:A1.a.A1", "achieved"),
    ]
    assert spec.profiles[0].targets["caf-like-3.2:B5.d"] is None


def test_comments_and_layout_do_not_change_the_content_hash(tmp_path):
    original = CAF_LIKE.read_text()
    reformatted = tmp_path / "same.yaml"
    reformatted.write_text("# another comment\n" + original.replace("    - {key", "    -   {key"))
    changed = tmp_path / "changed.yaml"
    changed.write_text(original.replace("Board direction", "Board leadership"))

    first = parse_framework_file(CAF_LIKE).content_hash
    assert parse_framework_file(reformatted).content_hash == first
    assert parse_framework_file(changed).content_hash != first


def test_versions_sort_part_by_part_as_numbers():
    assert version_order("3.10") > version_order("3.9")
    assert version_order("4.0") > version_order("3.10")
    assert version_order("2025") > version_order("2024")


def _drop_levels(data):
    del data["scales"]["two-level"][1]["rank"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("licence"), "line 1: Add licence"),
        (lambda d: d.pop("source_url"), "Add source_url"),
        (lambda d: d.update(kind="survey"), "The kind 'survey' is not one of"),
        (lambda d: d.update(version=3.2), "Put version in quotes"),
        (
            lambda d: d["nodes"][0]["children"][0].update(id="caf-like-3.2:A"),
            "nodes[0].children[0]: The node id caf-like-3.2:A is used twice (first on line",
        ),
        (
            lambda d: d["nodes"][0].update(id="caf-3.2:A"),
            "The node id 'caf-3.2:A' must be 'caf-like-3.2:' followed by",
        ),
        (
            lambda d: d["nodes"][1]["children"][0]["children"][0].update(scale="five-level"),
            "node caf-like-3.2:B5.c: There is no scale called 'five-level' "
            "(scales: three-level, two-level)",
        ),
        (
            lambda d: d["scales"]["three-level"].append(
                {"key": "achieved", "label": "A", "rank": 3}
            ),
            "scale three-level: The level key 'achieved' is listed twice",
        ),
        (_drop_levels, "scale two-level: Add rank"),
        (
            lambda d: d["nodes"][0]["children"][0]["children"][0]["indicators"].update(
                {"partially-achieved": ["caf-like-3.2:A1.a.PA1"]}
            ),
            "node caf-like-3.2:A1.a: The node has no level 'partially-achieved' "
            "(its levels: not-achieved, achieved)",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["children"][0]["indicators"].update(
                {"achieved": ["caf-like-3.2:A1.a.NA1"]}
            ),
            "The indicator id caf-like-3.2:A1.a.NA1 is used twice",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["children"][0].pop("scale"),
            "node caf-like-3.2:A1.a: An assessable node needs a scale",
        ),
        (
            lambda d: d["nodes"][0].update(scale="two-level"),
            "node caf-like-3.2:A: Only an assessable node has a scale",
        ),
        (
            lambda d: d["profiles"][0]["targets"].update({"caf-like-3.2:Z9.z": "achieved"}),
            "profile baseline: There is no node caf-like-3.2:Z9.z",
        ),
        (
            lambda d: d["profiles"][0]["targets"].update(
                {"caf-like-3.2:A1.a": "partially-achieved"}
            ),
            "profile baseline: caf-like-3.2:A1.a has no level 'partially-achieved' "
            "(choose from not-achieved, achieved, not-required)",
        ),
        (
            lambda d: d["profiles"][0]["targets"].update({"caf-like-3.2:B5.d": "not-applicable"}),
            "'not-applicable' has no rank, so it cannot be a target",
        ),
        (
            lambda d: d["profiles"][0]["targets"].pop("caf-like-3.2:B5.c"),
            "Give every assessable node a target (a level or not-required); missing: "
            "caf-like-3.2:B5.c",
        ),
        (
            lambda d: d["profiles"][0]["targets"].update({"caf-like-3.2:A1": "achieved"}),
            "caf-like-3.2:A1 is not assessable, so it cannot have a target",
        ),
        (lambda d: d["nodes"][0].update(titel="Typo"), "Unknown key 'titel'"),
        (lambda d: d.update(nodes=[]), "Add a list of nodes under 'nodes'"),
    ],
)
def test_each_kind_of_invalid_file_is_rejected_saying_where(write_yaml, caf_like, change, expected):
    data = copy.deepcopy(caf_like)
    change(data)

    problems = problems_of(write_yaml(data))

    assert any(expected in problem for problem in problems), problems


def test_every_problem_in_a_file_is_listed_at_once(write_yaml, caf_like):
    caf_like.pop("licence")
    caf_like["nodes"][1]["children"][0]["children"][0]["scale"] = "five-level"
    caf_like["profiles"][0]["targets"]["caf-like-3.2:Z9.z"] = "achieved"

    problems = problems_of(write_yaml(caf_like))

    assert len(problems) == 3
    assert problems[0].startswith("framework.yaml, line 1: Add licence")


def test_a_key_given_twice_is_a_problem_not_silently_the_last_one(write_yaml):
    text = CAF_LIKE.read_text().replace(
        "      caf-like-3.2:B5.d: not-required",
        "      caf-like-3.2:B5.d: not-required\n      caf-like-3.2:A1.a: not-achieved",
    )

    problems = problems_of(write_yaml(text))

    assert problems == [
        "framework.yaml, line 83: 'caf-like-3.2:A1.a' is given twice in one place "
        "(first on line 80)"
    ]


def test_broken_yaml_is_reported_with_its_line(write_yaml):
    problems = problems_of(write_yaml("id: tcop\nversion: '1'\nnodes:\n  - id: [unclosed\n"))

    assert len(problems) == 1
    assert problems[0].startswith("framework.yaml, line 5: This is not valid YAML")


def test_a_statements_overlay_is_read_with_its_licence_and_lines():
    spec = parse_statements_file(CAF_LIKE_STATEMENTS)

    assert (spec.framework_id, spec.version) == ("caf-like", "3.2")
    assert spec.licence == "Statements licence for tests"
    assert spec.indicators["caf-like-3.2:B5.c.A1"] == ("Backups are kept offline and tested.", 9)
    assert spec.descriptions["caf-like-3.2:B5.c"][0] == "You hold backups you can restore from."


def test_a_statements_overlay_without_metadata_or_text_is_rejected(write_yaml):
    path = write_yaml("framework: caf-like\nindicators:\n  caf-like-3.2:A1.a.NA1: ''\n")

    with pytest.raises(ReferenceDataError) as caught:
        parse_statements_file(path)

    messages = [problem.message for problem in caught.value.problems]
    assert "Add version" in messages
    assert "Add licence" in messages
    assert "Give the text for caf-like-3.2:A1.a.NA1" in messages
