"""Fixtures for the frameworks tests: the synthetic CAF-like files and a way to write variants."""

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent / "data"
CAF_LIKE = DATA / "caf_like.yaml"
CAF_LIKE_STATEMENTS = DATA / "caf_like.statements.yaml"


def read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def write_yaml(tmp_path) -> Callable[..., Path]:
    """Write a dict (or raw text) as a YAML file in a temporary folder and return its path."""

    def write(content: dict | str, name: str = "framework.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def caf_like() -> dict:
    """The synthetic CAF-like framework as data, to change in a test."""
    return read(CAF_LIKE)
