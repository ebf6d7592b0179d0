"""The CAF judgement rules: which level the ticked indicators suggest for one outcome.

Pure Python, no database, so the rules can be tested exhaustively with Hypothesis.

The rules (issue 7, item 3), applied in this order:
1. any "not achieved" indicator ticked as true -> not achieved;
2. every "achieved" indicator true -> achieved;
3. every "partially achieved" indicator true -> partially achieved, where the outcome has that
   level;
4. otherwise -> not achieved.

Edge cases, decided here:
- A level with no indicators cannot be "all true" by ticking nothing: rules 2 and 3 need the
  level to have at least one indicator. Otherwise an outcome whose indicator ids are not loaded
  would be suggested "achieved" with nothing ticked. Such outcomes are judged directly.
- Rule 1 wins over everything: one not-achieved indicator true means not achieved even if every
  achieved indicator is also true (the NCSC treats a not-achieved indicator as disqualifying).
- Rule 2 is checked before rule 3, so when both achieved and partially-achieved sets are fully
  true (a "tie"), the better level, achieved, is suggested.
- Ticked ids that belong to no level of the outcome are ignored.
- An outcome without a "not achieved" level (not found in the CAF, but possible in other data)
  falls back to its lowest-ranked level, which `levels` lists first.
"""

from collections.abc import Iterable, Mapping, Sequence

NOT_ACHIEVED = "not-achieved"
PARTIALLY_ACHIEVED = "partially-achieved"
ACHIEVED = "achieved"


def suggest(levels: Mapping[str, Sequence[str]], true_indicators: Iterable[str]) -> str:
    """The suggested level key for one outcome.

    `levels` maps each of the outcome's level keys, lowest first, to the ids of its
    indicators; `true_indicators` are the ids ticked as true.
    """
    if not levels:
        raise ValueError("An outcome needs at least one level")
    ticked = set(true_indicators)
    fallback = NOT_ACHIEVED if NOT_ACHIEVED in levels else next(iter(levels))
    if ticked & set(levels.get(NOT_ACHIEVED, ())):
        return fallback

    def all_true(key: str) -> bool:
        indicators = set(levels.get(key, ()))
        return key in levels and bool(indicators) and indicators <= ticked

    if all_true(ACHIEVED):
        return ACHIEVED
    if all_true(PARTIALLY_ACHIEVED):
        return PARTIALLY_ACHIEVED
    return fallback
