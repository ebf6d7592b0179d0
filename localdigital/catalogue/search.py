"""Catalogue relevance, similar assets and the Pipeline's "existing solutions".

Assets are analysed by the Pipeline's matcher (the sector thesaurus, stemming, n-grams), so
"EHCP" finds a solution described as "education, health and care plans" and an item about a
problem finds the assets that solve it. Each asset's features are stored in `AssetDocument`; the
TF-IDF index over them is held per process (`CachedIndex`), like the Pipeline's.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from localdigital.catalogue.models import Asset, AssetDocument
from localdigital.pipeline.matching.analyser import ANALYSER_VERSION, Analysis, analyse_fields
from localdigital.pipeline.matching.analyser import analyse_query as analyse_text
from localdigital.pipeline.matching.index import CachedIndex, Document, MatchIndex, version_of

MIN_SCORE = 0.08
SEARCH_MIN_SCORE = 0.02


def asset_fields(asset: Asset, tag_names: list[str]) -> dict[str, str]:
    """The text of an asset the matcher reads, weighted as an item's title, summary and so on."""
    return {
        "title": asset.name,
        "summary": asset.summary,
        "tags": ", ".join(tag_names),
        "description": asset.description,
    }


def build_asset_document(asset: Asset) -> AssetDocument:
    """Store the asset's features (one row per asset); called by every asset service."""
    analysis = analyse_fields(asset_fields(asset, [t.name for t in asset.tags.all()]))
    for area in asset.service_areas.all():
        analysis.add(f"a:{area.pk}", 1.0, area.name)
    document, _ = AssetDocument.objects.update_or_create(
        asset=asset,
        defaults={
            "terms": analysis.as_json(),
            "built_at": timezone.now(),
            "analyser_version": ANALYSER_VERSION,
        },
    )
    return document


def _version() -> tuple[Any, ...]:
    return version_of(
        (AssetDocument, "count", ""),
        (AssetDocument, "max", "built_at"),
        (Asset, "max", "updated_at"),
    )


def _documents() -> list[Document]:
    kinds = dict(Asset.objects.values_list("pk", "kind"))
    documents = [
        Document(
            item_id=asset_id,
            terms=stored.get("t", {}),
            labels=stored.get("l", {}),
            kind=kinds.get(asset_id, ""),
        )
        for asset_id, stored in AssetDocument.objects.values_list("asset_id", "terms").iterator(
            chunk_size=5000
        )
        if asset_id in kinds
    ]
    documents.sort(key=lambda d: d.item_id)
    return documents


_assets = CachedIndex("catalogue", _version, _documents)


def asset_index(*, fresh: bool = False) -> MatchIndex:
    return _assets.get(fresh=fresh)


def forget_asset_index() -> None:
    _assets.forget()


def search_scores(text: str) -> dict[int, float]:
    """Relevance of every asset to a search (asset id -> score)."""
    index = asset_index()
    analysis = analyse_text(text)
    if not len(index) or not analysis.terms:
        return {}
    scores = index.scores(analysis)
    hits = np.flatnonzero(scores > SEARCH_MIN_SCORE)
    return {int(index.item_ids[p]): float(scores[p]) for p in hits}


@dataclass(frozen=True)
class Suggestion:
    asset: Asset
    score: float
    why: list[str]


def _ranked(index: MatchIndex, analysis: Analysis, *, limit: int, exclude: set[int]) -> list:
    if not len(index) or not analysis.terms:
        return []
    scores = index.scores(analysis)
    for asset_id in exclude:
        position = index.position.get(asset_id)
        if position is not None:
            scores[position] = 0
    candidates = np.flatnonzero(scores > MIN_SCORE)
    order = sorted(candidates.tolist(), key=lambda p: (-scores[p], p))[:limit]
    return [(p, float(scores[p])) for p in order]


def _suggestions(index: MatchIndex, analysis: Analysis, ranked: list) -> list[Suggestion]:
    ids = [int(index.item_ids[p]) for p, _ in ranked]
    assets = Asset.objects.in_bulk(ids)
    found = []
    for position, score in ranked:
        asset = assets.get(int(index.item_ids[position]))
        if asset is None:
            continue
        shared = index.shared_terms(analysis.terms, position)
        why = [f"shared terms: {', '.join(shared)}"] if shared else []
        found.append(Suggestion(asset=asset, score=round(score, 4), why=why))
    return found


def similar_assets(asset: Asset, *, limit: int = 5) -> list[Suggestion]:
    """Other assets most like this one, best first, each with its shared terms (two queries)."""
    document = AssetDocument.objects.filter(asset=asset).first()
    if document is None:
        return []
    analysis = _analysis_from(document.terms)
    index = asset_index()
    return _suggestions(index, analysis, _ranked(index, analysis, limit=limit, exclude={asset.pk}))


def _analysis_from(stored: dict[str, Any]) -> Analysis:
    analysis = Analysis()
    for term, weight in stored.get("t", {}).items():
        analysis.add(term, weight, stored.get("l", {}).get(term, term.split(":", 1)[-1]))
    return analysis


def solutions_for_item(item: Any, *, limit: int = 5) -> list[Suggestion]:
    """Catalogue assets that may already solve a Pipeline item's problem, from the item's
    stored features (the same matcher as "similar work"), best first."""
    from localdigital.pipeline.models import MatchDocument

    document = MatchDocument.objects.filter(item=item).first()
    if document is None:
        return []
    analysis = _analysis_from(document.terms)
    index = asset_index()
    return _suggestions(index, analysis, _ranked(index, analysis, limit=limit, exclude=set()))


def solutions_for_text(text: str, *, limit: int = 5) -> list[Suggestion]:
    index = asset_index()
    analysis = analyse_text(text)
    return _suggestions(index, analysis, _ranked(index, analysis, limit=limit, exclude=set()))
