"""Relevance scores for a free-text Pipeline search, shared by the list page and the API."""


def search_scores(text: str) -> dict[int, float]:
    """Score every item whose text matches `text` (item id -> score, higher is better).

    Visibility is NOT applied here: callers intersect with their own visible queryset.
    Placeholder until the matcher lands: plain word containment on Item.search_text.
    """
    from localdigital.pipeline.models import Item

    words = [w for w in text.lower().split() if w]
    if not words:
        return {}
    scores: dict[int, float] = {}
    for pk, haystack in Item.objects.values_list("pk", "search_text").iterator():
        hits = sum(1 for w in words if w in haystack)
        if hits:
            scores[pk] = hits / len(words)
    return scores
