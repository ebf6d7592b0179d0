"""The Declaration principles loader: the five principles from data/principles.yaml.

The file carries its own metadata (id, version, source_url, licence) at the top and a list of
principles, each with a stable `key`. The loader checks the whole file before writing anything and
never deletes a principle: signings and commitments refer to them.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localdigital.core.reference_data import LoadResult, parse_keyed_yaml, register
from localdigital.declaration.models import Principle

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "principles.yaml"
TITLE_MAX = Principle._meta.get_field("title").max_length or 200
KEY_MAX = Principle._meta.get_field("key").max_length or 40


@dataclass(frozen=True)
class PrincipleRow:
    row: int
    key: str
    title: str
    explanation: str


def parse_principles(path: Path) -> tuple[dict[str, Any], list[PrincipleRow]]:
    """Read and check the whole file. Raises ReferenceDataError listing every problem found.

    Rows are counted from 1 in the order of the `principles` list; that order is each
    principle's position.
    """
    meta, records = parse_keyed_yaml(
        path,
        list_key="principles",
        required=("key", "title", "explanation"),
        max_lengths={"title": TITLE_MAX},
        key_max=KEY_MAX,
        noun="principle",
    )
    rows = [
        PrincipleRow(row=r["row"], key=r["key"], title=r["title"], explanation=r["explanation"])
        for r in records
    ]
    return meta, rows


@register(
    "declaration-principles",
    description="The five principles of the Local Digital Declaration.",
    order=30,
)
def load_principles(*, path: Path | None = None) -> LoadResult:
    """Create or update each principle by key; a second run with the same file changes nothing."""
    path = path or DEFAULT_PATH
    meta, rows = parse_principles(path)
    result = LoadResult(
        name="declaration-principles",
        dataset_id=str(meta["id"]),
        version=str(meta["version"]),
        rows=len(rows),
    )
    existing = {p.key: p for p in Principle.objects.filter(key__in=[r.key for r in rows])}
    for row in rows:
        values = {"title": row.title, "explanation": row.explanation, "position": row.row}
        principle = existing.get(row.key)
        if principle is None:
            principle = Principle(key=row.key, **values)
            principle.full_clean()
            principle.save()
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(principle, name) != value]
        if changed:
            for name in changed:
                setattr(principle, name, values[name])
            principle.full_clean()
            principle.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
