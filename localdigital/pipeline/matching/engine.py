"""Matchmaking: similar work for a text or an item, search relevance, and stored matches.

A score is the cosine similarity of the two texts' features (see `analyser` and `index`) plus
the bonuses of the structured signals in `signals` (same service area, both problems...). Later
capabilities register their own signals ("existing solutions", "same systems") the same way.
"""

from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from localdigital.core.access import (
    active_organisation_ids,
    is_sector_member,
    pipeline_visible_q,
)
from localdigital.pipeline.matching import signals
from localdigital.pipeline.matching.analyser import (
    ANALYSER_VERSION,
    analyse_fields,
    analyse_query,
    item_fields,
)
from localdigital.pipeline.matching.index import MatchIndex, current_index
from localdigital.pipeline.models import Item, Match, MatchDocument

MATCHES_PER_ITEM = 10
CANDIDATES = 30
MIN_SCORE = 0.08


def visible_mask(index: MatchIndex, user: Any) -> np.ndarray:
    """Which documents the person may see: public ones for visitors, members-only ones for
    sector members, and their own organisations' drafts. Archived items are never suggested."""
    if user is None or not getattr(user, "is_authenticated", False):
        return index.public
    mask = index.members.copy() if is_sector_member(user) else index.public.copy()
    own = list(active_organisation_ids(user))
    if own:
        mask |= np.isin(index.organisation, own) & index.draft & index.active
    return mask


def _why(index: MatchIndex, query_terms: Any, position: int, reasons: list[str]) -> list[str]:
    shared = index.shared_terms(query_terms, position)
    why = [f"shared terms: {', '.join(shared)}"] if shared else []
    return why + reasons


def similar_to_text(text: str, *, limit: int = 5, user: Any = None) -> list[dict[str, Any]]:
    """Items most like `text` that `user` may see (None: an anonymous visitor), best first,
    as dicts with id, title, organisation, score and why."""
    index = current_index()
    analysis = analyse_query(text)
    if not len(index) or not analysis.terms:
        return []
    scores = index.scores(analysis)
    scores[~visible_mask(index, user)] = 0
    # The in-memory index may trail a change by the seconds its background rebuild takes, so
    # the database has the last word on what the person may see (a page that just became a
    # draft or was archived never shows here).
    top = _top(scores, limit + 5)
    names = {
        pk: (title, organisation)
        for pk, title, organisation in Item.objects.filter(
            pipeline_visible_q(user),
            status=Item.Status.ACTIVE,
            pk__in=[int(index.item_ids[p]) for p in top],
        ).values_list("pk", "title", "organisation__short_name")
    }
    top = [p for p in top if int(index.item_ids[p]) in names][:limit]
    return [
        {
            "id": int(index.item_ids[p]),
            "title": names[int(index.item_ids[p])][0],
            "organisation": names[int(index.item_ids[p])][1],
            "score": round(float(scores[p]), 4),
            "why": _why(index, analysis.terms, p, []),
        }
        for p in top
    ]


def _top(scores: np.ndarray, limit: int) -> list[int]:
    candidates = np.flatnonzero(scores > MIN_SCORE)
    if not len(candidates):
        return []
    if len(candidates) > limit:
        part = np.argpartition(-scores[candidates], limit)[:limit]
        candidates = candidates[part]
    return sorted(candidates.tolist(), key=lambda p: (-scores[p], p))


def search_scores(text: str) -> dict[int, float]:
    """Relevance of every item to a search (item id -> score); visibility is the caller's."""
    index = current_index()
    analysis = analyse_query(text)
    if not len(index) or not analysis.terms:
        return {}
    scores = index.scores(analysis)
    hits = np.flatnonzero(scores > 0.02)
    return {int(index.item_ids[p]): float(scores[p]) for p in hits}


def build_document(item: Item) -> MatchDocument:
    """Store the item's features (one row per item)."""
    analysis = analyse_fields(item_fields(item, [t.name for t in item.tags.all()]))
    if item.service_area_id:
        analysis.add(f"a:{item.service_area_id}", 1.0, str(item.service_area))
    document, _ = MatchDocument.objects.update_or_create(
        item=item,
        defaults={
            "terms": analysis.as_json(),
            "built_at": timezone.now(),
            "analyser_version": ANALYSER_VERSION,
        },
    )
    return document


def _ranked_for_row(
    index: MatchIndex, position: int, row_scores: np.ndarray
) -> list[tuple[int, float, list[str]]]:
    """One item's best matches among eligible others, with the signals applied."""
    row_scores = row_scores.copy()
    row_scores[index.organisation == index.organisation[position]] = 0
    row_scores[~index.members] = 0
    top = _top(row_scores, CANDIDATES)
    ranked = []
    for p in top:
        bonus, reasons = signals.apply(index.documents[position], index.documents[p])
        ranked.append((p, float(row_scores[p]) + bonus, reasons))
    ranked.sort(key=lambda entry: (-entry[1], entry[0]))
    return ranked[:MATCHES_PER_ITEM]


def _match_rows(index: MatchIndex, position: int, ranked: list, now: Any) -> list[Match]:
    document = index.documents[position]
    return [
        Match(
            item_id=document.item_id,
            other_id=int(index.item_ids[p]),
            score=round(score, 4),
            rank=rank,
            why=_why(index, document.terms, p, reasons),
            computed_at=now,
        )
        for rank, (p, score, reasons) in enumerate(ranked, start=1)
    ]


@transaction.atomic
def refresh_item(item_id: int) -> int:
    """Rebuild one item's features and its stored matches, and add it to the matches of the
    items it is most like. Returns how many matches the item has."""
    item = Item.objects.select_related("service_area", "organisation").filter(pk=item_id).first()
    if item is None:
        return 0
    build_document(item)
    index = current_index(fresh=True)
    position = index.position.get(item.pk)
    if position is None:
        return 0
    now = timezone.now()
    row = np.asarray((index.matrix @ index.matrix[position].T).todense()).ravel()
    ranked = _ranked_for_row(index, position, row)
    Match.objects.filter(item=item).delete()
    rows = _match_rows(index, position, ranked, now)
    Match.objects.bulk_create(rows)
    if index.members[position]:
        _add_reverse(index, position, row, now)
    from localdigital.pipeline.matching.notices import notify_close_matches

    notify_close_matches(item, rows)
    return len(rows)


def _add_reverse(index: MatchIndex, position: int, row: np.ndarray, now: Any) -> None:
    """The item may now belong in others' lists: recompute the lists of its best matches."""
    row = row.copy()
    row[index.organisation == index.organisation[position]] = 0
    for p in _top(row, MATCHES_PER_ITEM):
        other_row = np.asarray((index.matrix @ index.matrix[p].T).todense()).ravel()
        Match.objects.filter(item_id=int(index.item_ids[p])).delete()
        Match.objects.bulk_create(_match_rows(index, p, _ranked_for_row(index, p, other_row), now))


def rebuild_all_matches(**options: Any) -> dict[str, Any]:
    """Recompute every item's features and stored matches (see `rebuild`)."""
    from localdigital.pipeline.matching.rebuild import rebuild_all_matches as rebuild

    return rebuild(**options)
