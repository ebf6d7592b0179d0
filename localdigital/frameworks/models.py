"""Frameworks as versioned reference data: a tree of nodes, per-node level scales, indicators
grouped by level, and target profiles.

A framework version is loaded once from a YAML file (see docs/frameworks.md) and is never changed
in place afterwards: assessments point at its nodes and levels, so what they answered must stay
what it was. A changed file is loaded as a new version, which is a new `Framework` row. The one
later addition allowed is official text: a statements overlay fills indicator statements and node
descriptions that the structure file left empty, once.
"""

from django.db import models
from django.db.models import Q

from localdigital.core.models import TimeStampedModel


class Framework(TimeStampedModel):
    """One version of a framework, such as the Technology Code of Practice 2025 or CAF 3.2."""

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard"
        ASSESSMENT = "assessment", "Assessment framework"
        QUESTIONNAIRE = "questionnaire", "Questionnaire"

    framework_id = models.SlugField(max_length=60, help_text="Stable id, like tcop or caf.")
    version = models.CharField(max_length=40)
    # The version with each run of digits zero-padded, so "3.10" sorts after "3.9" in the
    # database and "latest" needs no version parsing at read time.
    version_order = models.CharField(max_length=200, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_url = models.URLField(max_length=500)
    licence = models.CharField(max_length=200)
    namespace = models.CharField(
        max_length=60, help_text="The prefix of every node and indicator id, like caf-3.2."
    )
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the file's parsed content, to recognise a reload."
    )
    loaded_at = models.DateTimeField()
    statements_source_url = models.URLField(max_length=500, blank=True, default="")
    statements_licence = models.CharField(max_length=200, blank=True, default="")
    statements_hash = models.CharField(max_length=64, blank=True, default="")
    statements_loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework_id", "-version_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "version"], name="frameworks_framework_unique_version"
            ),
            models.CheckConstraint(
                condition=~Q(framework_id="") & ~Q(version="") & ~Q(namespace=""),
                name="frameworks_framework_ids_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["standard", "assessment", "questionnaire"]),
                name="frameworks_framework_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(statements_hash="", statements_loaded_at__isnull=True)
                | (~Q(statements_hash="") & Q(statements_loaded_at__isnull=False)),
                name="frameworks_framework_statements_recorded_together",
            ),
        ]
        indexes = [
            models.Index(fields=["framework_id", "-version_order"]),
            models.Index(fields=["kind", "framework_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def key(self) -> str:
        """The id and version together, like `tcop@2025`: how other records name a version."""
        return f"{self.framework_id}@{self.version}"


class Node(models.Model):
    """One node of a framework's tree: an objective, principle, outcome, point or question."""

    class Answer(models.TextChoices):
        LEVEL = "level", "A level of its scale"
        DATE = "date", "A date"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    node_id = models.CharField(max_length=100, help_text="Stable id, like caf-3.2:B5.c.")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    type = models.CharField(max_length=40, help_text="Like objective, principle, outcome, point.")
    code = models.CharField(max_length=40, blank=True, default="")
    title = models.CharField(max_length=300)
    description = models.TextField(
        blank=True, default="", help_text="What the node asks for: what good looks like."
    )
    # Depth-first order across the whole framework, so ordering by it reads like the document.
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    assessable = models.BooleanField(default=False)
    scale = models.CharField(
        max_length=40, blank=True, default="", help_text="Named scale it uses; empty if inline."
    )
    # How an assessable node is answered: a level of its scale, or (for questionnaires) a date,
    # which has no levels and no profile target.
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.LEVEL)
    informs = models.JSONField(
        default=list,
        blank=True,
        help_text="Nodes of other frameworks this one informs, as framework id and code, like "
        "caf:B5.c (any version that has that code).",
    )

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "node_id"], name="frameworks_node_unique_id"
            ),
            models.UniqueConstraint(
                fields=["framework", "position"], name="frameworks_node_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(node_id="") & ~Q(title="") & ~Q(type=""),
                name="frameworks_node_id_title_type_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(depth=0, parent__isnull=True) | Q(depth__gt=0, parent__isnull=False),
                name="frameworks_node_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(assessable=True) | Q(scale=""),
                name="frameworks_node_scale_only_if_assessable",
            ),
            models.CheckConstraint(
                condition=Q(answer="level") | Q(answer="date", assessable=True, scale=""),
                name="frameworks_node_answer_valid",
            ),
        ]
        indexes = [models.Index(fields=["framework", "assessable", "position"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class Level(models.Model):
    """One level of an assessable node's scale. Scales differ node to node (some CAF outcomes
    have no "partially achieved"), so each node has its own rows.

    `rank` orders achievement (higher is better) and is null for a level outside that order,
    such as "not applicable"; only ranked levels can be profile targets.
    """

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=40, help_text="Like achieved or partly-meets.")
    label = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["node", "position"]
        constraints = [
            models.UniqueConstraint(fields=["node", "key"], name="frameworks_level_unique_key"),
            models.UniqueConstraint(
                fields=["node", "position"], name="frameworks_level_unique_position"
            ),
            models.UniqueConstraint(
                fields=["node", "rank"],
                condition=Q(rank__isnull=False),
                name="frameworks_level_unique_rank",
            ),
            models.CheckConstraint(
                # `not-required` is the profile target that names no level.
                condition=~Q(key="") & ~Q(key="not-required") & ~Q(label=""),
                name="frameworks_level_key_label_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    """An indicator (for CAF, an indicator of good practice) under one level of one node.

    `framework` repeats the node's framework so that indicator ids can be unique per framework
    version in the database. The level always belongs to the same node; the loader sees to it.
    The statement may be empty when only the id is known until a statements overlay fills it.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="indicators")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="indicators")
    indicator_id = models.CharField(max_length=120, help_text="Stable id, like caf-3.2:B5.c.A1.")
    statement = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["node", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "indicator_id"], name="frameworks_indicator_unique_id"
            ),
            models.UniqueConstraint(
                fields=["node", "position"], name="frameworks_indicator_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(indicator_id=""), name="frameworks_indicator_id_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["level", "position"])]

    def __str__(self) -> str:
        return self.indicator_id


class Profile(TimeStampedModel):
    """A target profile: the level each assessable node should reach, or "not required"."""

    class Origin(models.TextChoices):
        FILE = "file", "Loaded from the framework file"
        HUB = "hub", "Defined in the Hub"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="profiles")
    profile_id = models.SlugField(max_length=60, help_text="Like baseline or enhanced.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    # Profiles from the file are part of the immutable version; later ones made in the Hub by
    # programme staff are the only ones that may change.
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FILE)

    class Meta:
        ordering = ["framework", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "profile_id"], name="frameworks_profile_unique_id"
            ),
            models.CheckConstraint(
                condition=~Q(profile_id="") & ~Q(name=""), name="frameworks_profile_id_name_set"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["file", "hub"]), name="frameworks_profile_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProfileTarget(models.Model):
    """A profile's target for one assessable node. No level means "not required"."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="targets")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="profile_targets")
    level = models.ForeignKey(
        Level, on_delete=models.CASCADE, null=True, blank=True, related_name="profile_targets"
    )

    class Meta:
        ordering = ["profile", "node__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "node"], name="frameworks_target_unique_node"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node.node_id}: {self.level.key if self.level else 'not required'}"

    @property
    def required(self) -> bool:
        return self.level_id is not None


class Crosswalk(TimeStampedModel):
    """How the assessable nodes of one framework version relate to those of another, such as
    CAF 3.2 to CAF 4.0: used to carry answers forward when a cycle moves to the newer version.

    Loaded from a file like a framework version and, like it, never changed in place.
    """

    crosswalk_id = models.CharField(max_length=60, help_text="Stable id, like caf-3.2-4.0.")
    from_framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="crosswalks_from"
    )
    to_framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="crosswalks_to"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    source_url = models.URLField(max_length=500)
    licence = models.CharField(max_length=200)
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["crosswalk_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_framework", "to_framework"], name="frameworks_crosswalk_unique_pair"
            ),
            models.UniqueConstraint(fields=["crosswalk_id"], name="frameworks_crosswalk_unique_id"),
            models.CheckConstraint(
                condition=~Q(from_framework=models.F("to_framework")),
                name="frameworks_crosswalk_two_versions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CrosswalkRow(models.Model):
    """One link of a crosswalk: a node of the newer version and one node it comes from.

    A node made from several older nodes (`replaced`) has a row per source; a `new` node has one
    row with no source, and a `removed` older node one row with no successor.
    """

    class Change(models.TextChoices):
        SAME = "same", "Same"
        RENAMED = "renamed", "Renamed"
        RENUMBERED = "renumbered", "Renumbered"
        REPLACED = "replaced", "Replaces older outcomes"
        NEW = "new", "New"
        REMOVED = "removed", "Removed"

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="rows")
    from_node = models.ForeignKey(
        Node, on_delete=models.CASCADE, null=True, blank=True, related_name="crosswalk_successors"
    )
    to_node = models.ForeignKey(
        Node, on_delete=models.CASCADE, null=True, blank=True, related_name="crosswalk_sources"
    )
    change = models.CharField(max_length=20, choices=Change.choices)
    note = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["crosswalk", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "position"], name="frameworks_crosswalkrow_unique_position"
            ),
            models.CheckConstraint(
                condition=(
                    Q(change="new", from_node__isnull=True, to_node__isnull=False)
                    | Q(change="removed", from_node__isnull=False, to_node__isnull=True)
                    | Q(
                        change__in=["same", "renamed", "renumbered", "replaced"],
                        from_node__isnull=False,
                        to_node__isnull=False,
                    )
                ),
                name="frameworks_crosswalkrow_change_matches_nodes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change}: {self.from_node_id} -> {self.to_node_id}"
