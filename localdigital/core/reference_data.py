"""A small registry of reference data loaders, run by `manage.py load_reference_data`.

Each app that owns reference data (councils, frameworks, standards...) puts a module called
`reference_data.py` in its package and registers a loader with `@register(...)`. The command finds
those modules with Django's `autodiscover_modules`, so adding a data set needs no change here.

A loader checks its whole file before it writes anything and raises `ReferenceDataError` naming the
file, row and column at fault. It returns a `LoadResult` counting what it changed, so running it
twice in a row reports nothing created and nothing updated.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.utils.module_loading import autodiscover_modules


class ReferenceDataError(Exception):
    """A reference data file is malformed. Nothing was written."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    """One fault in one cell (or the header) of a reference data file."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class LoadResult:
    """What one loader did. `details` holds loader-specific counts (links added, for example)."""

    name: str
    dataset_id: str
    version: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or any(self.details.values()))

    def summary(self) -> str:
        parts = [
            f"{self.name} ({self.dataset_id} {self.version}): {self.rows} rows",
            f"{self.created} created",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
        ]
        parts += [f"{count} {label}" for label, count in self.details.items()]
        return ", ".join(parts)


class LoaderFunction(Protocol):
    def __call__(self, *, path: Path | None = None) -> LoadResult: ...


@dataclass(frozen=True)
class Loader:
    name: str
    description: str
    order: int
    load: LoaderFunction


_registry: dict[str, Loader] = {}


def register(
    name: str, *, description: str, order: int = 100
) -> Callable[[LoaderFunction], LoaderFunction]:
    """Register a loader. `order` decides the running order (lower first), so a data set that
    refers to councils can run after them."""

    def decorator(function: LoaderFunction) -> LoaderFunction:
        _registry[name] = Loader(name=name, description=description, order=order, load=function)
        return function

    return decorator


def loaders() -> list[Loader]:
    """Every registered loader, in running order."""
    autodiscover_modules("reference_data")
    return sorted(_registry.values(), key=lambda loader: (loader.order, loader.name))


def read_metadata(path: Path, *, default: Path | None = None) -> dict[str, Any]:
    """The YAML metadata beside a data file (same name, `.yaml`): id, version, source, licence.

    A file given on the command line may have no metadata of its own; then the metadata of
    `default` (the project's copy of that data set) describes it.
    """
    import yaml

    meta_path = path.with_suffix(".yaml")
    if not meta_path.exists() and default is not None:
        meta_path = default.with_suffix(".yaml")
    if not meta_path.exists():
        return {"id": path.stem, "version": "unknown"}
    with meta_path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    missing = [key for key in ("id", "version", "source_url", "licence") if not data.get(key)]
    if missing:
        raise ReferenceDataError(
            [Problem(file=meta_path.name, message=f"Add {', '.join(missing)} to the metadata")]
        )
    return data


KEY_PATTERN_TEXT = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
METADATA_KEYS = ("id", "version", "source_url", "licence")


def parse_keyed_yaml(
    path: Path,
    *,
    list_key: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    max_lengths: dict[str, int] | None = None,
    key_max: int = 60,
    noun: str = "entry",
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Read and check a YAML file of metadata plus a list of records with stable `key`s.

    Every problem in the file is collected and raised together as ReferenceDataError (file,
    row, column); nothing is returned half-checked. Rows are counted from 1 in list order, and
    each returned record carries its `row` number (its position). Text is whitespace-normalised.
    """
    import re

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
    records = data.get(list_key)
    if not isinstance(records, list) or not records:
        problems.append(Problem(file, f"Add a list of {list_key} under '{list_key}'"))
        raise ReferenceDataError(problems)
    key_pattern = re.compile(KEY_PATTERN_TEXT)
    lengths = max_lengths or {}
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(
                Problem(file, f"Each {noun} must have {', '.join(required)}", row=number)
            )
            continue
        clean: dict[str, Any] = {"row": number}
        for column in (*required, *optional):
            value = record.get(column)
            if value is None or (isinstance(value, str) and not value.strip()):
                if column in required:
                    problems.append(
                        Problem(file, "This value is missing", row=number, column=column)
                    )
                clean[column] = ""
                continue
            if not isinstance(value, str):
                problems.append(Problem(file, "This value must be text", row=number, column=column))
                clean[column] = ""
                continue
            clean[column] = " ".join(value.split())
            limit = lengths.get(column)
            if limit and len(clean[column]) > limit:
                problems.append(
                    Problem(file, f"Longer than {limit} characters", row=number, column=column)
                )
        key = clean.get("key", "")
        if key and (not key_pattern.match(key) or len(key) > key_max):
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
        rows.append(clean)
    if problems:
        raise ReferenceDataError(problems)
    return data, rows
