"""The CAF 3.2 and 4.0 framework files, their profiles, statements overlays, the 3.2 -> 4.0
crosswalk, and the ransomware readiness questionnaire."""

import importlib.util
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks import selectors, services
from localdigital.frameworks.loader import (
    parse_crosswalk_file,
    parse_framework_file,
)
from localdigital.frameworks.models import (
    Crosswalk,
    CrosswalkRow,
    Framework,
    Indicator,
    Node,
    Profile,
)
from localdigital.frameworks.reference_data import DATA_DIR, load_frameworks

pytestmark = pytest.mark.django_db

CAF_32 = DATA_DIR / "caf-3.2.yaml"
CAF_40 = DATA_DIR / "caf-4.0.yaml"
CROSSWALK = DATA_DIR / "caf-crosswalk-3.2-4.0.yaml"
QUESTIONNAIRE = DATA_DIR / "ransomware-readiness.yaml"
SYNTHETIC = Path(__file__).resolve().parent / "data" / "caf-3.2-synthetic.statements.yaml"
SOURCE = DATA_DIR.parents[2].parent / "shared" / "data" / "caf_structure.yaml"
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"


def load(path):
    return services.framework_load(actor=None, spec=parse_framework_file(path)).framework


def run(*args) -> str:
    out = StringIO()
    call_command("load_framework", *[str(arg) for arg in args], stdout=out)
    return out.getvalue().strip()


def outcomes(framework):
    return list(framework.nodes.filter(type="outcome").order_by("position"))


@pytest.fixture
def caf32():
    return load(CAF_32)


@pytest.fixture
def both():
    return load(CAF_32), load(CAF_40)


# The framework files


@pytest.mark.parametrize(
    ("path", "outcome_count", "three_level", "indicators"),
    [
        (CAF_32, 39, 28, {"not-achieved": 154, "partially-achieved": 111, "achieved": 184}),
        (CAF_40, 41, 32, {"not-achieved": 184, "partially-achieved": 148, "achieved": 225}),
    ],
)
def test_each_caf_version_loads_its_structure_levels_and_indicator_ids(
    path, outcome_count, three_level, indicators
):
    caf = load(path)

    assert caf.framework_id == "caf"
    assert caf.kind == Framework.Kind.ASSESSMENT
    assert caf.licence == LICENCE
    assert caf.version in caf.name
    assert "NCSC" in caf.description
    types = Counter(caf.nodes.values_list("type", flat=True))
    assert types == {"objective": 4, "principle": 14, "outcome": outcome_count}
    found = outcomes(caf)
    assert all(node.assessable and node.description for node in found)
    scales = Counter(node.levels.count() for node in found)
    assert scales == {3: three_level, 2: outcome_count - three_level}
    counts = Counter(caf.indicators.values_list("level__key", flat=True))
    assert counts == indicators
    assert not caf.indicators.exclude(statement="").exists()


def test_ids_are_stable_and_name_their_version(caf32):
    b5c = caf32.nodes.get(node_id="caf-3.2:B5.c")
    assert (b5c.code, b5c.title, b5c.type) == ("B5.c", "Backups", "outcome")
    assert b5c.parent.node_id == "caf-3.2:B5"
    assert b5c.parent.parent.node_id == "caf-3.2:B"
    assert [lv.key for lv in b5c.levels.all()] == ["not-achieved", "partially-achieved", "achieved"]
    assert list(b5c.indicators.values_list("indicator_id", flat=True)) == [
        "caf-3.2:B5.c.NA.1",
        "caf-3.2:B5.c.NA.2",
        "caf-3.2:B5.c.NA.3",
        "caf-3.2:B5.c.PA.1",
        "caf-3.2:B5.c.PA.2",
        "caf-3.2:B5.c.A.1",
        "caf-3.2:B5.c.A.2",
    ]
    a1a = caf32.nodes.get(node_id="caf-3.2:A1.a")
    assert [lv.key for lv in a1a.levels.all()] == ["not-achieved", "achieved"]


def test_the_files_carry_no_indicator_wording():
    for path in (CAF_32, CAF_40):
        spec = parse_framework_file(path)
        assert all(not i.statement for node in spec.nodes for i in node.indicators)
        text = path.read_text()
        assert "statement:" not in text
        assert LICENCE in text


@pytest.mark.skipif(not SOURCE.is_file(), reason="the CAF structure facts are not beside the repo")
def test_the_committed_files_are_what_build_caf_writes_from_the_source():
    spec = importlib.util.spec_from_file_location("build_caf", DATA_DIR / "build_caf.py")
    assert spec
    assert spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    facts = yaml.safe_load(SOURCE.read_text())["versions"]

    assert yaml.safe_load(CAF_32.read_text()) == build.framework("3.2", facts["3.2"])
    assert yaml.safe_load(CAF_40.read_text()) == build.framework("4.0", facts["4.0"])
    assert yaml.safe_load(CROSSWALK.read_text()) == build.crosswalk(facts["3.2"], facts["4.0"])
    # Every outcome title of both versions has the Hub's own "what good looks like".
    titles = {o["title"] for v in facts.values() for _, _, o in build._outcomes(v)}
    assert titles <= set(build.WHAT_GOOD_LOOKS_LIKE)


# Profiles


def test_caf_32_ships_the_government_baseline_and_enhanced_profiles(caf32):
    profiles = {p.profile_id: p for p in selectors.framework_profiles(caf32)}

    assert set(profiles) == {"baseline", "enhanced"}
    for profile in profiles.values():
        assert profile.origin == Profile.Origin.FILE
        assert profile.name.startswith("Government CAF")
        assert "central-government GovAssure" in profile.description
        assert "not a local-government profile" in profile.description
        assert len(profile.targets.all()) == 39
    baseline = {
        t.node.code: t.level.key if t.level else None for t in profiles["baseline"].targets.all()
    }
    enhanced = {
        t.node.code: t.level.key if t.level else None for t in profiles["enhanced"].targets.all()
    }
    assert baseline["A1.a"] == "achieved"
    assert baseline["A2.a"] == "partially-achieved"
    assert enhanced["A2.a"] == "achieved"
    assert baseline["B5.c"] == "partially-achieved"
    assert enhanced["B5.c"] == "achieved"
    # "not achieved" as a GovAssure target means no requirement.
    assert baseline["C2.a"] is None
    assert enhanced["C2.b"] is None
    assert sum(1 for level in baseline.values() if level is None) == 2


def test_caf_40_has_no_profiles_yet():
    assert not load(CAF_40).profiles.exists()


# Statements overlays


def test_load_framework_adds_synthetic_statements_to_caf_and_records_their_licence():
    output = run(CAF_32, "--statements", SYNTHETIC)

    assert output.splitlines()[1] == (
        "Added 6 indicator statements and 1 node descriptions to caf 3.2 "
        "(Synthetic statements for tests (no real NCSC wording))."
    )
    caf = Framework.objects.get(framework_id="caf", version="3.2")
    assert caf.statements_licence == "Synthetic statements for tests (no real NCSC wording)"
    assert caf.statements_source_url == "https://example.org/synthetic-caf-statements"
    assert caf.indicators.get(indicator_id="caf-3.2:A1.a.A.1").statement == (
        "Synthetic statement for A1.a achieved 1"
    )
    assert caf.indicators.exclude(statement="").count() == 6
    assert (
        caf.nodes.get(node_id="caf-3.2:A1").description == "Synthetic description for principle A1"
    )
    # The Hub's outcome descriptions stay.
    assert caf.nodes.get(node_id="caf-3.2:B5.c").description.startswith("Important data")


def test_statements_naming_an_indicator_caf_does_not_have_are_refused_with_the_line(
    caf32, write_yaml
):
    text = SYNTHETIC.read_text().replace("caf-3.2:B5.c.A.2:", "caf-3.2:B5.c.A.3:")
    bad = write_yaml(text, name="bad.statements.yaml")
    line = (
        text.splitlines().index("  caf-3.2:B5.c.A.3: Synthetic statement for B5.c achieved 2") + 1
    )

    with pytest.raises(CommandError) as caught:
        run("--statements", bad)

    message = str(caught.value)
    assert message.startswith("Nothing was loaded: 1 problem.")
    assert f"bad.statements.yaml, line {line}, indicators: There is no indicator " in message
    assert "caf-3.2:B5.c.A.3 in caf 3.2" in message
    caf32.refresh_from_db()
    assert caf32.statements_licence == ""
    assert not Indicator.objects.exclude(statement="").exists()


def test_statements_for_a_caf_version_with_the_framework_in_one_go_write_nothing_on_error(
    write_yaml,
):
    text = SYNTHETIC.read_text().replace("caf-3.2:A1.a.A.4:", "caf-3.2:A1.a.A.9:")
    bad = write_yaml(text, name="bad.statements.yaml")

    with pytest.raises(CommandError, match="There is no indicator caf-3.2:A1.a.A.9"):
        run(CAF_32, "--statements", bad)

    assert not Framework.objects.exists()


# The crosswalk


def test_the_crosswalk_maps_every_40_outcome_and_accounts_for_every_32_outcome(both):
    caf32, caf40 = both
    services.crosswalk_load(actor=None, spec=parse_crosswalk_file(CROSSWALK))

    mapping = selectors.crosswalk(caf32, caf40)

    assert mapping is not None
    assert set(mapping) == {node.node_id for node in outcomes(caf40)}
    sources = {node.node_id for entry in mapping.entries.values() for node in entry.from_nodes}
    removed = {node.node_id for entry in mapping.removed for node in entry.from_nodes}
    assert sources | removed == {node.node_id for node in outcomes(caf32)}
    assert not sources & removed
    changes = Counter(entry.change for entry in mapping.entries.values())
    assert changes == {"same": 32, "renamed": 4, "renumbered": 1, "new": 3, "replaced": 1}


def test_the_crosswalk_records_new_renamed_renumbered_and_replaced_outcomes(both):
    caf32, caf40 = both
    services.crosswalk_load(actor=None, spec=parse_crosswalk_file(CROSSWALK))
    mapping = selectors.crosswalk(caf32, caf40)
    assert mapping is not None

    def sources(code):
        return [node.code for node in mapping[f"caf-4.0:{code}"].from_nodes]

    assert mapping["caf-4.0:A2.c"].change == "renumbered"
    assert sources("A2.c") == ["A2.b"]
    assert mapping["caf-4.0:A2.b"].change == "new"
    assert sources("A2.b") == []
    assert {c for c in ("A2.b", "A4.b", "C1.f") if mapping[f"caf-4.0:{c}"].change == "new"} == {
        "A2.b",
        "A4.b",
        "C1.f",
    }
    renamed = mapping["caf-4.0:C1.a"]
    assert renamed.change == "renamed"
    assert sources("C1.a") == ["C1.a"]
    assert renamed.from_nodes[0].title == "Monitoring Coverage"
    assert "Monitoring Coverage" in renamed.note
    assert mapping["caf-4.0:C2.a"].change == "replaced"
    assert sources("C2.a") == ["C2.a", "C2.b"]
    assert mapping["caf-4.0:B5.c"].change == "same"
    assert [e.to_node.code for e in mapping.successors("caf-3.2:C2.b")] == ["C2.a"]
    assert selectors.crosswalk(caf40, caf32) is None


def test_loading_the_crosswalk_again_changes_nothing_and_a_changed_one_is_refused(both, write_yaml):
    spec = parse_crosswalk_file(CROSSWALK)
    first = services.crosswalk_load(actor=None, spec=spec)
    again = services.crosswalk_load(actor=None, spec=parse_crosswalk_file(CROSSWALK))

    assert first.created
    assert not again.created
    assert CrosswalkRow.objects.count() == first.rows == 42
    text = CROSSWALK.read_text().replace("change: renumbered", "change: renamed")
    with pytest.raises(ReferenceDataError, match="already loaded with different content"):
        services.crosswalk_load(actor=None, spec=parse_crosswalk_file(write_yaml(text, "x.yaml")))
    assert Crosswalk.objects.count() == 1


def test_a_crosswalk_missing_an_outcome_or_naming_an_unknown_one_is_refused(both, write_yaml):
    data = yaml.safe_load(CROSSWALK.read_text())
    data["outcomes"] = [row for row in data["outcomes"] if row["to"] != "caf-4.0:B5.c"]
    data["outcomes"][0]["from"] = ["caf-3.2:Z9.z"]

    with pytest.raises(ReferenceDataError) as caught:
        services.crosswalk_load(actor=None, spec=parse_crosswalk_file(write_yaml(data)))

    messages = [problem.message for problem in caught.value.problems]
    assert "There is no assessable node caf-3.2:Z9.z in caf 3.2" in messages
    assert "caf-4.0:B5.c has no row: give every node of caf 4.0 a row" in messages
    assert any(m.startswith("caf-3.2:A1.a is neither the source") for m in messages)
    assert any(m.startswith("caf-3.2:B5.c is neither the source") for m in messages)
    assert not Crosswalk.objects.exists()
    assert not CrosswalkRow.objects.exists()


def test_a_crosswalk_file_with_a_bad_change_is_reported_with_its_line(write_yaml):
    data = yaml.safe_load(CROSSWALK.read_text())
    data["outcomes"][1]["change"] = "merged"
    data["outcomes"][2]["from"] = []

    with pytest.raises(ReferenceDataError) as caught:
        parse_crosswalk_file(write_yaml(data))

    text = [str(problem) for problem in caught.value.problems]
    assert any("The change 'merged' is not one of" in t and ", line " in t for t in text)
    assert any("A same node comes from one node" in t for t in text)


def test_a_crosswalk_needs_both_versions_loaded(caf32):
    with pytest.raises(ReferenceDataError, match="caf 4.0 is not loaded"):
        services.crosswalk_load(actor=None, spec=parse_crosswalk_file(CROSSWALK))


# The ransomware readiness questionnaire and the format's answer and informs keys


def test_the_questionnaire_loads_with_its_answer_types_and_caf_mappings():
    questionnaire = load(QUESTIONNAIRE)

    assert questionnaire.kind == Framework.Kind.QUESTIONNAIRE
    questions = list(questionnaire.nodes.order_by("position"))
    assert len(questions) == 8
    by_id = {q.node_id.split(":")[1]: q for q in questions}
    backups = by_id["backups"]
    assert backups.answer == Node.Answer.LEVEL
    assert [(lv.key, lv.rank) for lv in backups.levels.all()] == [
        ("yes", 2),
        ("partly", 1),
        ("no", 0),
    ]
    assert backups.informs == ["caf:B5.c"]
    for date_question in ("restore-test", "plan-exercised"):
        assert by_id[date_question].answer == Node.Answer.DATE
        assert not by_id[date_question].levels.exists()
    assert by_id["mfa-remote"].informs == ["caf:B2.a"]
    assert by_id["mfa-privileged"].informs == ["caf:B2.c"]
    assert by_id["patching"].informs == ["caf:B4.d"]
    assert by_id["unsupported-software"].informs == ["caf:B4.d"]
    assert by_id["response-plan"].informs == ["caf:D1.a"]
    assert by_id["plan-exercised"].informs == ["caf:D1.c"]
    informed = {ref for q in questions for ref in q.informs}
    assert informed == {"caf:B5.c", "caf:B2.a", "caf:B2.c", "caf:B4.d", "caf:D1.a", "caf:D1.c"}


def test_every_caf_outcome_the_questionnaire_informs_exists_in_both_versions(both):
    refs = {ref for node in parse_framework_file(QUESTIONNAIRE).nodes for ref in node.informs}
    for caf in both:
        codes = set(caf.nodes.values_list("code", flat=True))
        assert {ref.split(":")[1] for ref in refs} <= codes


def test_a_date_question_cannot_have_levels_or_a_profile_target(write_yaml):
    data = yaml.safe_load(QUESTIONNAIRE.read_text())
    data["nodes"][1]["scale"] = "yes-partly-no"
    data["nodes"][2]["answer"] = "number"
    data["nodes"][3]["informs"] = ["B2.c"]
    data["profiles"] = [
        {
            "id": "p",
            "name": "P",
            "targets": {n["id"]: "yes" for n in data["nodes"] if n.get("answer") != "date"}
            | {"ransomware:restore-test": "yes"},
        }
    ]

    with pytest.raises(ReferenceDataError) as caught:
        parse_framework_file(write_yaml(data))

    messages = [problem.message for problem in caught.value.problems]
    assert "A node answered with a date has no scale: remove them" in messages
    assert "answer must be one of level, date" in messages
    assert any(
        "'B2.c' in informs must be a framework id, a colon and a code" in m for m in messages
    )
    assert any(
        "restore-test is answered with a date, so it cannot have a target" in m for m in messages
    )


# Loading everything


def test_load_reference_data_loads_both_caf_versions_the_crosswalk_and_the_questionnaire(client):
    result = load_frameworks()

    assert result.created == 4
    assert result.details["crosswalk rows added"] == 42
    again = load_frameworks()
    assert (again.created, again.unchanged, again.changed) == (0, 4, False)
    body = client.get("/api/v1/frameworks/").json()
    keys = {framework["key"] for framework in body["results"]}
    assert keys == {"caf@3.2", "caf@4.0", "ransomware-readiness@2026", "tcop@2025"}
    detail = client.get("/api/v1/frameworks/caf/3.2/").json()
    assert {p["id"] for p in detail["profiles"]} == {"baseline", "enhanced"}
    assert detail["licence"] == LICENCE
    questionnaire = client.get("/api/v1/frameworks/ransomware-readiness/").json()
    first = questionnaire["tree"][1]
    assert (first["answer"], first["informs"], first["levels"]) == ("date", ["caf:B5.c"], [])


def test_load_framework_loads_the_crosswalk_after_both_versions():
    run(CAF_32)
    with pytest.raises(CommandError, match="caf 4.0 is not loaded"):
        run(CROSSWALK)
    run(CAF_40)

    assert run(CROSSWALK) == "Loaded crosswalk caf-3.2-4.0: 42 rows."
    assert run(CROSSWALK) == "Crosswalk caf-3.2-4.0 is already loaded: unchanged."


def test_statements_can_be_added_later_to_a_caf_version_already_loaded(caf32):
    output = run("--statements", SYNTHETIC)

    assert output.startswith("Added 6 indicator statements and 1 node descriptions to caf 3.2")
    caf32.refresh_from_db()
    assert caf32.statements_loaded_at is not None
    assert run("--statements", SYNTHETIC) == "caf 3.2 already has these statements: unchanged."
