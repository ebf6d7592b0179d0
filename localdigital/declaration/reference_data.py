"""The Declaration principles loader: the five principles from data/principles.yaml.

The file carries its own metadata (id, version, source_url, licence) at the top and a list of
principles, each with a stable `key`. The loader checks the whole file before writing anything and
never deletes a principle: signings and commitments refer to them.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localdigital.core.reference_data import LoadResult, Problem, ReferenceDataError, register
from localdigital.declaration.models import Principle

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "principles.yaml"
METADATA_KEYS = ("id", "version", "source_url", "licence")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_MAX = Principle._meta.get_field("title").max_length or 200
KEY_MAX = Principle._meta.get_field("key").max_length or 40


@dataclass(frozen=True)
class PrincipleRow:
    row: int
    key: str
    title: str
    explanation: str


def _text(
    record: dict[str, Any], column: str, *, file: str, row: int, problems: list[Problem]
) -> str:
    value = record.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(file, "This value is missing", row=row, column=column))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(file, "This value must be text", row=row, column=column))
        return ""
    return " ".join(value.split())


def parse_principles(path: Path) -> tuple[dict[str, Any], list[PrincipleRow]]:
    """Read and check the whole file. Raises ReferenceDataError listing every problem found.

    Rows are counted from 1 in the order of the `principles` list; that order is each
    principle's position.
    """
    import yaml

    file = path.name
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ReferenceDataError(
            [Problem(file, f"This is not valid YAML (line {line})" if line else "Not valid YAML")]
        ) from None
    if not isinstance(data, dict):
        raise ReferenceDataError([Problem(file, "The file must be a mapping with metadata keys")])
    problems: list[Problem] = []
    missing = [key for key in METADATA_KEYS if not data.get(key)]
    if missing:
        problems.append(Problem(file, f"Add {', '.join(missing)} to the metadata"))
    records = data.get("principles")
    if not isinstance(records, list) or not records:
        problems.append(Problem(file, "Add a list of principles under 'principles'"))
        raise ReferenceDataError(problems)
    rows: list[PrincipleRow] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(
                Problem(file, "Each principle must have a key, title and explanation", row=number)
            )
            continue
        key = _text(record, "key", file=file, row=number, problems=problems)
        title = _text(record, "title", file=file, row=number, problems=problems)
        explanation = _text(record, "explanation", file=file, row=number, problems=problems)
        if key and (not KEY_PATTERN.match(key) or len(key) > KEY_MAX):
            problems.append(
                Problem(
                    file,
                    f"'{key}' is not a key of lower-case letters, digits and hyphens",
                    row=number,
                    column="key",
                )
            )
        elif key in seen:
            problems.append(
                Problem(file, f"The key {key} is also on row {seen[key]}", row=number, column="key")
            )
        elif key:
            seen[key] = number
        if len(title) > TITLE_MAX:
            problems.append(
                Problem(file, f"Longer than {TITLE_MAX} characters", row=number, column="title")
            )
        rows.append(PrincipleRow(row=number, key=key, title=title, explanation=explanation))
    if problems:
        raise ReferenceDataError(problems)
    return data, rows


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
