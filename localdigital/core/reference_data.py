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
