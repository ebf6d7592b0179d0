"""Gaps against the target profile: the computation, the page's heat map and table, access,
and a query count that does not grow with the assessments."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from localdigital.cyber.models import Assessment, OutcomeAnswer
from localdigital.cyber.selectors.gaps import (
    GAP,
    MET,
    NOT_ASSESSED,
    NOT_REQUIRED,
    assessment_gaps,
    cycle_gaps,
    outcome_state,
)
from localdigital.cyber.tests import test_gaps_fixtures as small
from localdigital.cyber.tests.test_gaps_fixtures import level
from localdigital.frameworks.models import Level, Node, Profile, ProfileTarget

# The small framework replaces the shared `caf` fixture in this module.
caf, profiled, answers = small.caf, small.profiled, small.answers


def states(data):
    return {outcome.node.code: outcome.state for outcome in data.outcomes}


def test_every_outcome_is_compared_with_the_profile_by_rank(profiled, assessment, answers):
    data = assessment_gaps(assessment)
    assert states(data) == {
        "A1.a": GAP,  # not achieved, target achieved
        "A1.b": MET,  # partially achieved meets a partially achieved target
        "A2.a": NOT_REQUIRED,  # the profile says "not required"
        "D1.a": MET,
        "D1.b": NOT_REQUIRED,  # the profile has no target for it
    }
    assert [o.node.code for o in data.gaps] == ["A1.a"]
    assert data.gap_count == 1
    a1a = data.gaps[0]
    assert (a1a.level_label, a1a.target_label) == ("Not achieved", "Achieved")
    assert a1a.answer == answers["A1.a"]


def test_counts_by_objective(profiled, assessment, answers):
    counts = {c.objective.code: c for c in assessment_gaps(assessment).objectives}
    assert set(counts) == {"A", "D"}  # an organisation assessment covers A and D only
    a, d = counts["A"], counts["D"]
    assert (a.outcomes, a.met, a.gaps, a.not_assessed, a.not_required) == (3, 1, 1, 0, 1)
    assert (d.outcomes, d.met, d.gaps, d.not_assessed, d.not_required) == (2, 1, 0, 0, 1)


def test_a_required_outcome_without_a_confirmed_level_is_not_assessed_not_a_gap(
    profiled, assessment, answers
):
    OutcomeAnswer.objects.filter(pk=answers["D1.a"].pk).update(level=None)
    OutcomeAnswer.objects.filter(pk=answers["A1.a"].pk).delete()
    data = assessment_gaps(assessment)
    assert states(data)["D1.a"] == NOT_ASSESSED
    assert states(data)["A1.a"] == NOT_ASSESSED  # no answer row at all
    assert data.gap_count == 0


def test_without_a_profile_nothing_is_a_gap(cycle, assessment, answers):
    assert cycle.profile_id is None
    data = assessment_gaps(assessment)
    assert set(states(data).values()) == {NOT_REQUIRED}
    assert data.gap_count == 0
    assert all(o.target is None for o in data.outcomes)


def test_outcomes_without_partially_achieved_meet_only_at_achieved(caf):
    node = Node.objects.get(framework=caf, code="A1.a")
    assert not node.levels.filter(key="partially-achieved").exists()
    target = level(caf, "A1.a", "achieved")
    assert outcome_state(level(caf, "A1.a", "not-achieved"), target) == GAP
    assert outcome_state(level(caf, "A1.a", "achieved"), target) == MET
    # A partially achieved level of another outcome still falls short of achieved.
    assert outcome_state(level(caf, "A1.b", "partially-achieved"), target) == GAP
    assert outcome_state(level(caf, "A1.b", "achieved"), level(caf, "A1.b", "achieved")) == MET


def test_a_level_outside_the_order_falls_short_and_no_target_is_never_a_gap(caf):
    unranked = Level(key="not-applicable", label="Not applicable", rank=None, position=9)
    assert outcome_state(unranked, level(caf, "A1.a", "achieved")) == GAP
    assert outcome_state(level(caf, "A1.a", "not-achieved"), None) == NOT_REQUIRED
    assert outcome_state(None, None) == NOT_REQUIRED


def test_a_system_assessment_covers_objectives_b_and_c(profiled, caf):
    system = Assessment.objects.create(cycle=profiled, kind=Assessment.Kind.SYSTEM)
    data = assessment_gaps(system)
    assert states(data) == {"B1.a": NOT_ASSESSED}


def test_the_whole_cycle_in_a_constant_number_of_queries(profiled, assessment, answers):
    with CaptureQueriesContext(connection) as one:
        cycle_gaps(profiled)
    for _ in range(3):
        Assessment.objects.create(cycle=profiled, kind=Assessment.Kind.SYSTEM)
    with CaptureQueriesContext(connection) as four:
        results = cycle_gaps(profiled)
    assert len(results) == 4
    assert len(four) == len(one) <= 4


# The page


def gaps_url(assessment):
    return reverse("cyber:gaps", kwargs={"pk": assessment.pk})


def test_the_heat_map_and_the_table_show_the_same_facts(
    verified_client, people, profiled, assessment, answers
):
    response = verified_client(people["lead"]).get(gaps_url(assessment))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    svg = soup.select_one("svg#gaps-heatmap")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text() == "Outcomes against the target profile"
    assert svg.select_one("desc").get_text()
    cells = {g["data-outcome"]: g for g in svg.select("g.hub-heatmap__cell")}
    rows = {tr["data-outcome"]: tr for tr in soup.select("#gaps-table tbody tr")}
    assert set(cells) == set(rows) == {"A1.a", "A1.b", "A2.a", "D1.a", "D1.b"}
    for code, cell in cells.items():
        assert cell["data-state"] == rows[code]["data-state"]
        # Each cell says its state in words, not colour alone.
        assert cell.select("text")[1].get_text() in {
            "Gap",
            "Meets target",
            "No target",
            "Not assessed",
        }
    assert cells["A1.a"].select("text")[1].get_text() == "Gap"
    assert "Not achieved" in rows["A1.a"].get_text()
    assert [g["data-principle"] for g in svg.select("g.hub-heatmap__row")] == ["A1", "A2", "D1"]
    # Only gaps offer "Add to the plan", prefilled from the answer.
    links = soup.select("#gaps-table a[href*='answer=']")
    assert [a["href"] for a in links] == [
        reverse("cyber:action_add", kwargs={"pk": assessment.pk}) + f"?answer={answers['A1.a'].pk}"
    ]
    counts = soup.select_one("#objective-counts tr[data-objective='A']").get_text()
    assert "3" in counts


def test_people_who_may_not_plan_see_the_gaps_without_the_add_link(
    verified_client, people, profiled, assessment, answers
):
    response = verified_client(people["contributor"]).get(gaps_url(assessment))
    assert response.status_code == 200
    assert b"Add to the plan" not in response.content


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lead", 200),
        ("contributor", 200),
        ("approver", 200),
        ("assurer", 200),
        ("staff", 200),
        ("plain_member", 404),
        ("other_lead", 404),
        ("other_assurer", 404),
        ("no_council", 404),
    ],
)
def test_who_may_see_the_gaps(verified_client, people, assessment, name, status):
    assert verified_client(people[name]).get(gaps_url(assessment)).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, assessment):
    response = client.get(gaps_url(assessment))
    assert response.status_code == 302
    assert "sign-in" in response["Location"] or "login" in response["Location"]


def test_the_page_makes_the_same_number_of_queries_however_many_answers(
    verified_client, people, profiled, assessment, caf
):
    signed_in = verified_client(people["lead"])
    with CaptureQueriesContext(connection) as empty:
        assert signed_in.get(gaps_url(assessment)).status_code == 200
    for node in Node.objects.filter(framework=caf, assessable=True, parent__parent__code="A"):
        OutcomeAnswer.objects.create(
            assessment=assessment, node=node, level=level(caf, node.code, "achieved")
        )
    with CaptureQueriesContext(connection) as full:
        assert signed_in.get(gaps_url(assessment)).status_code == 200
    assert len(full) == len(empty)


def test_gaps_on_the_real_caf_4_0_with_a_profile(db, council, people, verified_client):
    from localdigital.cyber.models import Cycle
    from localdigital.frameworks.reference_data import load_frameworks

    load_frameworks()
    from localdigital.frameworks.models import Framework

    caf40 = Framework.objects.get(framework_id="caf", version="4.0")
    profile = Profile.objects.create(
        framework=caf40, profile_id="local", name="Local government", origin="hub"
    )
    outcomes = list(Node.objects.filter(framework=caf40, assessable=True, type="outcome"))
    for node in outcomes:
        ProfileTarget.objects.create(
            profile=profile, node=node, level=node.levels.get(key="achieved")
        )
    cycle = Cycle.objects.create(organisation=council, year=2027, framework=caf40, profile=profile)
    organisation = Assessment.objects.create(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
    a1a = next(n for n in outcomes if n.code == "A1.a")
    OutcomeAnswer.objects.create(
        assessment=organisation, node=a1a, level=a1a.levels.get(key="not-achieved")
    )
    data = assessment_gaps(organisation)
    ad = [n for n in outcomes if n.code[0] in "AD"]
    assert len(data.outcomes) == len(ad)
    assert [o.node.code for o in data.gaps] == ["A1.a"]
    assert sum(c.not_assessed for c in data.objectives) == len(ad) - 1
    response = verified_client(people["lead"]).get(gaps_url(organisation))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("g.hub-heatmap__cell")) == len(ad)


def test_a_gap_already_in_the_plan_says_so(verified_client, people, profiled, assessment, answers):
    from localdigital.cyber.models import PlanAction

    PlanAction.objects.create(
        assessment=assessment, answer=answers["A1.a"], description="Brief the board"
    )
    response = verified_client(people["approver"]).get(gaps_url(assessment))
    row = BeautifulSoup(response.content, "html.parser").select_one("tr[data-outcome='A1.a']")
    assert "In the plan" in row.get_text()


ranks = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


def unsaved(rank):
    return Level(key=f"level-{rank}", label=f"Level {rank}", rank=rank, position=0)


@given(
    level_rank=st.one_of(st.just("unanswered"), ranks),
    target_rank=st.one_of(st.just("none"), ranks),
)
def test_the_comparison_rules_hold_for_any_ranks(level_rank, target_rank):
    level_ = None if level_rank == "unanswered" else unsaved(level_rank)
    target = None if target_rank == "none" else unsaved(target_rank)
    state = outcome_state(level_, target)
    if target is None or target.rank is None:
        assert state == NOT_REQUIRED
    elif level_ is None:
        assert state == NOT_ASSESSED
    elif level_.rank is not None and level_.rank >= target.rank:
        assert state == MET
    else:
        assert state == GAP
