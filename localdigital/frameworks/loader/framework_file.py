"""Reading and checking a framework file (the format is described in docs/frameworks.md)."""

import re
from pathlib import Path
from typing import Any

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader.reading import (
    Checker,
    LineMapping,
    content_hash,
    in_file_order,
    read_yaml,
)
from localdigital.frameworks.loader.specs import (
    DEFAULT_SCALE,
    NOT_REQUIRED,
    FrameworkSpec,
    IndicatorSpec,
    LevelSpec,
    NodeSpec,
    ProfileSpec,
)
from localdigital.frameworks.models import Framework

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAMESPACE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
VERSION = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")
NODE_TYPE = re.compile(r"^[a-z][a-z0-9-]*$")
LOCAL_ID = r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*"
INFORMS = re.compile(rf"^[a-z0-9]+(?:-[a-z0-9]+)*:{LOCAL_ID}$")
ANSWERS = ("level", "date")

TOP_KEYS = frozenset(
    {"id", "version", "name", "description", "source_url", "licence", "kind", "namespace"}
    | {"levels", "scales", "nodes", "profiles"}
)
NODE_KEYS = frozenset(
    {"id", "type", "code", "title", "description", "assessable", "scale", "levels"}
    | {"indicators", "children", "answer", "informs"}
)
LEVEL_KEYS = frozenset({"key", "label", "rank"})
INDICATOR_KEYS = frozenset({"id", "statement"})
PROFILE_KEYS = frozenset({"id", "name", "description", "targets"})


def _max(model: type, name: str) -> int:
    return int(model._meta.get_field(name).max_length)  # type: ignore[attr-defined]


class _FrameworkParser(Checker):
    def __init__(self, file: str, data: dict[str, Any]):
        super().__init__(file)
        self.data = data
        self.scales: dict[str, tuple[LevelSpec, ...]] = {}
        self.nodes: list[NodeSpec] = []
        self.node_lines: dict[str, int | None] = {}
        self.indicator_lines: dict[str, int | None] = {}
        self.id_pattern: re.Pattern[str] | None = None
        self.namespace = ""

    def parse(self) -> FrameworkSpec:
        data = self.data
        self.repeated_keys(data)
        self.unknown_keys(data, TOP_KEYS, where="top level")
        framework_id = self.text(
            data, "id", required=True, max_length=_max(Framework, "framework_id")
        )
        if framework_id and not SLUG.match(framework_id):
            self.problem(
                f"The id '{framework_id}' must be lower-case letters, digits and hyphens, "
                "like tcop",
                line=self.line_of(data, "id"),
            )
        version = self.text(
            data, "version", required=True, numbers=True, max_length=_max(Framework, "version")
        )
        if version and not VERSION.match(version):
            self.problem(
                f"The version '{version}' must be letters, digits, dots and hyphens, like 2025 "
                "or 3.2",
                line=self.line_of(data, "version"),
            )
        name = self.text(data, "name", required=True, max_length=_max(Framework, "name"))
        description = self.text(data, "description", one_line=False)
        source_url = self.url(data, "source_url")
        licence = self.text(data, "licence", required=True, max_length=_max(Framework, "licence"))
        kind = self.text(data, "kind", required=True)
        if kind and kind not in Framework.Kind.values:
            self.problem(
                f"The kind '{kind}' is not one of {', '.join(Framework.Kind.values)}",
                line=self.line_of(data, "kind"),
            )
        namespace = self.text(data, "namespace", max_length=_max(Framework, "namespace"))
        if namespace and not NAMESPACE.match(namespace):
            self.problem(
                f"The namespace '{namespace}' must be lower-case letters, digits, dots and "
                "hyphens, like caf-3.2",
                line=self.line_of(data, "namespace"),
            )
        self.namespace = namespace or framework_id
        if self.namespace and NAMESPACE.match(self.namespace):
            self.id_pattern = re.compile(rf"^{re.escape(self.namespace)}:{LOCAL_ID}$")
        else:
            # The namespace is already reported; still check the shape of every id.
            self.namespace = "namespace"
            self.id_pattern = re.compile(rf"^{NAMESPACE.pattern[1:-1]}:{LOCAL_ID}$")

        self.parse_scales()
        self.parse_nodes()
        profiles = self.parse_profiles()
        return FrameworkSpec(
            file=self.file,
            framework_id=framework_id,
            version=version,
            name=name,
            description=description,
            kind=kind,
            source_url=source_url,
            licence=licence,
            namespace=self.namespace,
            content_hash=content_hash(data),
            nodes=self.nodes,
            profiles=profiles,
        )

    # Scales

    def parse_scales(self) -> None:
        data = self.data
        if data.get("levels") is not None:
            self.scales[DEFAULT_SCALE] = self.levels(
                data["levels"], where="default levels", line=self.line_of(data, "levels")
            )
        scales = data.get("scales")
        if scales is None:
            return
        if not isinstance(scales, dict):
            self.problem(
                "scales must map each scale's name to its list of levels",
                line=self.line_of(data, "scales"),
            )
            return
        for name, value in scales.items():
            line = self.line_of(scales, name)
            where = f"scale {name}"
            if not isinstance(name, str) or not SLUG.match(name):
                self.problem(
                    f"The scale name '{name}' must be lower-case letters, digits and hyphens",
                    line=line,
                )
                continue
            if name == DEFAULT_SCALE and "levels" in data:
                self.problem(
                    "The default scale is given twice: as levels at the top and as scales: default",
                    line=line,
                )
                continue
            # Kept even when broken, so nodes using it are not also told it does not exist.
            self.scales[name] = self.levels(value, where=where, line=line)

    def levels(self, value: Any, *, where: str, line: int | None) -> tuple[LevelSpec, ...]:
        """A list of levels. Problems are recorded; the levels that could be read are returned,
        so checks of indicators and targets against them can go on."""
        if not isinstance(value, list) or not value:
            self.problem("Give the levels as a list of key, label and rank", line=line, where=where)
            return ()
        levels: list[LevelSpec] = []
        keys: dict[str, int | None] = {}
        ranks: dict[int, str] = {}
        for item in value:
            item_line = self.line_of(item) or line
            if not isinstance(item, dict):
                self.problem("Each level needs key, label and rank", line=item_line, where=where)
                continue
            self.unknown_keys(item, LEVEL_KEYS, where=where)
            key = self.text(item, "key", where=where, required=True, max_length=40)
            label = self.text(item, "label", where=where, required=True, max_length=100)
            if key and not SLUG.match(key):
                self.problem(
                    f"The level key '{key}' must be lower-case letters, digits and hyphens",
                    line=item_line,
                    where=where,
                )
            elif key == NOT_REQUIRED:
                self.problem(
                    f"'{NOT_REQUIRED}' is kept for profile targets; choose another level key",
                    line=item_line,
                    where=where,
                )
            elif key in keys:
                self.problem(
                    f"The level key '{key}' is listed twice (first on line {keys[key]})",
                    line=item_line,
                    where=where,
                )
            elif key:
                keys[key] = item_line
            rank = item.get("rank")
            if "rank" not in item:
                self.problem(
                    "Add rank: a whole number (higher is better), or null for a level outside "
                    "the order such as not applicable",
                    line=item_line,
                    where=where,
                )
            elif rank is not None and (
                isinstance(rank, bool) or not isinstance(rank, int) or rank < 0
            ):
                self.problem(
                    "rank must be a whole number from 0, or null", line=item_line, where=where
                )
                rank = None
            elif rank is not None and rank in ranks:
                self.problem(
                    f"Two levels have rank {rank} ({ranks[rank]} and {key})",
                    line=item_line,
                    where=where,
                )
            elif rank is not None:
                ranks[rank] = key
            if key and label and key not in {level.key for level in levels}:
                levels.append(LevelSpec(key=key, label=label, rank=rank))
        if levels and not ranks:
            self.problem("At least one level needs a rank", line=line, where=where)
        return tuple(levels)

    # Nodes

    def parse_nodes(self) -> None:
        nodes = self.data.get("nodes")
        if not isinstance(nodes, list) or not nodes:
            self.problem("Add a list of nodes under 'nodes'", line=self.line_of(self.data, "nodes"))
            return
        self.walk(nodes, parent_id=None, depth=0, path="nodes")
        if self.nodes and not any(node.assessable for node in self.nodes):
            self.problem(
                "No node is assessable: mark the nodes people answer with assessable: true"
            )

    def walk(self, items: list, *, parent_id: str | None, depth: int, path: str) -> None:
        for index, item in enumerate(items):
            here = f"{path}[{index}]"
            line = item.line if isinstance(item, LineMapping) else self.item_line(items, index)
            if not isinstance(item, dict):
                self.problem("Each node needs id, type and title", line=line, where=here)
                continue
            node = self.node(item, parent_id=parent_id, depth=depth, here=here, line=line)
            children = item.get("children")
            if children is None:
                continue
            if not isinstance(children, list):
                self.problem(
                    "children must be a list of nodes",
                    line=self.line_of(item, "children"),
                    where=f"node {node.node_id}" if node else here,
                )
                continue
            self.walk(
                children,
                parent_id=node.node_id if node else None,
                depth=depth + 1,
                path=f"{here}.children",
            )

    @staticmethod
    def item_line(items: list, index: int) -> int | None:
        lines = getattr(items, "item_lines", None)
        return lines[index] if lines and index < len(lines) else None

    def identifier(self, value: str, *, kind: str, line: int | None, where: str) -> bool:
        if self.id_pattern is not None and not self.id_pattern.match(value):
            self.problem(
                f"The {kind} id '{value}' must be '{self.namespace}:' followed by letters, "
                f"digits, dots or hyphens, like {self.namespace}:1",
                line=line,
                where=where,
            )
            return False
        return True

    def node(
        self, item: dict, *, parent_id: str | None, depth: int, here: str, line: int | None
    ) -> NodeSpec | None:
        node_id = self.text(item, "id", where=here, required=True, max_length=100)
        where = f"node {node_id}" if node_id else here
        self.unknown_keys(item, NODE_KEYS, where=where)
        valid_id = bool(node_id) and self.identifier(node_id, kind="node", line=line, where=here)
        if node_id in self.node_lines:
            self.problem(
                f"The node id {node_id} is used twice (first on line {self.node_lines[node_id]})",
                line=line,
                where=here,
            )
            valid_id = False
        elif node_id:
            self.node_lines[node_id] = line
        node_type = self.text(item, "type", where=where, required=True, max_length=40)
        if node_type and not NODE_TYPE.match(node_type):
            self.problem(
                f"The type '{node_type}' must be a lower-case word, like outcome",
                line=self.line_of(item, "type"),
                where=where,
            )
        code = self.text(item, "code", where=where, numbers=True, max_length=40)
        title = self.text(item, "title", where=where, required=True, max_length=300)
        description = self.text(item, "description", where=where, one_line=False)
        assessable = item.get("assessable", False)
        if not isinstance(assessable, bool):
            self.problem(
                "assessable must be true or false",
                line=self.line_of(item, "assessable"),
                where=where,
            )
            assessable = False
        answer = self.node_answer(item, assessable=assessable, where=where, line=line)
        informs = self.node_informs(item, where=where)
        scale_name, levels, indicators = "", tuple[LevelSpec, ...](), list[IndicatorSpec]()
        if answer != "date":
            scale_name, levels = self.node_scale(
                item, assessable=assessable, where=where, line=line
            )
            indicators = self.node_indicators(item, levels=levels, where=where)
        if not valid_id:
            return None
        spec = NodeSpec(
            node_id=node_id,
            type=node_type,
            code=code,
            title=title,
            description=description,
            assessable=assessable,
            scale=scale_name,
            levels=levels,
            indicators=indicators,
            parent_id=parent_id,
            depth=depth,
            position=len(self.nodes),
            answer=answer,
            informs=informs,
        )
        self.nodes.append(spec)
        return spec

    def node_answer(self, item: dict, *, assessable: bool, where: str, line: int | None) -> str:
        """How the node is answered: `level` (the default) or `date`, which only an assessable
        node with no scale, levels or indicators can be."""
        if item.get("answer") is None:
            return "level"
        answer = item["answer"]
        answer_line = self.line_of(item, "answer")
        if answer not in ANSWERS:
            self.problem(
                f"answer must be one of {', '.join(ANSWERS)}", line=answer_line, where=where
            )
            return "level"
        if answer == "date":
            if not assessable:
                self.problem(
                    "Only an assessable node has an answer: add assessable: true",
                    line=answer_line,
                    where=where,
                )
            given = [key for key in ("scale", "levels", "indicators") if item.get(key) is not None]
            if given:
                self.problem(
                    f"A node answered with a date has no {', '.join(given)}: remove them",
                    line=answer_line,
                    where=where,
                )
        return str(answer)

    def node_informs(self, item: dict, *, where: str) -> tuple[str, ...]:
        """The nodes of other frameworks this node informs, as `<framework id>:<code>`."""
        value = item.get("informs")
        if value is None:
            return ()
        line = self.line_of(item, "informs")
        if not isinstance(value, list) or not value:
            self.problem(
                "informs must be a list like [caf:B5.c]: a framework id, a colon and a code",
                line=line,
                where=where,
            )
            return ()
        refs: list[str] = []
        for entry in value:
            if not isinstance(entry, str) or not INFORMS.match(entry):
                self.problem(
                    f"'{entry}' in informs must be a framework id, a colon and a code, like "
                    "caf:B5.c",
                    line=line,
                    where=where,
                )
            elif entry in refs:
                self.problem(f"{entry} is listed twice in informs", line=line, where=where)
            else:
                refs.append(entry)
        return tuple(refs)

    def node_scale(
        self, item: dict, *, assessable: bool, where: str, line: int | None
    ) -> tuple[str, tuple[LevelSpec, ...]]:
        has_scale, has_levels = item.get("scale") is not None, item.get("levels") is not None
        if not assessable:
            if has_scale or has_levels or item.get("indicators") is not None:
                self.problem(
                    "Only an assessable node has a scale, levels or indicators: add "
                    "assessable: true or remove them",
                    line=line,
                    where=where,
                )
            return "", ()
        if has_scale and has_levels:
            self.problem("Give either scale or levels, not both", line=line, where=where)
            return "", ()
        if has_levels:
            return "", self.levels(item["levels"], where=where, line=self.line_of(item, "levels"))
        name = self.text(item, "scale", where=where) if has_scale else DEFAULT_SCALE
        if name in self.scales:
            return name, self.scales[name]
        if has_scale:
            known = ", ".join(sorted(self.scales)) or "none"
            self.problem(
                f"There is no scale called '{name}' (scales: {known})",
                line=self.line_of(item, "scale"),
                where=where,
            )
        else:
            self.problem(
                "An assessable node needs a scale: add scale or levels, or a default levels "
                "list at the top of the file",
                line=line,
                where=where,
            )
        return "", ()

    def node_indicators(
        self, item: dict, *, levels: tuple[LevelSpec, ...], where: str
    ) -> list[IndicatorSpec]:
        grouped = item.get("indicators")
        if grouped is None:
            return []
        if not isinstance(grouped, dict):
            self.problem(
                "indicators must map each level key to a list of indicators",
                line=self.line_of(item, "indicators"),
                where=where,
            )
            return []
        keys = [level.key for level in levels]
        indicators: list[IndicatorSpec] = []
        for level_key, entries in grouped.items():
            line = self.line_of(grouped, level_key)
            if keys and level_key not in keys:
                self.problem(
                    f"The node has no level '{level_key}' (its levels: {', '.join(keys)})",
                    line=line,
                    where=where,
                )
                continue
            if not isinstance(entries, list):
                self.problem(
                    f"The indicators under {level_key} must be a list", line=line, where=where
                )
                continue
            for index, entry in enumerate(entries):
                spec = self.indicator(
                    entry,
                    level_key=str(level_key),
                    where=where,
                    line=self.item_line(entries, index),
                )
                if spec is not None:
                    indicators.append(spec)
        return indicators

    def indicator(
        self, entry: Any, *, level_key: str, where: str, line: int | None
    ) -> IndicatorSpec | None:
        if isinstance(entry, str):
            entry = {"id": entry}
        elif isinstance(entry, dict):
            self.unknown_keys(entry, INDICATOR_KEYS, where=where)
        else:
            self.problem(
                "Each indicator is an id, or a mapping of id and statement", line=line, where=where
            )
            return None
        indicator_id = self.text(entry, "id", where=where, required=True, max_length=120)
        statement = self.text(entry, "statement", where=where, one_line=False)
        if not indicator_id or not self.identifier(
            indicator_id, kind="indicator", line=line, where=where
        ):
            return None
        if indicator_id in self.indicator_lines:
            first = self.indicator_lines[indicator_id]
            self.problem(
                f"The indicator id {indicator_id} is used twice (first on line {first})",
                line=line,
                where=where,
            )
            return None
        self.indicator_lines[indicator_id] = line
        return IndicatorSpec(indicator_id=indicator_id, level_key=level_key, statement=statement)

    # Profiles

    def parse_profiles(self) -> list[ProfileSpec]:
        profiles = self.data.get("profiles")
        if profiles is None:
            return []
        if not isinstance(profiles, list):
            self.problem("profiles must be a list", line=self.line_of(self.data, "profiles"))
            return []
        nodes = {node.node_id: node for node in self.nodes}
        seen: dict[str, int | None] = {}
        result: list[ProfileSpec] = []
        for index, item in enumerate(profiles):
            line = self.line_of(item) or self.item_line(profiles, index)
            here = f"profiles[{index}]"
            if not isinstance(item, dict):
                self.problem("Each profile needs id, name and targets", line=line, where=here)
                continue
            profile_id = self.text(item, "id", where=here, required=True, max_length=60)
            where = f"profile {profile_id}" if profile_id else here
            self.unknown_keys(item, PROFILE_KEYS, where=where)
            if profile_id and not SLUG.match(profile_id):
                self.problem(
                    f"The profile id '{profile_id}' must be lower-case letters, digits and "
                    "hyphens, like baseline",
                    line=line,
                    where=here,
                )
            elif profile_id in seen:
                self.problem(
                    f"The profile id {profile_id} is used twice (first on line {seen[profile_id]})",
                    line=line,
                    where=here,
                )
            elif profile_id:
                seen[profile_id] = line
            name = self.text(item, "name", where=where, required=True, max_length=200)
            description = self.text(item, "description", where=where, one_line=False)
            targets = self.targets(item, nodes=nodes, where=where, line=line)
            result.append(
                ProfileSpec(
                    profile_id=profile_id, name=name, description=description, targets=targets
                )
            )
        return result

    def targets(
        self, item: dict, *, nodes: dict[str, NodeSpec], where: str, line: int | None
    ) -> dict[str, str | None]:
        value = item.get("targets")
        if not isinstance(value, dict) or not value:
            self.problem(
                "Add targets: each assessable node's id and a level key or not-required",
                line=self.line_of(item, "targets") if "targets" in item else line,
                where=where,
            )
            return {}
        targets: dict[str, str | None] = {}
        for raw_node_id, raw_level in value.items():
            node_id = str(raw_node_id)
            key_line = self.line_of(value, raw_node_id)
            node = nodes.get(node_id)
            if node is None:
                self.problem(f"There is no node {node_id}", line=key_line, where=where)
                continue
            if not node.has_levels:
                reason = "is answered with a date" if node.assessable else "is not assessable"
                self.problem(
                    f"{node_id} {reason}, so it cannot have a target",
                    line=key_line,
                    where=where,
                )
                continue
            if not isinstance(raw_level, str):
                self.problem(
                    f"The target for {node_id} must be a level key or {NOT_REQUIRED}",
                    line=key_line,
                    where=where,
                )
                continue
            if raw_level == NOT_REQUIRED:
                targets[node_id] = None
                continue
            levels = {level.key: level for level in node.levels}
            level = levels.get(raw_level)
            if level is None:
                if levels:
                    choices = ", ".join([*levels, NOT_REQUIRED])
                    self.problem(
                        f"{node_id} has no level '{raw_level}' (choose from {choices})",
                        line=key_line,
                        where=where,
                    )
                continue
            if level.rank is None:
                self.problem(
                    f"'{raw_level}' has no rank, so it cannot be a target for {node_id}: "
                    f"choose a ranked level or {NOT_REQUIRED}",
                    line=key_line,
                    where=where,
                )
                continue
            targets[node_id] = raw_level
        given = set(value) | {str(key) for key in value}
        missing = [
            node.node_id for node in self.nodes if node.has_levels and node.node_id not in given
        ]
        if missing:
            self.problem(
                f"Give every assessable node a target (a level or {NOT_REQUIRED}); missing: "
                f"{', '.join(missing)}",
                line=self.line_of(item, "targets"),
                where=where,
            )
        return targets


def parse_framework_file(path: Path) -> FrameworkSpec:
    """Read and check a whole framework file. Raises ReferenceDataError listing every problem."""
    parser = _FrameworkParser(path.name, read_yaml(path))
    spec = parser.parse()
    if parser.problems:
        raise ReferenceDataError(in_file_order(parser.problems))
    return spec
