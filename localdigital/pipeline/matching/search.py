"""Relevance scores for a free-text Pipeline search, shared by the list page and the API."""

from localdigital.pipeline.matching import engine


def search_scores(text: str) -> dict[int, float]:
    """Score every item whose features match `text` (item id -> score, higher is better),
    understanding the sector thesaurus. Visibility is NOT applied: callers intersect with their
    own visible queryset."""
    return engine.search_scores(text)
