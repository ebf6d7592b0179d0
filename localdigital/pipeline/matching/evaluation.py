"""Measuring matchmaking quality: officers' phrasings against the real fund projects.

The corpus is the seeded Local Digital Fund items (seeded inside a transaction that is rolled
back if they are not in the database) plus realistic decoys (`eval/decoys.yaml`), analysed and
indexed with the same classes production uses. Each query in `eval/queries.yaml` names the fund
project(s) it should find; we report the share with a right answer in the top 3 and the mean
reciprocal rank of the first right answer.
"""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from localdigital.pipeline.matching.analyser import analyse_fields, analyse_query
from localdigital.pipeline.matching.index import Document, MatchIndex

EVAL = Path(__file__).resolve().parent / "eval"


class _Rollback(Exception):
    pass


def _fund_documents() -> list[tuple[str, Document]]:
    from localdigital.pipeline.models import Item

    def read() -> list[tuple[str, Document]]:
        items = Item.objects.filter(source=Item.Source.FUND).prefetch_related("tags")
        documents = []
        for item in items:
            analysis = analyse_fields(
                {
                    "title": item.title,
                    "summary": item.summary,
                    "tags": ", ".join(t.name for t in item.tags.all()),
                    "problem": item.problem,
                    "user_needs": item.user_needs,
                    "description": item.description,
                }
            )
            documents.append(
                (item.source_key, Document(item.pk, dict(analysis.terms), analysis.labels))
            )
        return documents

    from localdigital.pipeline.models import Item as _Item

    if _Item.objects.filter(source=_Item.Source.FUND).exists():
        return read()
    result: list[tuple[str, Document]] = []
    try:
        with transaction.atomic():
            from localdigital.pipeline.reference_data import load_service_areas
            from localdigital.pipeline.seed import seed_fund_projects

            load_service_areas()
            seed_fund_projects()
            result = read()
            raise _Rollback
    except _Rollback:
        pass
    return result


def evaluate() -> dict[str, Any]:
    """Top-1 and top-3 shares and mean reciprocal rank over the evaluation queries."""
    with (EVAL / "queries.yaml").open(encoding="utf-8") as handle:
        queries = yaml.safe_load(handle)["queries"]
    with (EVAL / "decoys.yaml").open(encoding="utf-8") as handle:
        decoys = yaml.safe_load(handle)["decoys"]
    fund = _fund_documents()
    keys = {doc.item_id: key for key, doc in fund}
    documents = [doc for _, doc in fund]
    for n, decoy in enumerate(decoys, start=1):
        analysis = analyse_fields({"title": decoy["title"], "summary": decoy["summary"]})
        documents.append(Document(-n, dict(analysis.terms), analysis.labels))
    index = MatchIndex(documents)
    top1 = top3 = 0
    reciprocal = 0.0
    misses = []
    for query in queries:
        scores = index.scores(analyse_query(query["text"]))
        order = sorted(range(len(documents)), key=lambda p: (-scores[p], p))
        ranked = [keys.get(int(index.item_ids[p]), "decoy") for p in order]
        expected = set(query["expect"])
        rank = next((i for i, key in enumerate(ranked, start=1) if key in expected), None)
        if rank == 1:
            top1 += 1
        if rank is not None and rank <= 3:
            top3 += 1
        else:
            misses.append({"text": query["text"], "rank": rank, "top": ranked[:3]})
        reciprocal += 1 / rank if rank else 0
    total = len(queries)
    return {
        "queries": total,
        "corpus": len(documents),
        "fund_items": len(fund),
        "decoys": len(decoys),
        "top1_share": round(top1 / total, 3),
        "top3_share": round(top3 / total, 3),
        "mrr": round(reciprocal / total, 3),
        "misses": misses,
    }
