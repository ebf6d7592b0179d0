"""Reading and checking a crosswalk file: how the nodes of one framework version relate to those
of another (the format is described in docs/frameworks.md)."""

import re
from pathlib import Path
from typing import Any

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader.reading import Checker, content_hash, in_file_order, read_yaml
from localdigital.frameworks.loader.specs import CrosswalkRowSpec, CrosswalkSpec

CROSSWALK_KEYS = frozenset(
    {"crosswalk", "from", "to", "name", "description", "source_url", "licence"}
    | {"outcomes", "removed"}
)
END_KEYS = frozenset({"framework", "version"})
ROW_KEYS = frozenset({"to", "from", "change", "note"})
REMOVED_KEYS = frozenset({"from", "note"})
CROSSWALK_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
# Changes with exactly one source, with several (at least one), and with none.
ONE_SOURCE = ("same", "renamed", "renumbered")
SOURCES = ("replaced",)
NO_SOURCE = ("new",)
CHANGES = (*ONE_SOURCE, *SOURCES, *NO_SOURCE)


class _CrosswalkParser(Checker):
    def end(self, data: dict, key: str) -> tuple[str, str]:
        value = data.get(key)
        if not isinstance(value, dict):
            self.problem(
                f"Add {key}: a mapping of framework and version", line=self.line_of(data, key)
            )
            return "", ""
        self.unknown_keys(value, END_KEYS, where=key)
        framework = self.text(value, "framework", where=key, required=True)
        version = self.text(value, "version", where=key, required=True, numbers=True)
        return framework, version

    def node_id(self, value: Any, *, line: int | None, where: str) -> str | None:
        if not isinstance(value, str) or ":" not in value:
            self.problem(f"'{value}' must be a node id, like caf-4.0:B5.c", line=line, where=where)
            return None
        return value

    def rows(self, data: dict) -> list[CrosswalkRowSpec]:
        rows: list[CrosswalkRowSpec] = []
        outcomes = data.get("outcomes")
        if not isinstance(outcomes, list) or not outcomes:
            self.problem(
                "Add outcomes: a list of the newer version's nodes, each with from and change",
                line=self.line_of(data, "outcomes"),
            )
            outcomes = []
        for index, item in enumerate(outcomes):
            line = self.line_of(item)
            where = f"outcomes[{index}]"
            if not isinstance(item, dict):
                self.problem("Each row needs to, from and change", line=line, where=where)
                continue
            self.unknown_keys(item, ROW_KEYS, where=where)
            to_id = self.node_id(item.get("to"), line=line, where=where)
            where = f"row {to_id}" if to_id else where
            change = self.text(item, "change", where=where, required=True)
            note = self.text(item, "note", where=where)
            sources = item.get("from", [])
            if sources is None:
                sources = []
            if isinstance(sources, str):
                sources = [sources]
            if not isinstance(sources, list):
                self.problem("from must be a list of node ids", line=line, where=where)
                continue
            if change and change not in CHANGES:
                self.problem(
                    f"The change '{change}' is not one of {', '.join(CHANGES)} (a node with no "
                    "successor goes under removed)",
                    line=self.line_of(item, "change"),
                    where=where,
                )
                continue
            if change in ONE_SOURCE and len(sources) != 1:
                self.problem(f"A {change} node comes from one node", line=line, where=where)
                continue
            if change in SOURCES and not sources:
                self.problem(f"A {change} node names what it replaces", line=line, where=where)
                continue
            if change in NO_SOURCE and sources:
                self.problem("A new node comes from no node: leave from empty", line=line)
                continue
            if to_id is None or not change:
                continue
            if not sources:
                rows.append(CrosswalkRowSpec(None, to_id, change, note, line))
            for source in sources:
                from_id = self.node_id(source, line=line, where=where)
                if from_id is not None:
                    rows.append(CrosswalkRowSpec(from_id, to_id, change, note, line))
        removed = data.get("removed") or []
        if not isinstance(removed, list):
            self.problem("removed must be a list", line=self.line_of(data, "removed"))
            removed = []
        for index, item in enumerate(removed):
            line = self.line_of(item)
            where = f"removed[{index}]"
            if not isinstance(item, dict):
                self.problem("Each removed node needs from", line=line, where=where)
                continue
            self.unknown_keys(item, REMOVED_KEYS, where=where)
            from_id = self.node_id(item.get("from"), line=line, where=where)
            if from_id is not None:
                note = self.text(item, "note", where=where)
                rows.append(CrosswalkRowSpec(from_id, None, "removed", note, line))
        return rows


def parse_crosswalk_file(path: Path) -> CrosswalkSpec:
    """Read and check a crosswalk file on its own (that its ids exist in the two versions, and
    that every node is covered, is checked when it is loaded). Raises ReferenceDataError listing
    every problem."""
    data = read_yaml(path)
    parser = _CrosswalkParser(path.name)
    parser.repeated_keys(data)
    parser.unknown_keys(data, CROSSWALK_KEYS, where="top level")
    crosswalk_id = parser.text(data, "crosswalk", required=True, max_length=60)
    if crosswalk_id and not CROSSWALK_ID.match(crosswalk_id):
        parser.problem(
            f"The crosswalk id '{crosswalk_id}' must be lower-case letters, digits, dots and "
            "hyphens, like caf-3.2-4.0",
            line=parser.line_of(data, "crosswalk"),
        )
    from_framework, from_version = parser.end(data, "from")
    to_framework, to_version = parser.end(data, "to")
    if (from_framework, from_version) == (to_framework, to_version) and from_framework:
        parser.problem("from and to must be two different versions")
    spec = CrosswalkSpec(
        file=path.name,
        crosswalk_id=crosswalk_id,
        from_framework=from_framework,
        from_version=from_version,
        to_framework=to_framework,
        to_version=to_version,
        name=parser.text(data, "name", required=True, max_length=200),
        description=parser.text(data, "description", one_line=False),
        source_url=parser.url(data, "source_url"),
        licence=parser.text(data, "licence", required=True, max_length=200),
        content_hash=content_hash(data),
        rows=parser.rows(data),
    )
    if parser.problems:
        raise ReferenceDataError(in_file_order(parser.problems))
    return spec
