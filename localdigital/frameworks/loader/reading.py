"""Reading YAML with line numbers, and collecting problems with where they are.

Mappings and lists read from a file remember the line they (and their items) start on, and
mappings note keys given twice, which plain YAML would quietly resolve by keeping the last.
"""

import hashlib
import json
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from localdigital.core.reference_data import Problem, ReferenceDataError


@dataclass(frozen=True)
class FileProblem(Problem):
    """A problem in a YAML file: the line, and the node, scale or profile it is in."""

    line: int | None = None
    where: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.where:
            parts.append(self.where)
        return f"{', '.join(parts)}: {self.message}"


class LineMapping(dict):
    """A mapping read from YAML, with its line, its keys' lines and any repeated keys."""

    line: int = 0
    key_lines: dict[Any, int]
    repeated: list[tuple[Any, int, int]]


class LineSequence(list):
    """A list read from YAML, with its line and each item's line."""

    line: int = 0
    item_lines: list[int]


class LineLoader(yaml.SafeLoader):
    pass


def construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Iterator[LineMapping]:
    data = LineMapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.repeated = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if key in data:
            data.repeated.append((key, line, data.key_lines[key]))
        else:
            data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=False)


def construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> Iterator[LineSequence]:
    data = LineSequence()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def content_hash(data: Any) -> str:
    """SHA-256 of the parsed content, so comments and layout do not count as a change."""
    text = json.dumps(_plain(data), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_yaml(path: Path) -> dict[str, Any]:
    file = path.name
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except OSError as error:
        raise ReferenceDataError([FileProblem(file, f"Cannot read the file: {error}")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise ReferenceDataError(
            [FileProblem(file, f"This is not valid YAML ({reason})", line=line)]
        ) from None
    if not isinstance(data, dict):
        raise ReferenceDataError(
            [FileProblem(file, "The file must be a mapping that starts with id and version")]
        )
    return data


class Checker:
    """Collects problems for one file; shared by both formats."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[FileProblem] = []

    def problem(self, message: str, *, line: int | None = None, where: str = "") -> None:
        self.problems.append(FileProblem(self.file, message, line=line, where=where))

    def repeated_keys(self, value: Any) -> None:
        """Report every key given twice in one mapping, anywhere in the file."""
        if isinstance(value, LineMapping):
            for key, line, first in value.repeated:
                self.problem(
                    f"'{key}' is given twice in one place (first on line {first})", line=line
                )
            for item in value.values():
                self.repeated_keys(item)
        elif isinstance(value, list):
            for item in value:
                self.repeated_keys(item)

    @staticmethod
    def line_of(mapping: Any, key: str | None = None) -> int | None:
        if isinstance(mapping, LineMapping):
            if key is not None and key in mapping.key_lines:
                return mapping.key_lines[key]
            return mapping.line
        return getattr(mapping, "line", None)

    def unknown_keys(self, mapping: dict, allowed: frozenset[str], *, where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    f"Unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
                    line=self.line_of(mapping, key),
                    where=where,
                )

    def text(
        self,
        mapping: dict,
        key: str,
        *,
        where: str = "",
        required: bool = False,
        max_length: int | None = None,
        one_line: bool = True,
        numbers: bool = False,
    ) -> str:
        """A text value. `numbers` accepts whole numbers (versions, codes) as text."""
        value = mapping.get(key)
        line = self.line_of(mapping, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"Add {key}", line=line, where=where)
            return ""
        if isinstance(value, bool):
            self.problem(
                f"Put {key} in quotes: YAML reads yes, no, on and off as true or false",
                line=line,
                where=where,
            )
            return ""
        if isinstance(value, int) and not numbers:
            self.problem(f"{key} must be text", line=line, where=where)
            return ""
        if isinstance(value, float):
            self.problem(
                f"Put {key} in quotes so it is read as text: YAML reads it as the number {value}",
                line=line,
                where=where,
            )
            return ""
        if not isinstance(value, str | int):
            self.problem(f"{key} must be text", line=line, where=where)
            return ""
        result = " ".join(str(value).split()) if one_line else str(value).strip()
        if max_length and len(result) > max_length:
            self.problem(f"{key} is longer than {max_length} characters", line=line, where=where)
        return result

    def url(self, mapping: dict, key: str, *, where: str = "", required: bool = True) -> str:
        value = self.text(mapping, key, where=where, required=required, max_length=500)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.problem(
                    f"{key} must be a web address starting https://",
                    line=self.line_of(mapping, key),
                    where=where,
                )
        return value


def in_file_order(problems: list[FileProblem]) -> list[Problem]:
    """Problems about the whole file first, then by line (a stable sort keeps each line's)."""
    ordered = sorted(problems, key=_line)
    return list[Problem](ordered)


def _line(problem: FileProblem) -> int:
    return problem.line or 0
