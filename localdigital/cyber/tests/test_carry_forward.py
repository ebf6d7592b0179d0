"""Carrying a cycle forward: on the same CAF version and from CAF 3.2 to 4.0 through the
crosswalk, idempotently."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.cyber.services.carry_forward import cycle_carry_forward
from localdigital.frameworks.models import Framework, Indicator, Level, Node


@pytest.fixture
def system(council):
    from localdigital.estate.models import Function, System
    from localdigital.estate.reference_data import load_functions
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    return System.objects.create(
        organisation=council,
        function=Function.objects.first(),
        other_name="Revenues and benefits",
        critical=True,
    )


def level(node, key):
    return Level.objects.get(node=node, key=key)


def answer_all(assessment, letters, *, key="achieved"):
    """Answer every outcome of the given objectives: ticks, a level, text and links."""
    nodes = Node.objects.filter(
        framework=assessment.cycle.framework, type="outcome", assessable=True
    ).filter(code__regex=rf"^[{letters}]")
    for node in nodes:
        ticks = list(Indicator.objects.filter(node=node).values_list("indicator_id", flat=True)[:2])
        OutcomeAnswer.objects.create(
            assessment=assessment,
            node=node,
            status=OutcomeAnswer.Status.COMPLETED,
            true_indicators=ticks,
            indicator_comments={ticks[0]: "Seen in the policy"} if ticks else {},
            suggested_level=level(node, key) if node.levels.filter(key=key).exists() else None,
            level=level(node, key) if node.levels.filter(key=key).exists() else None,
            justification=f"Justified {node.code}",
            evidence_text=f"Evidence {node.code}",
            evidence_links=[f"https://intranet.example/{node.code}"],
            assurer_agrees=True,
        )
    return nodes.count()


def test_same_version_copies_every_answer_and_marks_it_for_checking(
    caf, council, people, cycle, assessment, system
):
    answer_all(assessment, "AD")
    sys_assessment = Assessment.objects.create(
        cycle=cycle, kind=Assessment.Kind.SYSTEM, system=system, system_name="Revs and bens"
    )
    answer_all(sys_assessment, "BC", key="not-achieved")
    OutcomeAnswer.objects.filter(assessment=assessment).update(owner=people["contributor"])
    new_cycle = Cycle.objects.create(organisation=council, year=2027, framework=caf, previous=cycle)

    result = cycle_carry_forward(actor=people["lead"], new_cycle=new_cycle)

    assert result.assessments == 2
    new_org = new_cycle.assessments.get(kind=Assessment.Kind.ORGANISATION)
    new_sys = new_cycle.assessments.get(kind=Assessment.Kind.SYSTEM)
    assert new_sys.system == system
    assert new_sys.system_name == "Revs and bens"
    assert new_org.status == Assessment.Status.DRAFT
    for old, new in [(assessment, new_org), (sys_assessment, new_sys)]:
        olds = {a.node_id: a for a in old.answers.all()}
        news = {a.node_id: a for a in new.answers.all()}
        assert set(olds) == set(news)
        for node_id, was in olds.items():
            now = news[node_id]
            assert now.true_indicators == was.true_indicators
            assert now.indicator_comments == was.indicator_comments
            assert now.level_id == was.level_id
            assert now.suggested_level_id == was.suggested_level_id
            assert now.justification == was.justification
            assert now.evidence_text == was.evidence_text
            assert now.evidence_links == was.evidence_links
            assert now.owner_id == was.owner_id
            assert now.needs_check is True
            assert now.status == OutcomeAnswer.Status.IN_PROGRESS
            assert now.assurer_agrees is None
    event = AuditEvent.objects.get(action="cyber.carry_forward")
    assert event.data["answers_carried"] == result.carried

    # Running it again adds nothing and leaves what someone changed alone.
    changed = new_org.answers.first()
    OutcomeAnswer.objects.filter(pk=changed.pk).update(
        justification="Checked and changed", needs_check=False
    )
    again = cycle_carry_forward(actor=people["lead"], new_cycle=new_cycle)
    assert again.assessments == 0
    assert again.answers == 0
    assert again.carried == 0
    assert new_cycle.assessments.count() == 2
    assert OutcomeAnswer.objects.filter(assessment__cycle=new_cycle).count() == (
        assessment.answers.count() + sys_assessment.answers.count()
    )
    changed.refresh_from_db()
    assert changed.justification == "Checked and changed"


def test_crosswalk_carries_level_and_text_but_not_ticks_from_caf_3_2_to_4_0(
    caf, council, people, cycle, system
):
    caf32 = Framework.objects.get(framework_id="caf", version="3.2")
    old_cycle = Cycle.objects.create(organisation=council, year=2025, framework=caf32)
    old_org = Assessment.objects.create(cycle=old_cycle, kind=Assessment.Kind.ORGANISATION)
    old_sys = Assessment.objects.create(
        cycle=old_cycle, kind=Assessment.Kind.SYSTEM, system=system, system_name="Revs"
    )
    answer_all(old_org, "AD")
    answer_all(old_sys, "BC")
    # C2.a and C2.b of 3.2 are replaced by C2.a of 4.0: the lower judgement wins.
    c2b = OutcomeAnswer.objects.get(assessment=old_sys, node__node_id="caf-3.2:C2.b")
    c2b.level = level(c2b.node, "not-achieved")
    c2b.save()
    cycle.previous = old_cycle
    cycle.save()

    cycle_carry_forward(actor=people["lead"], new_cycle=cycle)

    org = cycle.assessments.get(kind=Assessment.Kind.ORGANISATION)
    news = {a.node.node_id: a for a in org.answers.select_related("node", "level")}
    expected = Node.objects.filter(framework=caf, type="outcome", assessable=True).filter(
        code__regex=r"^[AD]"
    )
    assert set(news) == set(expected.values_list("node_id", flat=True))
    same = news["caf-4.0:A1.a"]
    assert same.level.key == "achieved"
    assert same.level.node.framework == caf
    assert same.justification == "Justified A1.a"
    assert same.true_indicators == []
    assert same.indicator_comments == {}
    assert same.suggested_level is None
    assert same.needs_check is True
    # Renumbered: 3.2 A2.b is 4.0 A2.c.
    assert news["caf-4.0:A2.c"].justification == "Justified A2.b"
    # New outcomes start empty.
    new = news["caf-4.0:A2.b"]
    assert new.level is None
    assert new.justification == ""
    assert new.status == OutcomeAnswer.Status.NOT_STARTED

    system_answers = {
        a.node.node_id: a
        for a in cycle.assessments.get(system=system).answers.select_related("node", "level")
    }
    replaced = system_answers["caf-4.0:C2.a"]
    assert replaced.level.key == "not-achieved"
    assert "C2.a and C2.b" in replaced.justification
    assert "Justified C2.b" in replaced.justification
    assert replaced.evidence_links == [
        "https://intranet.example/C2.a",
        "https://intranet.example/C2.b",
    ]
    assert system_answers["caf-4.0:C1.f"].level is None

    before = OutcomeAnswer.objects.filter(assessment__cycle=cycle).count()
    cycle_carry_forward(actor=people["lead"], new_cycle=cycle)
    assert OutcomeAnswer.objects.filter(assessment__cycle=cycle).count() == before


def test_a_cycle_with_no_previous_one_cannot_be_carried_forward(people, cycle):
    with pytest.raises(ApplicationError, match="does not follow an earlier one"):
        cycle_carry_forward(actor=people["lead"], new_cycle=cycle)


@pytest.mark.parametrize("role", ["contributor", "approver", "other_lead", "assurer"])
def test_only_the_lead_or_staff_may_carry_forward(role, caf, council, people, cycle, assessment):
    answer_all(assessment, "A")
    new_cycle = Cycle.objects.create(organisation=council, year=2027, framework=caf, previous=cycle)
    with pytest.raises(ApplicationError):
        cycle_carry_forward(actor=people[role], new_cycle=new_cycle)
    assert not new_cycle.assessments.exists()
    cycle_carry_forward(actor=people["staff"], new_cycle=new_cycle)
    assert new_cycle.assessments.count() == 1


def test_a_level_the_new_outcome_lacks_becomes_the_next_level_down():
    from localdigital.cyber.services.carry_forward import _level_for

    not_achieved = Level(key="not-achieved", label="Not achieved", rank=0, position=0)
    partly = Level(key="partially-achieved", label="Partially achieved", rank=1, position=1)
    achieved = Level(key="achieved", label="Achieved", rank=2, position=2)
    two_level = [
        Level(key="not-achieved", label="Not achieved", rank=0, position=0),
        Level(key="achieved", label="Achieved", rank=2, position=1),
    ]
    assert _level_for(achieved, two_level) is two_level[1]
    assert _level_for(partly, two_level) is two_level[0]
    assert _level_for(not_achieved, two_level) is two_level[0]
    assert _level_for(None, two_level) is None
    assert _level_for(achieved, []) is None
