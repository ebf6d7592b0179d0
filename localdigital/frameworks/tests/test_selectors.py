"""Reading frameworks: versions, the newest version, and trees in a fixed number of queries."""

import pytest

from localdigital.frameworks import selectors, services
from localdigital.frameworks.loader import parse_framework_file
from localdigital.frameworks.tests.conftest import CAF_LIKE

pytestmark = pytest.mark.django_db


def load(path):
    return services.framework_load(actor=None, spec=parse_framework_file(path)).framework


def load_version(write_yaml, data, version):
    data = {**data, "version": version}
    return load(write_yaml(data, name=f"caf-{version}.yaml"))


def test_the_tree_is_nested_in_document_order_with_levels_and_indicators_in_three_queries(
    django_assert_num_queries,
):
    framework = load(CAF_LIKE)

    with django_assert_num_queries(3):
        tree = selectors.framework_tree(framework)
        walked = [
            (
                item.node.code,
                [
                    (level.key, [i.indicator_id for i in level.indicators.all()])
                    for level in item.levels
                ],
            )
            for root in tree
            for item in root.walk()
        ]

    assert [root.node.code for root in tree] == ["A", "B"]
    assert [child.node.code for child in tree[1].children[0].children] == ["B5.c", "B5.d"]
    assert [code for code, _ in walked] == ["A", "A1", "A1.a", "B", "B5", "B5.c", "B5.d"]
    assert dict(walked)["B5.c"] == [
        ("not-achieved", ["caf-like-3.2:B5.c.NA1"]),
        ("partially-achieved", ["caf-like-3.2:B5.c.PA1"]),
        ("achieved", ["caf-like-3.2:B5.c.A1", "caf-like-3.2:B5.c.A2"]),
    ]
    assert dict(walked)["A"] == []


def test_trees_for_many_frameworks_take_the_same_queries_as_for_one(
    write_yaml, caf_like, django_assert_num_queries
):
    frameworks = [load_version(write_yaml, caf_like, version) for version in ("1", "2", "3")]

    with django_assert_num_queries(2):
        trees = selectors.framework_trees(frameworks)
        levels = [
            len(item.levels) for tree in trees.values() for root in tree for item in root.walk()
        ]

    assert len(trees) == 3
    assert sum(levels) == 3 * 8


def test_without_a_version_the_newest_version_is_got_comparing_numbers(write_yaml, caf_like):
    load_version(write_yaml, caf_like, "3.10")
    load_version(write_yaml, caf_like, "3.9")
    load_version(write_yaml, caf_like, "3.2")

    assert selectors.framework_get("caf-like").version == "3.10"
    assert selectors.framework_get("caf-like", "3.9").version == "3.9"
    assert selectors.framework_get("caf-like", "9.9") is None
    assert selectors.framework_get("nothing") is None
    assert [f.version for f in selectors.framework_list()] == ["3.10", "3.9", "3.2"]


def test_profiles_come_with_their_targets(django_assert_num_queries):
    framework = load(CAF_LIKE)

    with django_assert_num_queries(2):
        profiles = list(selectors.framework_profiles(framework))
        targets = [
            (t.node.code, t.level.key if t.level else None) for t in profiles[0].targets.all()
        ]

    assert targets == [("A1.a", "achieved"), ("B5.c", "partially-achieved"), ("B5.d", None)]
