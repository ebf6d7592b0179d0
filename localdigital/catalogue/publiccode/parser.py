"""Parse publiccode.yml text into plain Python data that remembers where each value was written.

PyYAML's loaders throw the positions away, so this module composes the node graph itself
(``yaml.compose`` with a SafeLoader subclass) and converts the nodes by hand. Every mapping key,
mapping value and list item is recorded against its path, so that a validator can say
"line L, column C" for any finding.

Security and robustness choices:

- Input over ``MAX_BYTES`` is refused before YAML sees it.
- Anchors and aliases are refused as soon as the composer meets one: an alias expands to a
  shared node, and converting a "billion laughs" graph into Python data would be exponential.
- Only the plain YAML tags (strings, numbers, booleans, null, lists and mappings) are allowed.
- Scalars are resolved with the YAML 1.2 core schema, as the publiccode.yml reference parser
  does, rather than PyYAML's YAML 1.1 rules: ``no`` stays the Norwegian language code instead
  of becoming ``False``, and an unquoted ``2025-01-28`` stays text instead of becoming a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, NodeEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

MESSAGE_TOO_LARGE = "The file is larger than 1 MB"
MESSAGE_ANCHORS = "The file uses YAML anchors or aliases, which are not allowed"
MESSAGE_NOT_UTF8 = "The file is not valid UTF-8 text"
MESSAGE_EMPTY = "The file is empty: it must be a YAML mapping of publiccode.yml keys"
MESSAGE_NOT_MAPPING = "The file must be a YAML mapping of publiccode.yml keys, not {kind}"
MESSAGE_MANY_DOCUMENTS = "The file contains more than one YAML document; keep only one"
MESSAGE_INVALID_YAML = "The file is not valid YAML: {problem}"
MESSAGE_TOO_DEEP = "The file is nested too deeply"
MESSAGE_DUPLICATE_KEY = "The key '{key}' appears more than once in the same mapping"
MESSAGE_BAD_TAG = "The YAML tag '{tag}' is not allowed; use plain text, numbers, lists and mappings"
MESSAGE_COMPLEX_KEY = "A mapping key must be plain text, not a list or a mapping"

Path = tuple[str | int, ...]

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR = _TAG_PREFIX + "str"
_INT = _TAG_PREFIX + "int"
_FLOAT = _TAG_PREFIX + "float"
_BOOL = _TAG_PREFIX + "bool"
_NULL = _TAG_PREFIX + "null"
_MAP = _TAG_PREFIX + "map"
_SEQ = _TAG_PREFIX + "seq"

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
CORE_SCHEMA_RESOLVERS: tuple[tuple[str, re.Pattern[str], list[str]], ...] = (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    ),
)


@dataclass(frozen=True)
class Position:
    """A place in the text, both numbers counted from 1."""

    line: int
    column: int


@dataclass
class ParseError(Exception):
    """The text cannot be turned into a publiccode.yml mapping."""

    message: str
    line: int | None = None
    column: int | None = None
    key: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


@dataclass
class ParsedDocument:
    """The parsed mapping plus where each key and value was written.

    Paths are tuples of mapping keys and list indices, e.g. ``("maintenance", "contacts", 0)``.
    """

    data: dict[str, Any]
    key_positions: dict[Path, Position] = field(default_factory=dict)
    value_positions: dict[Path, Position] = field(default_factory=dict)

    def value_position(self, path: Path) -> Position:
        """Where the value at ``path`` starts, or its nearest written ancestor."""
        return self._nearest(self.value_positions, path)

    def key_position(self, path: Path) -> Position:
        """Where the key of ``path`` is written (list items: where the item starts)."""
        if path in self.key_positions:
            return self.key_positions[path]
        return self._nearest(self.value_positions, path)

    def _nearest(self, positions: dict[Path, Position], path: Path) -> Position:
        for end in range(len(path), -1, -1):
            candidate = path[:end]
            if candidate in positions:
                return positions[candidate]
            if candidate in self.key_positions:
                return self.key_positions[candidate]
        return Position(1, 1)


class _AnchorFound(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__(MESSAGE_ANCHORS)
        self.mark = mark


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__(MESSAGE_TOO_DEEP)
        self.mark = mark


class _SecondDocument(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__(MESSAGE_MANY_DOCUMENTS)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and second documents while composing."""

    yaml_implicit_resolvers: dict[Any, Any] = {}
    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, NodeEvent) and event.anchor is not None
        ):
            raise _AnchorFound(event.start_mark)
        # Stop long before Python's recursion limit would.
        if self._depth >= MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        self.get_event()  # stream start
        document = None
        if not self.check_event(StreamEndEvent):
            document = self.compose_document()
        if not self.check_event(StreamEndEvent):
            raise _SecondDocument(self.get_event().start_mark)
        self.get_event()  # stream end
        return document


for _tag, _pattern, _first in CORE_SCHEMA_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, _pattern, _first)


def _position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _position_of_offset(text: str, offset: int) -> Position:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Position(line, column)


def decode(raw: str | bytes) -> str:
    """Return the text of ``raw``, refusing oversized input and bytes that are not UTF-8."""
    if isinstance(raw, str):
        size = len(raw.encode("utf-8", errors="surrogatepass"))
        text = raw
    else:
        size = len(raw)
    if size > MAX_BYTES:
        raise ParseError(MESSAGE_TOO_LARGE)
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            before = raw[: error.start]
            line = before.count(b"\n") + 1
            line_start = before.rfind(b"\n") + 1
            column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
            raise ParseError(MESSAGE_NOT_UTF8, line, column) from None
    return text.removeprefix("\ufeff")


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    value: str = node.value
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        try:
            if value.startswith(("0o", "0x")):
                return int(value, 0)
            return int(value, 10)
        except ValueError:
            raise ParseError(
                f"'{value}' is not a whole number", *_as_pair(node.start_mark)
            ) from None
    if tag == _FLOAT:
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        try:
            return float(value)
        except ValueError:
            raise ParseError(f"'{value}' is not a number", *_as_pair(node.start_mark)) from None
    raise ParseError(MESSAGE_BAD_TAG.format(tag=_short_tag(tag)), *_as_pair(node.start_mark))


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG_PREFIX) if tag.startswith(_TAG_PREFIX) else tag


def _as_pair(mark: yaml.Mark) -> tuple[int, int]:
    position = _position(mark)
    return position.line, position.column


class _Converter:
    """Turns a composed node tree into dicts, lists and scalars, recording positions."""

    def __init__(self) -> None:
        self.key_positions: dict[Path, Position] = {}
        self.value_positions: dict[Path, Position] = {}

    def convert(self, node: Node, path: Path) -> Any:
        if len(path) > MAX_DEPTH:
            raise ParseError(MESSAGE_TOO_DEEP, *_as_pair(node.start_mark))
        self.value_positions[path] = _position(node.start_mark)
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise ParseError(
                    MESSAGE_BAD_TAG.format(tag=_short_tag(node.tag)), *_as_pair(node.start_mark)
                )
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        raise ParseError(MESSAGE_BAD_TAG.format(tag=node.tag), *_as_pair(node.start_mark))

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        if node.tag != _MAP:
            raise ParseError(
                MESSAGE_BAD_TAG.format(tag=_short_tag(node.tag)), *_as_pair(node.start_mark)
            )
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ParseError(MESSAGE_COMPLEX_KEY, *_as_pair(key_node.start_mark))
            if key_node.tag not in {_STR, _BOOL, _NULL, _INT, _FLOAT}:
                raise ParseError(
                    MESSAGE_BAD_TAG.format(tag=_short_tag(key_node.tag)),
                    *_as_pair(key_node.start_mark),
                )
            # Keys are always names, so their written text is what counts (`no:` is Norwegian).
            key: str = key_node.value
            child = (*path, key)
            if key in result:
                raise ParseError(
                    MESSAGE_DUPLICATE_KEY.format(key=key),
                    *_as_pair(key_node.start_mark),
                    key=".".join(str(part) for part in child),
                )
            self.key_positions[child] = _position(key_node.start_mark)
            result[key] = self.convert(value_node, child)
        return result


def parse(raw: str | bytes) -> ParsedDocument:
    """Parse publiccode.yml text or bytes; raise ``ParseError`` with a position if impossible."""
    text = decode(raw)
    try:
        root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _AnchorFound as error:
        raise ParseError(MESSAGE_ANCHORS, *_as_pair(error.mark)) from None
    except _TooDeep as error:
        raise ParseError(MESSAGE_TOO_DEEP, *_as_pair(error.mark)) from None
    except _SecondDocument as error:
        raise ParseError(MESSAGE_MANY_DOCUMENTS, *_as_pair(error.mark)) from None
    except yaml.reader.ReaderError as error:
        character = error.character
        code = f"U+{ord(character) if isinstance(character, str) else character:04X}"
        position = _position_of_offset(text, error.position)
        raise ParseError(
            MESSAGE_INVALID_YAML.format(problem=f"it contains the control character {code}"),
            position.line,
            position.column,
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "it cannot be read"
        if mark is None:
            raise ParseError(MESSAGE_INVALID_YAML.format(problem=problem)) from None
        raise ParseError(MESSAGE_INVALID_YAML.format(problem=problem), *_as_pair(mark)) from None
    except yaml.YAMLError as error:
        raise ParseError(MESSAGE_INVALID_YAML.format(problem=str(error))) from None
    except RecursionError:
        raise ParseError(MESSAGE_TOO_DEEP) from None

    if root is None:
        raise ParseError(MESSAGE_EMPTY, 1, 1)
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise ParseError(MESSAGE_NOT_MAPPING.format(kind=kind), *_as_pair(root.start_mark))
    converter = _Converter()
    data = converter.convert(root, ())
    return ParsedDocument(data, converter.key_positions, converter.value_positions)
