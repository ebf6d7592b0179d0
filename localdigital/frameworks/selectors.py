"""Reads for frameworks: the versions, one version, its tree of nodes in document order, its
profiles, and the crosswalk between two versions."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from localdigital.frameworks.models import (
    Crosswalk,
    CrosswalkRow,
    Framework,
    Indicator,
    Level,
    Node,
    Profile,
    ProfileTarget,
)


@dataclass
class TreeNode:
    """A node with its children, in order. Its levels (and their indicators, when asked for)
    are prefetched, so walking the tree makes no queries."""

    node: Node
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def levels(self) -> list[Level]:
        return list(self.node.levels.all())

    def walk(self) -> Iterable["TreeNode"]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def framework_list() -> QuerySet[Framework]:
    """Every framework version, by id and then newest version first."""
    return Framework.objects.order_by("framework_id", "-version_order", "pk")


def framework_get(framework_id: str, version: str | None = None) -> Framework | None:
    """One framework version; the newest version of that framework when `version` is None.

    "Newest" compares versions part by part as numbers (3.10 is newer than 3.9). None when
    there is no such framework or version.
    """
    versions = Framework.objects.filter(framework_id=framework_id)
    if version is not None:
        return versions.filter(version=version).first()
    return versions.order_by("-version_order", "-pk").first()


def framework_trees(
    frameworks: Iterable[Framework], *, indicators: bool = False
) -> dict[int, list[TreeNode]]:
    """The node trees of several frameworks at once, keyed by framework pk: each a list of root
    nodes in document order. Three queries however many frameworks and nodes (four with
    indicators, which come grouped under their levels)."""
    pks = [framework.pk for framework in frameworks]
    trees: dict[int, list[TreeNode]] = {pk: [] for pk in pks}
    if not pks:
        return trees
    lookups: list[str | Prefetch] = [
        Prefetch("levels", queryset=Level.objects.order_by("position"))
    ]
    if indicators:
        lookups.append(
            Prefetch("levels__indicators", queryset=Indicator.objects.order_by("position"))
        )
    nodes = (
        Node.objects.filter(framework_id__in=pks)
        .order_by("framework_id", "position")
        .prefetch_related(*lookups)
    )
    by_pk: dict[int, TreeNode] = {}
    for node in nodes:
        tree_node = TreeNode(node=node)
        by_pk[node.pk] = tree_node
        # Document order puts every parent before its children.
        if node.parent_id is None:
            trees[node.framework_id].append(tree_node)
        else:
            by_pk[node.parent_id].children.append(tree_node)
    return trees


def framework_tree(framework: Framework, *, indicators: bool = True) -> list[TreeNode]:
    """One framework's nodes as a nested tree in document order, with levels and (unless asked
    not to) their indicators prefetched: a constant number of queries."""
    return framework_trees([framework], indicators=indicators)[framework.pk]


def framework_profiles(framework: Framework) -> QuerySet[Profile]:
    """The framework's target profiles with their targets (node and level) prefetched."""
    targets = ProfileTarget.objects.select_related("node", "level").order_by("node__position")
    return framework.profiles.order_by("pk").prefetch_related(Prefetch("targets", queryset=targets))


@dataclass(frozen=True)
class CrosswalkEntry:
    """What became of nodes between two versions: the newer node (None when removed), the older
    nodes it comes from (none when new), the change and any note."""

    change: str
    to_node: Node | None
    from_nodes: tuple[Node, ...]
    note: str = ""


@dataclass
class CrosswalkMapping:
    """A loaded crosswalk, read for carrying answers forward.

    `entries` is keyed by the newer version's node id (`caf-4.0:C2.a`); `removed` lists the
    older nodes with no successor; `successors(node_id)` gives the newer entries an older node
    feeds (one, or none when removed).
    """

    crosswalk: Crosswalk
    entries: dict[str, CrosswalkEntry]
    removed: list[CrosswalkEntry]

    def __getitem__(self, to_node_id: str) -> CrosswalkEntry:
        return self.entries[to_node_id]

    def __contains__(self, to_node_id: object) -> bool:
        return to_node_id in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def successors(self, from_node_id: str) -> list[CrosswalkEntry]:
        return [
            entry
            for entry in self.entries.values()
            if any(node.node_id == from_node_id for node in entry.from_nodes)
        ]


def crosswalk(from_version: Framework, to_version: Framework) -> CrosswalkMapping | None:
    """The crosswalk from one framework version to another, such as CAF 3.2 to 4.0, or None
    when none is loaded. Two queries."""
    found = Crosswalk.objects.filter(from_framework=from_version, to_framework=to_version).first()
    if found is None:
        return None
    rows = found.rows.select_related("from_node", "to_node").order_by("position")
    grouped: dict[str, list[CrosswalkRow]] = {}
    removed: list[CrosswalkEntry] = []
    for row in rows:
        if row.to_node is None:
            removed.append(
                CrosswalkEntry(
                    change=row.change,
                    to_node=None,
                    from_nodes=(row.from_node,) if row.from_node else (),
                    note=row.note,
                )
            )
        else:
            grouped.setdefault(row.to_node.node_id, []).append(row)
    entries = {
        node_id: CrosswalkEntry(
            change=group[0].change,
            to_node=group[0].to_node,
            from_nodes=tuple(row.from_node for row in group if row.from_node is not None),
            note=group[0].note,
        )
        for node_id, group in grouped.items()
    }
    return CrosswalkMapping(crosswalk=found, entries=entries, removed=removed)


def crosswalk_list() -> QuerySet[Crosswalk]:
    """Every loaded crosswalk with its two framework versions."""
    return Crosswalk.objects.select_related("from_framework", "to_framework").order_by(
        "crosswalk_id"
    )


def framework_list_with_profiles() -> QuerySet[Framework]:
    """Every framework version with its profiles (no targets), for the frameworks page."""
    return framework_list().prefetch_related(
        Prefetch("profiles", queryset=Profile.objects.order_by("origin", "name"))
    )


def profile_targets_by_node(profiles: Iterable[Profile]) -> dict[int, dict[int, ProfileTarget]]:
    """Each profile's targets keyed by node pk, from profiles whose targets are prefetched (as
    `framework_profiles` returns them): profile pk -> node pk -> target."""
    return {
        profile.pk: {target.node_id: target for target in profile.targets.all()}
        for profile in profiles
    }
