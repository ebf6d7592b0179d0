"""Real publiccode.yml files (see README.md for where each comes from), for tests and demos."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
NAMES: tuple[str, ...] = tuple(sorted(path.name for path in FOLDER.glob("*.yml")))


def read(name: str) -> str:
    """The text of the example file ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return (FOLDER / name).read_text(encoding="utf-8")
