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
