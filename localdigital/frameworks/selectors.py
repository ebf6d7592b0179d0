"""Reads for frameworks: the versions, one version, and its tree of nodes in document order."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from localdigital.frameworks.models import Framework, Indicator, Level, Node, Profile, ProfileTarget


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
