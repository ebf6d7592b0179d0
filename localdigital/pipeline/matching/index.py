"""The matching index: every item's features as one sparse TF-IDF matrix, held in memory.

Rows are items, columns are features; each row is L2-normalised, so a matrix-vector product
gives cosine similarities for a query in a few milliseconds even at 50,000 items, and a chunked
matrix-matrix product rebuilds every item's matches at once. The index is built from the stored
`MatchDocument` rows and cached per process; a cheap version check (one aggregate query) tells a
process when another one has changed a document.
"""

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from localdigital.pipeline.matching.analyser import Analysis

# Features in more than this share of items say almost nothing and make the products dense.
MAX_DOCUMENT_FREQUENCY = 0.25
MIN_DOCUMENTS_FOR_PRUNING = 200


@dataclass
class Document:
    """One item's features and facts the scoring and filtering need."""

    item_id: int
    terms: dict[str, float]
    labels: dict[str, str]
    organisation_id: int = 0
    service_area_id: int = 0
    kind: str = ""
    visibility: str = "public"
    active: bool = True
    region: str = ""


class MatchIndex:
    """An immutable index over a list of documents."""

    def __init__(self, documents: list[Document], *, version: Any = None):
        self.version = version
        self.documents = documents
        self.item_ids = np.array([d.item_id for d in documents], dtype=np.int64)
        self.position = {d.item_id: i for i, d in enumerate(documents)}
        self.organisation = np.array([d.organisation_id for d in documents], dtype=np.int64)
        self.service_area = np.array([d.service_area_id for d in documents], dtype=np.int64)
        self.kind = np.array([d.kind for d in documents], dtype=object)
        self.public = np.array(
            [d.visibility == "public" and d.active for d in documents], dtype=bool
        )
        self.members = np.array(
            [d.visibility in ("public", "members") and d.active for d in documents], dtype=bool
        )
        self.active = np.array([d.active for d in documents], dtype=bool)
        self.draft = np.array([d.visibility == "draft" for d in documents], dtype=bool)
        n = len(documents)
        frequency: dict[str, int] = {}
        for document in documents:
            for term in document.terms:
                frequency[term] = frequency.get(term, 0) + 1
        limit = n * MAX_DOCUMENT_FREQUENCY if n >= MIN_DOCUMENTS_FOR_PRUNING else n + 1
        self.vocabulary = {
            t: i for i, t in enumerate(t for t, df in frequency.items() if df <= limit)
        }
        self.idf = np.zeros(len(self.vocabulary), dtype=np.float32)
        for term, column in self.vocabulary.items():
            # Smoothed: a term every item shares still counts a little (small corpora).
            self.idf[column] = math.log(1 + (n + 1) / (frequency[term] + 0.5))
        rows, columns, values = [], [], []
        for row, document in enumerate(documents):
            for term, tf in document.terms.items():
                found = self.vocabulary.get(term)
                if found is not None:
                    rows.append(row)
                    columns.append(found)
                    values.append(math.log1p(tf) * self.idf[found])
        matrix = sparse.csr_matrix(
            (np.array(values, dtype=np.float32), (rows, columns)),
            shape=(n, len(self.vocabulary)),
            dtype=np.float32,
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        self.matrix = sparse.csr_matrix(sparse.diags(1 / norms) @ matrix, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.documents)

    def vector(self, analysis: Analysis) -> sparse.csr_matrix:
        """A query's features as a normalised row vector over this index's vocabulary."""
        columns, values = [], []
        for term, tf in analysis.terms.items():
            column = self.vocabulary.get(term)
            if column is not None:
                columns.append(column)
                values.append(math.log1p(tf) * self.idf[column])
        vector = sparse.csr_matrix(
            (np.array(values, dtype=np.float32), ([0] * len(columns), columns)),
            shape=(1, len(self.vocabulary)),
        )
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return vector / norm

    def scores(self, analysis: Analysis) -> np.ndarray:
        """Cosine similarity of the query with every document (a dense array)."""
        if not len(self.documents):
            return np.zeros(0, dtype=np.float32)
        return np.asarray((self.matrix @ self.vector(analysis).T).todense()).ravel()

    def shared_terms(
        self, analysis_terms: Iterable[str], position: int, limit: int = 4
    ) -> list[str]:
        """Labels of the features a query shares with a document, most telling first."""
        document = self.documents[position]
        shared = []
        for term in analysis_terms:
            if term in document.terms and term in self.vocabulary and not term.startswith("g:"):
                weight = self.idf[self.vocabulary[term]] * document.terms[term]
                shared.append((weight, document.labels.get(term, term.split(":", 1)[1])))
        shared.sort(key=lambda pair: -pair[0])
        labels: list[str] = []
        for _, label in shared:
            if label.lower() not in {existing.lower() for existing in labels}:
                labels.append(label)
        return labels[:limit]


class CachedIndex:
    """A process's copy of one index, rebuilt from the database when its version changes.

    The first call in a process builds it (about 2.5 s at 50,000 Pipeline items). After that,
    with PIPELINE_INDEX_BACKGROUND_REFRESH on (web and worker processes), a change is picked up by
    a rebuild in a background thread while requests keep using the previous index for those few
    seconds; callers check what a person may see against the database. `fresh=True` (used when
    storing matches, which must see the change just made) always rebuilds at once, as tests do.
    The Pipeline's items and the catalogue's assets each have one.
    """

    def __init__(
        self,
        name: str,
        version: Callable[[], Any],
        documents: Callable[[], list[Document]],
    ):
        self.name = name
        self._version = version
        self._documents = documents
        self._index: MatchIndex | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _load(self, version: Any) -> MatchIndex:
        index = MatchIndex(self._documents(), version=version)
        self._index = index
        return index

    def _refresh_in_background(self, version: Any) -> None:
        from django.db import connection

        try:
            self._load(version)
        finally:
            self._thread = None
            connection.close()

    def get(self, *, fresh: bool = False) -> MatchIndex:
        from django.conf import settings

        version = self._version()
        index = self._index
        if index is not None and index.version == version:
            return index
        with self._lock:
            index = self._index
            if index is not None and index.version == version:
                return index
            background = getattr(settings, "PIPELINE_INDEX_BACKGROUND_REFRESH", False)
            if index is None or fresh or not background:
                return self._load(version)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._refresh_in_background,
                    args=(version,),
                    name=f"{self.name}-index",
                    daemon=True,
                )
                self._thread.start()
            return index

    def wait(self, timeout: float = 60) -> None:
        """Block until a background rebuild under way has finished (for tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def forget(self) -> None:
        self._index = None


def version_of(*parts: tuple[Any, str, str]) -> tuple[Any, ...]:
    """One query answering, for each (model, aggregate, column), COUNT(*) or MAX(column).

    Each is a scalar subquery, so the database answers each from an index on its own (a
    combined `SELECT COUNT(*), MAX(x)` would scan the table): well under a millisecond for the
    maxima and a few for the count at 50,000 rows, on SQLite and PostgreSQL alike."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = []
    for model, aggregate, column in parts:
        table = quote(model._meta.db_table)
        expression = "COUNT(*)" if aggregate == "count" else f"MAX({quote(column)})"
        # Names come from the models' _meta and are quoted; no input reaches this text.
        columns.append(f"(SELECT {expression} FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        return tuple(cursor.fetchone())


def stored_version() -> tuple[Any, ...]:
    """Changes whenever any document is added, rebuilt or removed, or an item changes."""
    from localdigital.pipeline.models import Item, MatchDocument

    return version_of(
        (MatchDocument, "count", ""),
        (MatchDocument, "max", "built_at"),
        (Item, "max", "updated_at"),
    )


def documents_from_database() -> list[Document]:
    """Every stored document with its item's facts (two queries)."""
    from localdigital.pipeline.models import Item, MatchDocument

    facts = {
        row[0]: row[1:]
        for row in Item.objects.values_list(
            "pk",
            "organisation_id",
            "service_area_id",
            "kind",
            "visibility",
            "status",
            "organisation__region",
        ).iterator(chunk_size=5000)
    }
    documents = []
    for item_id, stored in MatchDocument.objects.values_list("item_id", "terms").iterator(
        chunk_size=5000
    ):
        fact = facts.get(item_id)
        if fact is None:
            continue
        organisation_id, area_id, kind, visibility, status, region = fact
        documents.append(
            Document(
                item_id=item_id,
                terms=stored.get("t", {}),
                labels=stored.get("l", {}),
                organisation_id=organisation_id,
                service_area_id=area_id or 0,
                kind=kind,
                visibility=visibility,
                active=status == "active",
                region=region or "",
            )
        )
    documents.sort(key=lambda d: d.item_id)
    return documents


_items = CachedIndex("pipeline", stored_version, documents_from_database)


def current_index(*, fresh: bool = False) -> MatchIndex:
    """The Pipeline items' index (see `CachedIndex`)."""
    return _items.get(fresh=fresh)


def wait_for_rebuild(timeout: float = 60) -> None:
    _items.wait(timeout)


def forget_index() -> None:
    _items.forget()
