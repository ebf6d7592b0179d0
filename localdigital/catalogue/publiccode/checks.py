"""The building blocks of the publiccode.yml rules: messages with positions and typed checks.

``Checker`` knows how to report a finding at the line of a key or value, and how to check the
kinds of value the standard uses (text, lists, web addresses, dates, vocabularies). The rules of
the standard itself are in ``validator.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .parser import ParsedDocument, Path, Position

# Version numbers compare as (major, minor); "0" means the latest version of the standard.
LATEST = (0, 1_000)

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

Handler = Callable[[Path, Any], None]


@dataclass(frozen=True)
class Message:
    """One finding: where it is (1-based; ``None`` for the whole file), which key, and what."""

    line: int | None
    column: int | None
    key: str
    text: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.line is not None else "file"
        return f"{where}: {self.key}: {self.text}" if self.key else f"{where}: {self.text}"


def dotted(path: Path) -> str:
    """``("maintenance", "contractors", 0, "until")`` -> ``maintenance.contractors[0].until``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _is_http_url(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _parse_date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return "text"


class Checker:
    """Collects errors and warnings about one parsed document, each with its position."""

    def __init__(self, document: ParsedDocument) -> None:
        self.document = document
        self.data = document.data
        self.errors: list[Message] = []
        self.warnings: list[Message] = []
        self.version: str | None = None
        self.version_key = LATEST

    # Reporting -----------------------------------------------------------------------------

    def _message(self, path: Path, text: str, at_key: bool) -> Message:
        position: Position
        if at_key:
            position = self.document.key_position(path)
        else:
            position = self.document.value_position(path)
        return Message(position.line, position.column, dotted(path), text)

    def error(self, path: Path, text: str, *, at_key: bool = False) -> None:
        self.errors.append(self._message(path, text, at_key))

    def warn(self, path: Path, text: str, *, at_key: bool = False) -> None:
        self.warnings.append(self._message(path, text, at_key))

    def missing(self, parent: Path, key: str, text: str | None = None) -> None:
        """A mandatory key is absent: point at the mapping that should hold it."""
        position = self.document.key_position(parent) if parent else Position(1, 1)
        message = text or f"Add the mandatory key '{key}'"
        self.errors.append(Message(position.line, position.column, dotted((*parent, key)), message))

    def error_at(self, where: Path, key: Path, text: str) -> None:
        """An error about ``key`` (often absent) reported where the value at ``where`` starts."""
        position = self.document.value_position(where)
        self.errors.append(Message(position.line, position.column, dotted(key), text))

    # Typed access --------------------------------------------------------------------------

    def wrong_type(self, path: Path, value: Any, expected: str) -> None:
        hint = " (put it in quotes)" if expected == "text" and value is not None else ""
        self.error(path, f"Must be {expected}, not {_type_name(value)}{hint}", at_key=True)

    def text(self, path: Path, value: Any, *, allow_empty: bool = False) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(path, value, "text")
            return None
        if not allow_empty and not value.strip():
            self.error(path, "Must not be empty", at_key=True)
            return None
        return value

    def mapping(self, path: Path, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.wrong_type(path, value, "a mapping of keys and values")
            return None
        return value

    def sequence(self, path: Path, value: Any, *, non_empty: bool = False) -> list[Any] | None:
        if not isinstance(value, list):
            self.wrong_type(path, value, "a list")
            return None
        if non_empty and not value:
            self.error(path, "Must list at least one item", at_key=True)
        return value

    def texts(self, path: Path, value: Any, *, non_empty: bool = False) -> list[tuple[Path, str]]:
        """A list of text items; returns (path, item) for each item that is text."""
        items = self.sequence(path, value, non_empty=non_empty)
        found: list[tuple[Path, str]] = []
        for index, item in enumerate(items or []):
            checked = self.text((*path, index), item)
            if checked is not None:
                found.append(((*path, index), checked))
        return found

    def url(self, path: Path, value: Any) -> None:
        checked = self.text(path, value)
        if checked is not None and not _is_http_url(checked.strip()):
            self.error(path, f"'{checked}' must be a web address starting with http:// or https://")

    def path_or_url(self, path: Path, value: Any) -> None:
        checked = self.text(path, value)
        if checked is not None and _SCHEME.match(checked) and not _is_http_url(checked):
            self.error(
                path,
                f"'{checked}' must be a relative path or a web address starting with "
                "http:// or https://",
            )

    def date(self, path: Path, value: Any) -> None:
        checked = self.text(path, value)
        if checked is not None and _parse_date(checked) is None:
            self.error(path, f"'{checked}' must be a real date written YYYY-MM-DD")

    def email(self, path: Path, value: Any) -> None:
        checked = self.text(path, value, allow_empty=True)
        if checked and not _EMAIL.match(checked):
            self.error(path, f"'{checked}' must be an email address, like name@example.org")

    def optional_text(self, path: Path, value: Any) -> None:
        self.text(path, value, allow_empty=True)

    def boolean(self, path: Path, value: Any) -> None:
        if not isinstance(value, bool):
            self.wrong_type(path, value, "true or false")

    def one_of(self, path: Path, value: Any, allowed: tuple[str, ...] | frozenset[str]) -> None:
        checked = self.text(path, value)
        if checked is not None and checked not in allowed:
            choices = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "the standard's list"
            self.error(path, f"'{checked}' is not allowed here; use one of {choices}")

    def keys(
        self,
        path: Path,
        mapping: dict[str, Any],
        handlers: Mapping[str, Handler],
        required: tuple[str, ...] = (),
    ) -> None:
        """Check known keys, require mandatory ones and warn about the rest."""
        for key in required:
            if key not in mapping:
                self.missing(path, key)
        for key, value in mapping.items():
            child = (*path, key)
            handler = handlers.get(key)
            if handler is None:
                self.warn(
                    child, f"Unknown key '{key}': publiccode.yml readers ignore it", at_key=True
                )
            elif value is None and key in required:
                self.error(child, "Must not be empty", at_key=True)
            else:
                handler(child, value)

    def deprecated(self, path: Path, since: tuple[int, int], advice: str) -> None:
        if self.version_key >= since:
            self.warn(path, f"Deprecated since publiccode.yml 0.{since[1]}: {advice}", at_key=True)
