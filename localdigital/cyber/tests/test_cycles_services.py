"""Starting CAF cycles and adding assessments: the rules, bad input and who may do it."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.cyber.services import cycles as services
from localdigital.estate.models import Function, System
from localdigital.frameworks.models import Framework, Profile


def make_system(organisation, name, *, critical=False):
    function, _ = Function.objects.get_or_create(
        key="revenues", defaults={"name": "Revenues", "position": 1}
    )
    return System.objects.create(
        organisation=organisation, function=function, other_name=name, critical=critical
    )


def test_the_lead_starts_a_cycle_with_its_organisation_assessment(caf, council, people):
    cycle = services.cycle_start(
        actor=people["lead"], organisation=council, year=2026, framework=caf
    )
    assert cycle.previous is None
    organisation = cycle.assessments.get()
    assert organisation.kind == Assessment.Kind.ORGANISATION
    codes = list(organisation.answers.values_list("node__code", flat=True))
    assert codes[0] == "A1.a"
    assert {code[0] for code in codes} == {"A", "D"}
    assert len(codes) == services.outcome_nodes(caf, "organisation").count()
    assert AuditEvent.objects.filter(action="cyber.cycle_start", object_id=str(cycle.pk)).exists()


def test_a_new_cycle_follows_the_last_one(caf, council, people):
    first = services.cycle_start(
        actor=people["lead"], organisation=council, year=2025, framework=caf
    )
    second = services.cycle_start(
        actor=people["lead"], organisation=council, year=2026, framework=caf
    )
    assert second.previous == first


def test_a_new_cycle_carries_the_last_ones_answers_forward_to_be_checked(caf, council, people):
    first = services.cycle_start(
        actor=people["lead"], organisation=council, year=2025, framework=caf
    )
    answer = OutcomeAnswer.objects.get(assessment__cycle=first, node__code="A1.a")
    answer.level = answer.node.levels.get(key="achieved")
    answer.justification = "The board sets cyber risk appetite each year."
    answer.status = OutcomeAnswer.Status.COMPLETED
    answer.save()
    second = services.cycle_start(
        actor=people["lead"], organisation=council, year=2026, framework=caf
    )
    carried = OutcomeAnswer.objects.get(assessment__cycle=second, node__code="A1.a")
    assert carried.level.key == "achieved"
    assert carried.justification == "The board sets cyber risk appetite each year."
    assert carried.needs_check
    assert second.assessments.count() == 1
    assert OutcomeAnswer.objects.filter(assessment__cycle=second).count() == (
        OutcomeAnswer.objects.filter(assessment__cycle=first).count()
    )


def test_one_cycle_per_council_per_year(caf, council, people):
    services.cycle_start(actor=people["lead"], organisation=council, year=2026, framework=caf)
    with pytest.raises(ApplicationError, match="already has a cycle for 2026/27"):
        services.cycle_start(actor=people["lead"], organisation=council, year=2026, framework=caf)
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize("name", ["contributor", "approver", "plain_member", "other_lead", "staff"])
def test_only_the_councils_lead_starts_a_cycle(caf, council, people, name):
    with pytest.raises(ApplicationError, match=services.NOT_THE_LEAD):
        services.cycle_start(actor=people[name], organisation=council, year=2026, framework=caf)
    assert not Cycle.objects.exists()


def test_the_framework_must_be_a_caf_version(caf, council, people):
    tcop = Framework.objects.exclude(framework_id="caf").first()
    with pytest.raises(ApplicationError, match=services.NOT_CAF):
        services.cycle_start(actor=people["lead"], organisation=council, year=2026, framework=tcop)
    assert not Cycle.objects.exists()


def test_the_profile_must_belong_to_the_framework(caf, council, people):
    other = Profile.objects.exclude(framework=caf).first()
    assert other is not None
    with pytest.raises(ApplicationError, match=services.PROFILE_NOT_OF_FRAMEWORK):
        services.cycle_start(
            actor=people["lead"], organisation=council, year=2026, framework=caf, profile=other
        )
    assert not Cycle.objects.exists()


def test_the_year_must_be_sensible(caf, council, people):
    with pytest.raises(ApplicationError, match="Enter a year"):
        services.cycle_start(actor=people["lead"], organisation=council, year=1999, framework=caf)


def test_the_lead_adds_a_critical_system_assessment_with_b_and_c(cycle, council, people):
    system = make_system(council, "Revenues and benefits", critical=True)
    assessment = services.assessment_add_system(actor=people["lead"], cycle=cycle, system=system)
    assert assessment.system_name == "Revenues and benefits"
    codes = set(assessment.answers.values_list("node__code", flat=True))
    assert {code[0] for code in codes} == {"B", "C"}
    assert "B5.c" in codes


def test_a_system_is_assessed_once_a_cycle(cycle, council, people):
    system = make_system(council, "Housing")
    services.assessment_add_system(actor=people["lead"], cycle=cycle, system=system)
    with pytest.raises(ApplicationError, match="already has an assessment of Housing"):
        services.assessment_add_system(actor=people["lead"], cycle=cycle, system=system)
    assert Assessment.objects.filter(system=system).count() == 1


def test_another_councils_system_cannot_be_assessed(cycle, other_council, people):
    system = make_system(other_council, "Their system")
    with pytest.raises(ApplicationError, match=services.SYSTEM_NOT_OURS):
        services.assessment_add_system(actor=people["lead"], cycle=cycle, system=system)
    assert not OutcomeAnswer.objects.exists()


def test_a_contributor_cannot_add_assessments(cycle, council, people):
    system = make_system(council, "Housing")
    with pytest.raises(ApplicationError, match=services.NOT_THE_LEAD):
        services.assessment_add_system(actor=people["contributor"], cycle=cycle, system=system)


def test_an_organisation_assessment_is_added_once(cycle, people):
    services.assessment_add_organisation(actor=people["lead"], cycle=cycle)
    with pytest.raises(ApplicationError, match=services.ORGANISATION_EXISTS):
        services.assessment_add_organisation(actor=people["lead"], cycle=cycle)
