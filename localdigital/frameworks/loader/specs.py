"""The plain descriptions of checked files that the loader hands to the services."""

import re
from dataclasses import dataclass, field

NOT_REQUIRED = "not-required"
DEFAULT_SCALE = "default"


@dataclass(frozen=True)
class LevelSpec:
    key: str
    label: str
    rank: int | None


@dataclass(frozen=True)
class IndicatorSpec:
    indicator_id: str
    level_key: str
    statement: str


@dataclass
class NodeSpec:
    node_id: str
    type: str
    code: str
    title: str
    description: str
    assessable: bool
    scale: str
    levels: tuple[LevelSpec, ...]
    indicators: list[IndicatorSpec]
    parent_id: str | None
    depth: int
    position: int
    answer: str = "level"  # or "date": answered with a date, no levels
    informs: tuple[str, ...] = ()  # nodes of other frameworks, like caf:B5.c

    @property
    def has_levels(self) -> bool:
        """Answered with a level (so it can have a profile target)."""
        return self.assessable and self.answer == "level"


@dataclass
class ProfileSpec:
    profile_id: str
    name: str
    description: str
    targets: dict[str, str | None]  # node id -> level key, None for "not required"


@dataclass
class FrameworkSpec:
    """A checked framework file, ready to load. Nodes are in depth-first document order."""

    file: str
    framework_id: str
    version: str
    name: str
    description: str
    kind: str
    source_url: str
    licence: str
    namespace: str
    content_hash: str
    nodes: list[NodeSpec] = field(default_factory=list)
    profiles: list[ProfileSpec] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.framework_id}@{self.version}"


@dataclass
class StatementsSpec:
    """A checked statements overlay: official text for a framework version already loaded."""

    file: str
    framework_id: str
    version: str
    source_url: str
    licence: str
    content_hash: str
    indicators: dict[str, tuple[str, int | None]]  # indicator id -> (statement, line)
    descriptions: dict[str, tuple[str, int | None]]  # node id -> (description, line)


def version_order(version: str) -> str:
    """A sortable form of a version: each run of digits zero-padded, so 3.10 follows 3.9."""
    return re.sub(r"\d+", lambda match: match.group().zfill(10), version)


@dataclass(frozen=True)
class CrosswalkRowSpec:
    """One link: a node of the newer version and one node it comes from (either may be None for
    a new or a removed node)."""

    from_id: str | None
    to_id: str | None
    change: str
    note: str
    line: int | None


@dataclass
class CrosswalkSpec:
    """A checked crosswalk file. That its ids exist in both versions is checked when loading."""

    file: str
    crosswalk_id: str
    from_framework: str
    from_version: str
    to_framework: str
    to_version: str
    name: str
    description: str
    source_url: str
    licence: str
    content_hash: str
    rows: list[CrosswalkRowSpec] = field(default_factory=list)
