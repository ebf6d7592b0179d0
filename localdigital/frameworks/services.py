"""Writes for frameworks: loading a checked framework file, and adding official statements.

A framework version is written once and never changed in place. Loading the same content again
changes nothing; loading different content under the same id and version is refused, because
assessments already point at what was loaded. Statements overlays only fill text that the
framework file left empty, once per version.

Profiles defined in the Hub by programme staff will be added here as `profile_create` and
`profile_update(*, actor, framework, ...)` with `Profile.Origin.HUB`; profiles from the file stay
as loaded.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader import (
    FileProblem,
    FrameworkSpec,
    StatementsSpec,
    version_order,
)
from localdigital.frameworks.models import (
    Framework,
    Indicator,
    Level,
    Node,
    Profile,
    ProfileTarget,
)

FRAMEWORK_CHANGED = (
    "{framework_id} {version} is already loaded with different content: give the file a new version"
)
STATEMENTS_NO_FRAMEWORK = (
    "{framework_id} {version} is not loaded: load its framework file before its statements"
)
STATEMENTS_CHANGED = (
    "{framework_id} {version} already has statements from a different file: statements are "
    "added once, so give the framework a new version to change them"
)
UNKNOWN_INDICATOR = "There is no indicator {indicator_id} in {framework_id} {version}"
UNKNOWN_NODE = "There is no node {node_id} in {framework_id} {version}"
TEXT_ALREADY_SET = (
    "{item_id} already has different text from the framework file; statements only fill empty text"
)

# The fields checked by full_clean on bulk-created rows. Foreign keys and uniqueness are left
# to the database (the parser has already checked them), which spares a query per row.
_RELATIONS = ["framework", "parent", "node", "level", "profile"]


@dataclass
class FrameworkLoad:
    """What loading one framework file did."""

    framework: Framework
    created: bool
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        key = f"{self.framework.framework_id} {self.framework.version}"
        if not self.created:
            return f"{key} is already loaded with the same content: unchanged."
        counts = ", ".join(f"{count} {label}" for label, count in self.counts.items())
        return f"Loaded {key} ({self.framework.name}): {counts}."


@dataclass
class StatementsLoad:
    """What loading one statements overlay did."""

    framework: Framework
    created: bool
    indicators: int = 0
    descriptions: int = 0

    def summary(self) -> str:
        key = f"{self.framework.framework_id} {self.framework.version}"
        if not self.created:
            return f"{key} already has these statements: unchanged."
        return (
            f"Added {self.indicators} indicator statements and {self.descriptions} node "
            f"descriptions to {key} ({self.framework.statements_licence})."
        )


def _clean(instance: Any) -> None:
    instance.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)


def _refuse(file: str, message: str) -> ReferenceDataError:
    return ReferenceDataError([FileProblem(file, message)])


@transaction.atomic
def framework_load(*, actor: Any, spec: FrameworkSpec) -> FrameworkLoad:
    """Load a checked framework file as a new framework version, or recognise it as loaded.

    Returns `created=False` when this id and version is already loaded from the same content.
    Raises ReferenceDataError when it is loaded from different content: a version is never
    changed in place, so the file needs a new version.
    """
    existing = Framework.objects.filter(
        framework_id=spec.framework_id, version=spec.version
    ).first()
    if existing is not None:
        if existing.content_hash == spec.content_hash:
            return FrameworkLoad(framework=existing, created=False)
        raise _refuse(
            spec.file,
            FRAMEWORK_CHANGED.format(framework_id=spec.framework_id, version=spec.version),
        )

    framework = Framework(
        framework_id=spec.framework_id,
        version=spec.version,
        version_order=version_order(spec.version),
        name=spec.name,
        description=spec.description,
        kind=spec.kind,
        source_url=spec.source_url,
        licence=spec.licence,
        namespace=spec.namespace,
        content_hash=spec.content_hash,
        loaded_at=timezone.now(),
    )
    framework.full_clean()
    framework.save()

    # Nodes are written a depth at a time so that every parent has its key before its children.
    nodes: dict[str, Node] = {}
    for depth in sorted({node.depth for node in spec.nodes}):
        batch = []
        for node_spec in (n for n in spec.nodes if n.depth == depth):
            node = Node(
                framework=framework,
                node_id=node_spec.node_id,
                parent=nodes[node_spec.parent_id] if node_spec.parent_id else None,
                type=node_spec.type,
                code=node_spec.code,
                title=node_spec.title,
                description=node_spec.description,
                position=node_spec.position,
                depth=node_spec.depth,
                assessable=node_spec.assessable,
                scale=node_spec.scale,
            )
            _clean(node)
            batch.append(node)
        for node in Node.objects.bulk_create(batch):
            nodes[node.node_id] = node

    levels: dict[tuple[str, str], Level] = {}
    level_rows = []
    for node_spec in spec.nodes:
        for position, level_spec in enumerate(node_spec.levels):
            level = Level(
                node=nodes[node_spec.node_id],
                key=level_spec.key,
                label=level_spec.label,
                rank=level_spec.rank,
                position=position,
            )
            _clean(level)
            level_rows.append(level)
    for level in Level.objects.bulk_create(level_rows):
        levels[(level.node.node_id, level.key)] = level

    indicator_rows = []
    for node_spec in spec.nodes:
        for position, indicator_spec in enumerate(node_spec.indicators):
            indicator = Indicator(
                framework=framework,
                node=nodes[node_spec.node_id],
                level=levels[(node_spec.node_id, indicator_spec.level_key)],
                indicator_id=indicator_spec.indicator_id,
                statement=indicator_spec.statement,
                position=position,
            )
            _clean(indicator)
            indicator_rows.append(indicator)
    Indicator.objects.bulk_create(indicator_rows)

    target_count = 0
    for profile_spec in spec.profiles:
        profile = Profile(
            framework=framework,
            profile_id=profile_spec.profile_id,
            name=profile_spec.name,
            description=profile_spec.description,
            origin=Profile.Origin.FILE,
        )
        profile.full_clean(exclude=["framework"])
        profile.save()
        targets = [
            ProfileTarget(
                profile=profile,
                node=nodes[node_id],
                level=levels[(node_id, level_key)] if level_key else None,
            )
            for node_id, level_key in profile_spec.targets.items()
        ]
        target_count += len(ProfileTarget.objects.bulk_create(targets))

    counts = {
        "nodes": len(nodes),
        "assessable": sum(1 for node in spec.nodes if node.assessable),
        "levels": len(level_rows),
        "indicators": len(indicator_rows),
        "profiles": len(spec.profiles),
        "targets": target_count,
    }
    event_log(
        actor=actor,
        action="framework.load",
        summary=f"Loaded framework {framework.key}: {framework.name}",
        obj=framework,
        data={"framework": framework.framework_id, "version": framework.version, **counts},
    )
    return FrameworkLoad(framework=framework, created=True, counts=counts)


@transaction.atomic
def framework_statements_load(*, actor: Any, spec: StatementsSpec) -> StatementsLoad:
    """Add official indicator statements and node descriptions to a loaded framework version.

    Every id must exist in that version, and text can only fill what is empty (or repeat it).
    The overlay's source and licence are recorded on the framework. Loading the same overlay
    again changes nothing; a different one for a version that has statements is refused.
    Raises ReferenceDataError listing every problem; nothing is written then.
    """
    names = {"framework_id": spec.framework_id, "version": spec.version}
    framework = (
        Framework.objects.select_for_update()
        .filter(framework_id=spec.framework_id, version=spec.version)
        .first()
    )
    if framework is None:
        raise _refuse(spec.file, STATEMENTS_NO_FRAMEWORK.format(**names))
    if framework.statements_hash:
        if framework.statements_hash == spec.content_hash:
            return StatementsLoad(framework=framework, created=False)
        raise _refuse(spec.file, STATEMENTS_CHANGED.format(**names))

    indicators = {i.indicator_id: i for i in framework.indicators.all()}
    nodes = {n.node_id: n for n in framework.nodes.all()}
    problems: list[FileProblem] = []
    changed_indicators: list[Indicator] = []
    changed_nodes: list[Node] = []
    for indicator_id, (text, line) in spec.indicators.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            message = UNKNOWN_INDICATOR.format(indicator_id=indicator_id, **names)
            problems.append(FileProblem(spec.file, message, line=line, where="indicators"))
        elif indicator.statement and indicator.statement != text:
            message = TEXT_ALREADY_SET.format(item_id=indicator_id)
            problems.append(FileProblem(spec.file, message, line=line, where="indicators"))
        elif not indicator.statement:
            indicator.statement = text
            changed_indicators.append(indicator)
    for node_id, (text, line) in spec.descriptions.items():
        node = nodes.get(node_id)
        if node is None:
            message = UNKNOWN_NODE.format(node_id=node_id, **names)
            problems.append(FileProblem(spec.file, message, line=line, where="descriptions"))
        elif node.description and node.description != text:
            message = TEXT_ALREADY_SET.format(item_id=node_id)
            problems.append(FileProblem(spec.file, message, line=line, where="descriptions"))
        elif not node.description:
            node.description = text
            changed_nodes.append(node)
    if problems:
        raise ReferenceDataError(list(problems))

    Indicator.objects.bulk_update(changed_indicators, ["statement"], batch_size=500)
    Node.objects.bulk_update(changed_nodes, ["description"], batch_size=500)
    framework.statements_source_url = spec.source_url
    framework.statements_licence = spec.licence
    framework.statements_hash = spec.content_hash
    framework.statements_loaded_at = timezone.now()
    framework.full_clean()
    framework.save(
        update_fields=[
            "statements_source_url",
            "statements_licence",
            "statements_hash",
            "statements_loaded_at",
            "updated_at",
        ]
    )
    event_log(
        actor=actor,
        action="framework.statements_load",
        summary=f"Added official statements to framework {framework.key}",
        obj=framework,
        data={
            **names,
            "indicators": len(changed_indicators),
            "descriptions": len(changed_nodes),
            "licence": spec.licence,
        },
    )
    return StatementsLoad(
        framework=framework,
        created=True,
        indicators=len(changed_indicators),
        descriptions=len(changed_nodes),
    )
