"""Writes for frameworks: loading a checked framework file, and adding official statements.

A framework version is written once and never changed in place. Loading the same content again
changes nothing; loading different content under the same id and version is refused, because
assessments already point at what was loaded. Statements overlays only fill text that the
framework file left empty, once per version.

Crosswalks (how one version's nodes relate to another's) are loaded the same way, once.

Profiles defined in the Hub by programme staff are written by `profile_create` and
`profile_update` with `Profile.Origin.HUB`; profiles from the file stay as loaded.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.core.access import is_programme_staff
from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader import (
    NOT_REQUIRED,
    CrosswalkSpec,
    FileProblem,
    FrameworkSpec,
    StatementsSpec,
    version_order,
)
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
                answer=node_spec.answer,
                informs=list(node_spec.informs),
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


# Crosswalks

CROSSWALK_NO_FRAMEWORK = (
    "{framework_id} {version} is not loaded: load both framework versions before their crosswalk"
)
CROSSWALK_CHANGED = (
    "The crosswalk {crosswalk_id} is already loaded with different content: crosswalks never "
    "change once loaded"
)
CROSSWALK_UNKNOWN = "There is no assessable node {node_id} in {framework_id} {version}"
CROSSWALK_NO_ROW = "{node_id} has no row: give every node of {framework_id} {version} a row"
CROSSWALK_NOT_COVERED = (
    "{node_id} is neither the source of a row nor under removed: say what became of it"
)
CROSSWALK_MIXED = "{node_id} has rows with different changes ({changes}): give it one change"
CROSSWALK_REPEATED = "{node_id} is named twice in the same way (first on line {first})"


@dataclass
class CrosswalkLoad:
    """What loading one crosswalk file did."""

    crosswalk: Crosswalk
    created: bool
    rows: int = 0

    def summary(self) -> str:
        if not self.created:
            return f"Crosswalk {self.crosswalk.crosswalk_id} is already loaded: unchanged."
        return f"Loaded crosswalk {self.crosswalk.crosswalk_id}: {self.rows} rows."


@transaction.atomic
def crosswalk_load(*, actor: Any, spec: CrosswalkSpec) -> CrosswalkLoad:
    """Load a checked crosswalk between two loaded framework versions, or recognise it.

    Every id must be an assessable node of its version, every node of the newer version needs a
    row, and every node of the older one must be a source or removed. Raises ReferenceDataError
    listing every problem; nothing is written then. A loaded crosswalk never changes.
    """
    ends = []
    for framework_id, version in (
        (spec.from_framework, spec.from_version),
        (spec.to_framework, spec.to_version),
    ):
        framework = Framework.objects.filter(framework_id=framework_id, version=version).first()
        if framework is None:
            raise _refuse(
                spec.file,
                CROSSWALK_NO_FRAMEWORK.format(framework_id=framework_id, version=version),
            )
        ends.append(framework)
    from_framework, to_framework = ends
    existing = Crosswalk.objects.filter(crosswalk_id=spec.crosswalk_id).first()
    if existing is None:
        existing = Crosswalk.objects.filter(
            from_framework=from_framework, to_framework=to_framework
        ).first()
    if existing is not None:
        if existing.content_hash == spec.content_hash:
            return CrosswalkLoad(crosswalk=existing, created=False)
        raise _refuse(spec.file, CROSSWALK_CHANGED.format(crosswalk_id=existing.crosswalk_id))

    from_nodes = {n.node_id: n for n in from_framework.nodes.filter(assessable=True)}
    to_nodes = {n.node_id: n for n in to_framework.nodes.filter(assessable=True)}
    problems: list[FileProblem] = []
    changes: dict[str, dict[str, int | None]] = {}
    seen: dict[tuple[str | None, str | None], int | None] = {}
    for row in spec.rows:
        for node_id, nodes, framework in (
            (row.from_id, from_nodes, from_framework),
            (row.to_id, to_nodes, to_framework),
        ):
            if node_id is not None and node_id not in nodes:
                message = CROSSWALK_UNKNOWN.format(
                    node_id=node_id, framework_id=framework.framework_id, version=framework.version
                )
                problems.append(FileProblem(spec.file, message, line=row.line))
        pair = (row.from_id, row.to_id)
        if pair in seen:
            named = row.to_id or row.from_id
            message = CROSSWALK_REPEATED.format(node_id=named, first=seen[pair])
            problems.append(FileProblem(spec.file, message, line=row.line))
        seen[pair] = row.line
        if row.to_id is not None:
            changes.setdefault(row.to_id, {}).setdefault(row.change, row.line)
    for node_id, kinds in changes.items():
        if len(kinds) > 1:
            message = CROSSWALK_MIXED.format(node_id=node_id, changes=", ".join(kinds))
            problems.append(
                FileProblem(spec.file, message, line=max(n or 0 for n in kinds.values()))
            )
    targets = {row.to_id for row in spec.rows}
    sources = {row.from_id for row in spec.rows}
    names = {"framework_id": to_framework.framework_id, "version": to_framework.version}
    for node_id in to_nodes:
        if node_id not in targets:
            problems.append(
                FileProblem(spec.file, CROSSWALK_NO_ROW.format(node_id=node_id, **names))
            )
    for node_id in from_nodes:
        if node_id not in sources:
            problems.append(FileProblem(spec.file, CROSSWALK_NOT_COVERED.format(node_id=node_id)))
    if problems:
        raise ReferenceDataError(list(problems))

    crosswalk = Crosswalk(
        crosswalk_id=spec.crosswalk_id,
        from_framework=from_framework,
        to_framework=to_framework,
        name=spec.name,
        description=spec.description,
        source_url=spec.source_url,
        licence=spec.licence,
        content_hash=spec.content_hash,
        loaded_at=timezone.now(),
    )
    crosswalk.full_clean(validate_constraints=False)
    crosswalk.save()
    rows = CrosswalkRow.objects.bulk_create(
        CrosswalkRow(
            crosswalk=crosswalk,
            from_node=from_nodes[row.from_id] if row.from_id else None,
            to_node=to_nodes[row.to_id] if row.to_id else None,
            change=row.change,
            note=row.note,
            position=position,
        )
        for position, row in enumerate(spec.rows)
    )
    event_log(
        actor=actor,
        action="framework.crosswalk_load",
        summary=f"Loaded crosswalk {crosswalk.crosswalk_id}",
        obj=crosswalk,
        data={"crosswalk": crosswalk.crosswalk_id, "rows": len(rows)},
    )
    return CrosswalkLoad(crosswalk=crosswalk, created=True, rows=len(rows))


# Profiles defined in the Hub

PROFILE_STAFF_ONLY = "Only programme staff can define target profiles."
PROFILE_FROM_FILE = (
    "This profile is part of the framework file and cannot be changed; create a new profile "
    "instead."
)
PROFILE_NAME_REQUIRED = "Enter a name for the profile"
PROFILE_NAME_TAKEN = "There is already a profile called {name} for this framework"
PROFILE_LEVEL_UNKNOWN = "Choose a level from the scale of {code} {title}, or not required"
PROFILE_TARGET_MISSING = "Choose a target for {code} {title}"
PROFILE_NODE_UNKNOWN = "{node_id} is not a node of this framework that takes a target"


def _profile_targets(
    framework: Framework, targets: dict[str, str | None]
) -> tuple[list[tuple[Node, Level | None]], dict[str, str]]:
    """Check a target (a level key, or None / "not-required") for every node answered with a
    level. Returns the pairs to write and the errors keyed by node id."""
    nodes = list(
        framework.nodes.filter(assessable=True, answer=Node.Answer.LEVEL)
        .order_by("position")
        .prefetch_related("levels")
    )
    by_id = {node.node_id: node for node in nodes}
    errors: dict[str, str] = {}
    for node_id in targets:
        if node_id not in by_id:
            errors[node_id] = PROFILE_NODE_UNKNOWN.format(node_id=node_id)
    pairs: list[tuple[Node, Level | None]] = []
    for node in nodes:
        names = {"code": node.code or node.node_id, "title": node.title}
        if node.node_id not in targets:
            errors[node.node_id] = PROFILE_TARGET_MISSING.format(**names)
            continue
        key = targets[node.node_id]
        if key in (None, "", NOT_REQUIRED):
            pairs.append((node, None))
            continue
        level = next(
            (lv for lv in node.levels.all() if lv.key == key and lv.rank is not None), None
        )
        if level is None:
            errors[node.node_id] = PROFILE_LEVEL_UNKNOWN.format(**names)
            continue
        pairs.append((node, level))
    return pairs, errors


def _check_profile_actor(actor: Any) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(PROFILE_STAFF_ONLY)


def _profile_summary(profile: Profile, pairs: list[tuple[Node, Level | None]]) -> dict:
    return {
        "framework": profile.framework.key,
        "profile": profile.profile_id,
        "targets": {node.node_id: (level.key if level else NOT_REQUIRED) for node, level in pairs},
    }


@transaction.atomic
def profile_create(
    *,
    actor: Any,
    framework: Framework,
    name: str,
    description: str = "",
    targets: dict[str, str | None],
) -> Profile:
    """A target profile defined in the Hub by programme staff: a target for every node of the
    framework answered with a level, chosen from that node's ranked levels or None for "not
    required". Raises PermissionDenied for anyone else and ValidationError (errors keyed by
    `name` or node id) for bad input; nothing is written then."""
    _check_profile_actor(actor)
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = PROFILE_NAME_REQUIRED
    elif framework.profiles.filter(name__iexact=name).exists():
        errors["name"] = PROFILE_NAME_TAKEN.format(name=name)
    pairs, target_errors = _profile_targets(framework, targets)
    errors.update(target_errors)
    if errors:
        raise ValidationError(errors)
    base = slugify(name)[:50] or "profile"
    profile_id, n = base, 1
    taken = set(framework.profiles.values_list("profile_id", flat=True))
    while profile_id in taken:
        n += 1
        profile_id = f"{base}-{n}"
    profile = Profile(
        framework=framework,
        profile_id=profile_id,
        name=name,
        description=(description or "").strip(),
        origin=Profile.Origin.HUB,
    )
    profile.full_clean(exclude=["framework"])
    profile.save()
    ProfileTarget.objects.bulk_create(
        ProfileTarget(profile=profile, node=node, level=level) for node, level in pairs
    )
    event_log(
        actor=actor,
        action="framework.profile_create",
        summary=f"Created target profile {profile.name} for {framework.name}",
        obj=profile,
        data=_profile_summary(profile, pairs),
    )
    return profile


@transaction.atomic
def profile_update(
    *,
    actor: Any,
    profile: Profile,
    name: str,
    description: str = "",
    targets: dict[str, str | None],
) -> Profile:
    """Change a profile defined in the Hub: its name, description and every target (as for
    `profile_create`). A profile from the framework file cannot be changed (PermissionDenied)."""
    _check_profile_actor(actor)
    profile = Profile.objects.select_for_update().select_related("framework").get(pk=profile.pk)
    if profile.origin != Profile.Origin.HUB:
        raise PermissionDenied(PROFILE_FROM_FILE)
    framework = profile.framework
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = PROFILE_NAME_REQUIRED
    elif framework.profiles.filter(name__iexact=name).exclude(pk=profile.pk).exists():
        errors["name"] = PROFILE_NAME_TAKEN.format(name=name)
    pairs, target_errors = _profile_targets(framework, targets)
    errors.update(target_errors)
    if errors:
        raise ValidationError(errors)
    before = {t.node_id: t.level_id for t in profile.targets.all()}
    profile.name = name
    profile.description = (description or "").strip()
    profile.full_clean(exclude=["framework"])
    profile.save(update_fields=["name", "description", "updated_at"])
    changed = [
        node.node_id
        for node, level in pairs
        if before.get(node.pk) != (level.pk if level else None)
    ]
    profile.targets.all().delete()
    ProfileTarget.objects.bulk_create(
        ProfileTarget(profile=profile, node=node, level=level) for node, level in pairs
    )
    event_log(
        actor=actor,
        action="framework.profile_update",
        summary=f"Changed target profile {profile.name} for {framework.name}",
        obj=profile,
        data={**_profile_summary(profile, pairs), "changed": changed},
    )
    return profile
