"""Rebuilding every item's features and stored matches at once (`rebuild_matches`, the bench).

The work is pure Python per item (analysing text, ranking candidates, writing reasons), so it is
spread over the machine's cores with forked worker processes: they inherit the thesaurus and the
in-memory index, never touch the database, and send back plain tuples. The parent reads and
writes the database. With one worker (or a few items) everything runs in-process.
"""

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from localdigital.pipeline.matching.analyser import ANALYSER_VERSION, analyse_fields
from localdigital.pipeline.matching.index import MatchIndex, current_index
from localdigital.pipeline.models import Item, Match, MatchDocument

CHUNK = 256
WRITE_BATCH = 5000
# Below this many items a pool costs more than it saves.
PARALLEL_FROM = 2000

# What the forked workers read: set in the parent just before the pool starts.
_shared: dict[str, Any] = {}


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _pool_map(function: Callable[[Any], Any], jobs: list[Any], workers: int) -> list[Any]:
    if workers <= 1 or len(jobs) <= 1:
        return [function(job) for job in jobs]
    # Fork so children share the parent's memory (index, thesaurus) without pickling it. They
    # must not use the parent's database connection, and do not.
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=workers) as pool:
        return pool.map(function, jobs, chunksize=1)


def _analyse(job: list[tuple[int, dict[str, str], int, str]]) -> list[tuple[int, Any]]:
    rows = []
    for item_id, fields, area_id, area_name in job:
        analysis = analyse_fields(fields)
        if area_id:
            analysis.add(f"a:{area_id}", 1.0, area_name)
        rows.append((item_id, analysis.as_json()))
    return rows


def rebuild_documents_all(*, workers: int | None = None) -> int:
    """Rebuild every item's stored features (after a thesaurus change)."""
    from localdigital.pipeline.matching.analyser import item_fields

    tags: dict[int, list[str]] = {}
    for item_id, name in Item.tags.through.objects.values_list("item_id", "tag__name"):
        tags.setdefault(item_id, []).append(name)
    queryset = Item.objects.select_related("service_area").only(
        "pk", "title", "summary", "problem", "user_needs", "description", "service_area__name"
    )
    work = [
        (
            item.pk,
            item_fields(item, tags.get(item.pk, [])),
            item.service_area_id or 0,
            item.service_area.name if item.service_area_id and item.service_area else "",
        )
        for item in queryset.iterator(chunk_size=2000)
    ]
    workers = workers if workers is not None else default_workers()
    if len(work) < PARALLEL_FROM:
        workers = 1
    size = max(1, -(-len(work) // (workers * 4)))
    jobs = [work[i : i + size] for i in range(0, len(work), size)]
    results = _pool_map(_analyse, jobs, workers)
    now = timezone.now()
    built = _prepare(MatchDocument, "built_at", now)
    with transaction.atomic():
        MatchDocument.objects.all().delete()
        _insert(
            MatchDocument,
            ["item_id", "terms", "built_at", "analyser_version"],
            (
                (item_id, _prepare(MatchDocument, "terms", terms), built, ANALYSER_VERSION)
                for chunk in results
                for item_id, terms in chunk
            ),
        )
    return len(work)


def _score(starts: list[int]) -> list[tuple[int, int, float, int, list[str]]]:
    from localdigital.pipeline.matching.engine import _ranked_for_row, _why

    index: MatchIndex = _shared["index"]
    transposed = _shared["transposed"]
    rows = []
    for start in starts:
        block = np.asarray((index.matrix[start : start + CHUNK] @ transposed).todense())
        for offset, row in enumerate(block):
            position = start + offset
            document = index.documents[position]
            ranked = _ranked_for_row(index, position, row)
            for rank, (p, score, reasons) in enumerate(ranked, start=1):
                why = _why(index, document.terms, p, reasons)
                rows.append(
                    (
                        document.item_id,
                        int(index.item_ids[p]),
                        round(score, 4),
                        rank,
                        why,
                    )
                )
    return rows


def rebuild_all_matches(
    *, rebuild_documents: bool = True, workers: int | None = None
) -> dict[str, Any]:
    """Recompute every item's features (optionally) and every item's stored matches.

    Vectorised: the similarity of each chunk of items with all items is one sparse product;
    chunks are shared among `workers` processes (default: the machine's cores)."""
    workers = workers if workers is not None else default_workers()
    started = time.perf_counter()
    if rebuild_documents:
        rebuild_documents_all(workers=workers)
    documents_done = time.perf_counter()
    index = current_index(fresh=True)
    if len(index) < PARALLEL_FROM:
        workers = 1
    _shared["index"] = index
    _shared["transposed"] = index.matrix.T.tocsc()
    try:
        starts = list(range(0, len(index), CHUNK))
        jobs = [starts[i :: workers * 4] for i in range(min(len(starts), workers * 4))] or [[]]
        results = _pool_map(_score, jobs, workers)
    finally:
        _shared.clear()
    scored = time.perf_counter()
    computed = _prepare(Match, "computed_at", timezone.now())
    count = 0

    def rows() -> Iterable[tuple[Any, ...]]:
        nonlocal count
        for chunk in results:
            for item_id, other_id, score, rank, why in chunk:
                count += 1
                yield (item_id, other_id, score, rank, _prepare(Match, "why", why), computed)

    with transaction.atomic():
        Match.objects.all().delete()
        _insert(Match, ["item_id", "other_id", "score", "rank", "why", "computed_at"], rows())
    finished = time.perf_counter()
    return {
        "items": len(index),
        "matches": count,
        "workers": workers,
        "seconds": round(finished - started, 2),
        "documents_seconds": round(documents_done - started, 2),
        "scoring_seconds": round(scored - documents_done, 2),
        "writing_seconds": round(finished - scored, 2),
    }


def _prepare(model: Any, field: str, value: Any) -> Any:
    """A value as the database driver wants it for that column (JSON as text for SQLite, the
    driver's JSON wrapper for PostgreSQL; datetimes in the database's form)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def _insert(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Plain multi-row inserts: no model instances, so 500,000 rows take seconds, not minutes."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # SQLite allows at most 32,766 parameters in one statement.
    per_statement = max(1, min(500, 30000 // len(columns)))
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:

        def flush() -> None:
            if batch:
                values = ", ".join([placeholders] * len(batch))
                # Names come from the model's _meta, quoted; values are parameters.
                sql = f"INSERT INTO {table} ({names}) VALUES {values}"  # noqa: S608
                cursor.execute(sql, [value for row in batch for value in row])
                batch.clear()

        for row in rows:
            batch.append(row)
            if len(batch) >= per_statement:
                flush()
        flush()
