"""The CAF judgement rules: worked examples and properties that hold for every outcome shape."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localdigital.cyber.judgement import ACHIEVED, NOT_ACHIEVED, PARTIALLY_ACHIEVED, suggest


def outcome(na: int, pa: int | None, a: int) -> dict[str, list[str]]:
    levels = {NOT_ACHIEVED: [f"NA.{i}" for i in range(1, na + 1)]}
    if pa is not None:
        levels[PARTIALLY_ACHIEVED] = [f"PA.{i}" for i in range(1, pa + 1)]
    levels[ACHIEVED] = [f"A.{i}" for i in range(1, a + 1)]
    return levels


# An outcome shape: not-achieved, (optional) partially-achieved and achieved indicator counts.
shapes = st.builds(
    outcome,
    st.integers(0, 6),
    st.one_of(st.none(), st.integers(0, 6)),
    st.integers(0, 6),
)


@st.composite
def outcome_and_ticks(draw):
    levels = draw(shapes)
    every = [i for ids in levels.values() for i in ids]
    ticks = draw(st.sets(st.sampled_from(every))) if every else set()
    return levels, ticks


RANK = {NOT_ACHIEVED: 0, PARTIALLY_ACHIEVED: 1, ACHIEVED: 2}


# Worked examples, in the order the rules are applied.
def test_nothing_ticked_is_not_achieved():
    assert suggest(outcome(2, 2, 3), []) == NOT_ACHIEVED


def test_all_achieved_indicators_true_is_achieved():
    assert suggest(outcome(2, 2, 3), ["A.1", "A.2", "A.3"]) == ACHIEVED


def test_one_not_achieved_indicator_outweighs_all_achieved_ones():
    assert suggest(outcome(2, 2, 3), ["A.1", "A.2", "A.3", "NA.2"]) == NOT_ACHIEVED


def test_all_partially_achieved_indicators_true_is_partially_achieved():
    assert suggest(outcome(2, 2, 3), ["PA.1", "PA.2", "A.1"]) == PARTIALLY_ACHIEVED


def test_some_achieved_indicators_without_the_rest_is_not_achieved():
    assert suggest(outcome(2, None, 3), ["A.1", "A.2"]) == NOT_ACHIEVED


def test_both_sets_fully_true_suggests_the_better_level():
    assert suggest(outcome(1, 1, 1), ["PA.1", "A.1"]) == ACHIEVED


def test_a_level_with_no_indicators_is_never_reached_by_ticking_nothing():
    assert suggest(outcome(0, 0, 0), []) == NOT_ACHIEVED
    assert suggest(outcome(1, 0, 2), ["A.1"]) == NOT_ACHIEVED


def test_ticks_from_another_outcome_are_ignored():
    assert suggest(outcome(1, None, 1), ["A.1", "B2.a.NA.1"]) == ACHIEVED


def test_an_outcome_needs_levels():
    with pytest.raises(ValueError, match="at least one level"):
        suggest({}, [])


# Properties.
@given(outcome_and_ticks())
def test_the_suggestion_is_always_one_of_the_outcomes_levels(case):
    levels, ticks = case
    assert suggest(levels, ticks) in levels


@given(outcome_and_ticks())
def test_an_outcome_without_partially_achieved_never_gets_it(case):
    levels, ticks = case
    levels.pop(PARTIALLY_ACHIEVED, None)
    ticks = {t for t in ticks if not t.startswith("PA.")}
    assert suggest(levels, ticks) != PARTIALLY_ACHIEVED


@given(outcome_and_ticks(), st.data())
def test_ticking_a_not_achieved_indicator_never_improves_the_suggestion(case, data):
    levels, ticks = case
    if not levels[NOT_ACHIEVED]:
        return
    extra = data.draw(st.sampled_from(levels[NOT_ACHIEVED]))
    before = suggest(levels, ticks)
    after = suggest(levels, ticks | {extra})
    assert RANK[after] <= RANK[before]
    assert after == NOT_ACHIEVED


@given(outcome_and_ticks())
def test_all_achieved_true_and_no_not_achieved_true_is_achieved(case):
    levels, ticks = case
    if not levels[ACHIEVED]:
        return
    ticks = {t for t in ticks if not t.startswith("NA.")} | set(levels[ACHIEVED])
    assert suggest(levels, ticks) == ACHIEVED


@given(outcome_and_ticks(), st.data())
def test_ticking_more_good_indicators_never_worsens_the_suggestion(case, data):
    levels, ticks = case
    good = [i for key in (PARTIALLY_ACHIEVED, ACHIEVED) for i in levels.get(key, [])]
    if not good:
        return
    extra = data.draw(st.sampled_from(good))
    assert RANK[suggest(levels, ticks | {extra})] >= RANK[suggest(levels, ticks)]


@given(outcome_and_ticks())
def test_any_not_achieved_tick_means_not_achieved(case):
    levels, ticks = case
    if ticks & set(levels[NOT_ACHIEVED]):
        assert suggest(levels, ticks) == NOT_ACHIEVED
