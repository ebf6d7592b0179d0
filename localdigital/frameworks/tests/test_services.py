"""Loading framework files and statements overlays into the database."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks import reference_data, services
from localdigital.frameworks.loader import parse_framework_file, parse_statements_file
from localdigital.frameworks.models import (
    Framework,
    Indicator,
    Level,
    Node,
    Profile,
    ProfileTarget,
)
from localdigital.frameworks.reference_data import DATA_DIR, load_frameworks
from localdigital.frameworks.tests.conftest import CAF_LIKE, CAF_LIKE_STATEMENTS

pytestmark = pytest.mark.django_db

MODELS = [Framework, Node, Level, Indicator, Profile, ProfileTarget, AuditEvent]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def load(path):
    return services.framework_load(actor=None, spec=parse_framework_file(path))


def load_statements(path):
    return services.framework_statements_load(actor=None, spec=parse_statements_file(path))


def test_the_tcop_file_loads_thirteen_assessable_points_each_with_four_levels():
    result = load_frameworks(path=reference_data.DATA_DIR / "tcop.yaml")

    assert (result.created, result.unchanged) == (1, 0)
    tcop = Framework.objects.get(framework_id="tcop")
    assert tcop.key == "tcop@2025"
    assert tcop.kind == Framework.Kind.STANDARD
    assert tcop.licence == "Open Government Licence v3.0"
    points = list(tcop.nodes.order_by("position"))
    assert len(points) == 13
    assert all(point.assessable and point.type == "point" for point in points)
    assert [p.node_id for p in points] == [f"tcop:{n}" for n in range(1, 14)]
    assert points[0].title == "Define user needs"
    assert list(points[5].levels.values_list("key", "rank")) == [
        ("meets", 2),
        ("partly-meets", 1),
        ("does-not-meet", 0),
        ("not-applicable", None),
    ]
    assert Level.objects.count() == 52


def test_loading_the_same_files_again_changes_nothing():
    load_frameworks()
    before = counts()
    loaded = dict(Framework.objects.values_list("pk", "loaded_at"))

    again = load_frameworks()

    assert (again.created, again.unchanged) == (0, len(loaded))
    assert not again.changed
    assert counts() == before
    assert dict(Framework.objects.values_list("pk", "loaded_at")) == loaded


def test_loading_the_same_file_through_the_service_reports_unchanged():
    load(CAF_LIKE)

    result = load(CAF_LIKE)

    assert result.created is False
    assert result.summary() == "caf-like 3.2 is already loaded with the same content: unchanged."


def test_the_same_version_with_different_content_is_refused_and_the_loaded_one_kept(
    write_yaml, caf_like
):
    load(CAF_LIKE)
    before = counts()
    caf_like["nodes"][0]["title"] = "Managing risk"

    with pytest.raises(ReferenceDataError) as caught:
        load(write_yaml(caf_like))

    assert [problem.message for problem in caught.value.problems] == [
        "caf-like 3.2 is already loaded with different content: give the file a new version"
    ]
    assert counts() == before
    assert Node.objects.get(node_id="caf-like-3.2:A").title == "Managing security risk"


def test_a_new_version_is_a_second_framework_and_the_first_is_untouched(write_yaml, caf_like):
    first = load(CAF_LIKE).framework
    first_nodes = list(first.nodes.values_list("pk", "node_id", "title"))
    caf_like["version"] = "4.0"
    caf_like["namespace"] = "caf-like-4.0"
    text = write_yaml(caf_like).read_text().replace("caf-like-3.2:", "caf-like-4.0:")
    text = text.replace("Board direction", "Board leadership")

    second = load(write_yaml(text)).framework

    assert Framework.objects.count() == 2
    assert second.pk != first.pk
    assert second.key == "caf-like@4.0"
    assert list(first.nodes.values_list("pk", "node_id", "title")) == first_nodes
    assert second.nodes.get(code="A1.a").title == "Board leadership"


def test_a_caf_like_file_loads_its_tree_scales_indicators_and_profile():
    result = load(CAF_LIKE)

    framework = result.framework
    assert result.counts == {
        "nodes": 7,
        "assessable": 3,
        "levels": 8,
        "indicators": 7,
        "profiles": 1,
        "targets": 3,
    }
    board = framework.nodes.get(node_id="caf-like-3.2:A1.a")
    backups = framework.nodes.get(node_id="caf-like-3.2:B5.c")
    assert board.parent.node_id == "caf-like-3.2:A1"
    assert board.parent.parent.node_id == "caf-like-3.2:A"
    assert (board.depth, board.type, board.code, board.scale) == (2, "outcome", "A1.a", "two-level")
    assert list(board.levels.values_list("key", flat=True)) == ["not-achieved", "achieved"]
    assert list(backups.levels.values_list("key", flat=True)) == [
        "not-achieved",
        "partially-achieved",
        "achieved",
    ]
    assert not framework.nodes.get(node_id="caf-like-3.2:A1").assessable
    statements = {
        i.indicator_id: (i.level.key, i.statement) for i in board.indicators.select_related("level")
    }
    assert statements == {
        "caf-like-3.2:A1.a.NA1": ("not-achieved", ""),
        "caf-like-3.2:A1.a.NA2": ("not-achieved", ""),
        "caf-like-3.2:A1.a.A1": ("achieved", "The board discusses security regularly."),
    }
    profile = framework.profiles.get()
    assert (profile.profile_id, profile.origin) == ("baseline", Profile.Origin.FILE)
    targets = {t.node.node_id: t.level.key if t.level else None for t in profile.targets.all()}
    assert targets == {
        "caf-like-3.2:A1.a": "achieved",
        "caf-like-3.2:B5.c": "partially-achieved",
        "caf-like-3.2:B5.d": None,
    }
    assert not profile.targets.get(node__code="B5.d").required


def test_loading_a_framework_is_recorded_in_the_audit_log():
    framework = load(CAF_LIKE).framework

    event = AuditEvent.objects.get(action="framework.load")
    assert event.object_id == str(framework.pk)
    assert event.data["nodes"] == 7


def test_an_invalid_file_writes_nothing_and_lists_every_problem(write_yaml, caf_like):
    load_frameworks()
    before = counts()
    caf_like.pop("licence")
    caf_like["profiles"][0]["targets"]["caf-like-3.2:Z9.z"] = "achieved"

    with pytest.raises(ReferenceDataError) as caught:
        load_frameworks(path=write_yaml(caf_like))

    assert len(caught.value.problems) == 2
    assert counts() == before


def test_a_refused_file_in_the_data_folder_leaves_the_others_unwritten(
    tmp_path, monkeypatch, write_yaml, caf_like
):
    load(CAF_LIKE)
    (tmp_path / "tcop.yaml").write_text((DATA_DIR / "tcop.yaml").read_text())
    caf_like["name"] = "Changed without a new version"
    write_yaml(caf_like, name="caf_like.yaml")
    monkeypatch.setattr(reference_data, "DATA_DIR", tmp_path)
    before = counts()

    with pytest.raises(ReferenceDataError, match="give the file a new version"):
        load_frameworks()

    assert counts() == before
    assert not Framework.objects.filter(framework_id="tcop").exists()


def test_two_files_with_the_same_id_and_version_are_rejected(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(CAF_LIKE.read_text())
    (tmp_path / "b.yaml").write_text(CAF_LIKE.read_text())
    monkeypatch.setattr(reference_data, "DATA_DIR", tmp_path)

    with pytest.raises(ReferenceDataError, match="caf-like@3.2 is also in a.yaml"):
        load_frameworks()

    assert not Framework.objects.exists()


# Statements overlays


def test_a_statements_overlay_fills_empty_text_and_records_its_licence():
    load(CAF_LIKE)

    result = load_statements(CAF_LIKE_STATEMENTS)

    assert (result.indicators, result.descriptions) == (3, 1)
    framework = Framework.objects.get()
    assert framework.statements_licence == "Statements licence for tests"
    assert framework.statements_source_url == "https://example.org/caf-like/statements"
    assert framework.statements_loaded_at is not None
    assert framework.licence == "Open Government Licence v3.0"
    indicator = Indicator.objects.get(indicator_id="caf-like-3.2:B5.c.A1")
    assert indicator.statement == "Backups are kept offline and tested."
    # Text the framework file gave is kept; ids the overlay does not name keep theirs.
    assert Indicator.objects.get(indicator_id="caf-like-3.2:A1.a.A1").statement == (
        "The board discusses security regularly."
    )
    assert Indicator.objects.get(indicator_id="caf-like-3.2:B5.c.A2").statement == ""
    backups = Node.objects.get(node_id="caf-like-3.2:B5.c")
    assert backups.description == "You hold backups you can restore from."
    assert AuditEvent.objects.filter(action="framework.statements_load").count() == 1


def test_loading_the_same_statements_again_changes_nothing():
    load(CAF_LIKE)
    load_statements(CAF_LIKE_STATEMENTS)
    before = counts()

    result = load_statements(CAF_LIKE_STATEMENTS)

    assert result.created is False
    assert counts() == before


def test_statements_naming_unknown_indicators_are_rejected_and_write_nothing(write_yaml):
    load(CAF_LIKE)
    text = CAF_LIKE_STATEMENTS.read_text().replace(
        "indicators:\n",
        "indicators:\n  caf-like-3.2:Z1.a.A1: Unknown.\n  caf-like-3.2:Z1.a.A2: Unknown too.\n",
    )

    with pytest.raises(ReferenceDataError) as caught:
        load_statements(write_yaml(text, name="bad.statements.yaml"))

    assert [str(problem) for problem in caught.value.problems] == [
        "bad.statements.yaml, line 7, indicators: There is no indicator caf-like-3.2:Z1.a.A1 "
        "in caf-like 3.2",
        "bad.statements.yaml, line 8, indicators: There is no indicator caf-like-3.2:Z1.a.A2 "
        "in caf-like 3.2",
    ]
    framework = Framework.objects.get()
    assert framework.statements_licence == ""
    assert Indicator.objects.exclude(statement="").count() == 1


def test_statements_cannot_replace_text_from_the_framework_file(write_yaml):
    load(CAF_LIKE)
    text = CAF_LIKE_STATEMENTS.read_text() + "  caf-like-3.2:A1.a: The board decides.\n"
    text = text.replace(
        "indicators:\n", "indicators:\n  caf-like-3.2:A1.a.A1: A different statement.\n"
    )

    with pytest.raises(ReferenceDataError) as caught:
        load_statements(write_yaml(text, name="bad.statements.yaml"))

    messages = [problem.message for problem in caught.value.problems]
    assert messages == [
        services.TEXT_ALREADY_SET.format(item_id="caf-like-3.2:A1.a.A1"),
        services.TEXT_ALREADY_SET.format(item_id="caf-like-3.2:A1.a"),
    ]


def test_a_different_statements_overlay_for_the_same_version_is_refused(write_yaml):
    load(CAF_LIKE)
    load_statements(CAF_LIKE_STATEMENTS)
    text = CAF_LIKE_STATEMENTS.read_text().replace("tested.", "tested monthly.")

    with pytest.raises(ReferenceDataError, match="already has statements from a different file"):
        load_statements(write_yaml(text, name="other.statements.yaml"))


def test_statements_for_a_version_not_loaded_are_refused():
    with pytest.raises(ReferenceDataError) as caught:
        load_statements(CAF_LIKE_STATEMENTS)

    assert caught.value.problems[0].message == services.STATEMENTS_NO_FRAMEWORK.format(
        framework_id="caf-like", version="3.2"
    )


def test_overlays_in_the_data_folder_load_after_every_framework_file(tmp_path, monkeypatch):
    (tmp_path / "a.statements.yaml").write_text(CAF_LIKE_STATEMENTS.read_text())
    (tmp_path / "z.yaml").write_text(CAF_LIKE.read_text())
    monkeypatch.setattr(reference_data, "DATA_DIR", tmp_path)

    result = load_frameworks()

    assert result.details["nodes added"] == 7
    assert result.details["statements added"] == 4
    assert Framework.objects.get().statements_licence == "Statements licence for tests"
