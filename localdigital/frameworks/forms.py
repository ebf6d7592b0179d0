"""Forms for framework pages: a target profile's name, description and a target per outcome."""

from typing import Any

from django import forms

from localdigital.frameworks.loader import NOT_REQUIRED
from localdigital.frameworks.models import Node, Profile
from localdigital.frameworks.selectors import TreeNode

NAME_REQUIRED = "Enter a name for the profile"
TARGET_REQUIRED = "Choose a target for {code} {title}"
TARGET_INVALID = "Choose a target for {code} {title} from its levels, or not required"


def target_field_name(node: Node) -> str:
    """The form field of a node's target, like `target-B5_c` for caf-4.0:B5.c."""
    local = node.node_id.split(":", 1)[-1]
    return "target-" + local.replace(".", "_")


class ProfileForm(forms.Form):
    """A target for every outcome answered with a level: one of its ranked levels, or not
    required. Fields are built from the framework's tree so the page can group them."""

    name = forms.CharField(
        label="Profile name",
        max_length=200,
        error_messages={"required": NAME_REQUIRED},
        help_text="For example, Local government baseline 2026 to 2027",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who the profile is for and when to use it",
    )

    def __init__(
        self,
        *args: Any,
        tree: list[TreeNode],
        profile: Profile | None = None,
        start_from: Profile | None = None,
        **kwargs: Any,
    ):
        """`profile` is the profile being changed; `start_from` one whose targets a new
        profile starts with (its name and description are not copied)."""
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.target_nodes: list[Node] = []
        if profile is not None:
            self.initial.setdefault("name", profile.name)
            self.initial.setdefault("description", profile.description)
        source = profile or start_from
        current: dict[int, str] = {}
        if source is not None:
            current = {
                target.node_id: (target.level.key if target.level else NOT_REQUIRED)
                for target in source.targets.all()
            }
        for root in tree:
            for item in root.walk():
                node = item.node
                if not node.assessable or node.answer != Node.Answer.LEVEL:
                    continue
                names = {"code": node.code or node.node_id, "title": node.title}
                # The lowest level (not achieved) as a target asks for nothing, so "Not
                # required" stands for it, as in the government profiles.
                ranked = [lv for lv in item.levels if lv.rank is not None]
                lowest = min((lv.rank for lv in ranked if lv.rank is not None), default=None)
                choices = [(lv.key, lv.label) for lv in ranked if lv.rank != lowest]
                choices.append((NOT_REQUIRED, "Not required"))
                field_name = target_field_name(node)
                self.fields[field_name] = forms.ChoiceField(
                    label=f"{node.code} {node.title}".strip(),
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": TARGET_REQUIRED.format(**names),
                        "invalid_choice": TARGET_INVALID.format(**names),
                    },
                )
                if current.get(node.pk) in {key for key, _ in choices}:
                    self.initial.setdefault(field_name, current[node.pk])
                self.target_nodes.append(node)

    def groups(self) -> list[dict[str, Any]]:
        """The target fields grouped by the top of the tree and then by each field's parent
        (objective and principle for CAF). Nodes without a parent form one group with no node."""
        groups: dict[int | None, dict[str, Any]] = {}

        def visit(item: TreeNode, root: TreeNode | None, parent: TreeNode | None) -> None:
            name = target_field_name(item.node)
            if name in self.fields:
                top = root.node if root else None
                group = groups.setdefault(top.pk if top else None, {"node": top, "sections": {}})
                section_node = parent.node if parent is not None and parent is not root else None
                key = section_node.pk if section_node else None
                section = group["sections"].setdefault(key, {"node": section_node, "fields": []})
                section["fields"].append(self[name])
            for child in item.children:
                visit(child, root or item, item)

        for root in self.tree:
            visit(root, None, None)
        return [
            {"node": group["node"], "sections": list(group["sections"].values())}
            for group in groups.values()
        ]

    def targets(self) -> dict[str, str | None]:
        """Node id -> level key, or None for not required."""
        result: dict[str, str | None] = {}
        for node in self.target_nodes:
            value = self.cleaned_data.get(target_field_name(node))
            result[node.node_id] = None if value in (None, "", NOT_REQUIRED) else value
        return result

    def field_for(self, node_id: str) -> str | None:
        for node in self.target_nodes:
            if node.node_id == node_id:
                return target_field_name(node)
        return None
