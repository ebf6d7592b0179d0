"""The catalogue of what works: reusable solutions, who uses them and how they meet the TCoP.

Three traps from other catalogues shape the models: files that fail validation with no feedback
(an imported asset keeps its original publiccode.yml text and version), data silently going stale
(every asset has a "last verified" date, every TCoP tier and every adoption record lapses after a
year) and "used by" lists nobody cleans (an adoption counts only while it is confirmed).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localdigital.core.models import TimeStampedModel

# A TCoP tier, an adoption record and a "last verified" date all lapse a year after their date.
LAPSE_DAYS = 365


class Asset(TimeStampedModel):
    """A reusable solution: code, a service, a pattern, a standard, guidance or a project output."""

    class Kind(models.TextChoices):
        OPEN_SOURCE = "open_source", "Open-source software"
        SAAS = "saas", "Software as a service"
        COMPONENT = "component", "Component or design pattern"
        API = "api", "API"
        DATA_STANDARD = "data_standard", "Data standard"
        SERVICE_PATTERN = "service_pattern", "Service pattern"
        GUIDANCE = "guidance", "Guidance or playbook"
        DATASET = "dataset", "Dataset"
        PROJECT_OUTPUT = "project_output", "Project output (research, prototype)"

    class DevelopmentStatus(models.TextChoices):
        CONCEPT = "concept", "Concept"
        DEVELOPMENT = "development", "Development"
        BETA = "beta", "Beta"
        STABLE = "stable", "Stable"
        OBSOLETE = "obsolete", "Obsolete"

    class Maintenance(models.TextChoices):
        INTERNAL = "internal", "Internal"
        CONTRACT = "contract", "Contract"
        COMMUNITY = "community", "Community"
        NONE = "none", "None"

    class Source(models.TextChoices):
        HUB = "hub", "Entered on the Hub"
        PUBLICCODE = "publiccode", "Imported from publiccode.yml"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=150)
    summary = models.CharField(max_length=280)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owners = models.ManyToManyField(
        "organisations.Organisation", related_name="catalogue_assets", blank=True
    )
    # People to contact, as publiccode.yml's maintenance contacts: name, email, phone, affiliation.
    maintainers = models.JSONField(default=list, blank=True)
    licence = models.CharField("licence (SPDX)", max_length=200, blank=True, default="")
    repository_url = models.URLField(max_length=500, blank=True, default="")
    landing_url = models.URLField(max_length=500, blank=True, default="")
    documentation_url = models.URLField(max_length=500, blank=True, default="")
    development_status = models.CharField(
        max_length=20, choices=DevelopmentStatus.choices, default=DevelopmentStatus.DEVELOPMENT
    )
    maintenance = models.CharField(
        max_length=20, choices=Maintenance.choices, default=Maintenance.NONE
    )
    # Contractors for contract maintenance: name, until (ISO date), website, email.
    contractors = models.JSONField(default=list, blank=True)
    service_areas = models.ManyToManyField(
        "pipeline.ServiceArea", related_name="catalogue_assets", blank=True
    )
    tags = models.ManyToManyField("pipeline.Tag", related_name="catalogue_assets", blank=True)
    platforms = models.JSONField(default=list, blank=True)
    # Other software it needs, as publiccode.yml's dependsOn (open, proprietary, hardware).
    dependencies = models.JSONField(default=dict, blank=True)
    # UK claims in publiccode.yml's `uk.supports` (tcop, wcag-2.2, gov-uk-notify...).
    supports = models.JSONField(default=list, blank=True)
    origin = models.ForeignKey(
        "pipeline.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogue_outputs",
        help_text="The Pipeline item or funded project that produced it.",
    )
    last_verified = models.DateField(null=True, blank=True)
    # When the owners were last asked to check an entry not verified for a year.
    verify_nudged_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.HUB)
    # The publiccode.yml an import came from, kept as given, and what it added beyond our fields.
    publiccode_text = models.TextField(blank=True, default="")
    publiccode_version = models.CharField(max_length=20, blank=True, default="")
    publiccode_extra = models.JSONField(default=dict, blank=True)
    software_version = models.CharField(max_length=60, blank=True, default="")
    release_date = models.DateField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    software_type = models.CharField(max_length=40, blank=True, default="")
    # Every language's description from publiccode.yml (language -> fields), for the round trip.
    descriptions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Denormalised for sorting and the "councils like mine" filter; kept by the adoption services.
    adopter_count = models.PositiveIntegerField(default=0)
    tcop_tier = models.CharField(max_length=20, blank=True, default="", db_index=True)
    tcop_tier_until = models.DateField(null=True, blank=True)
    tcop_accredited = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository_url"],
                condition=~Q(repository_url=""),
                name="catalogue_asset_unique_repository",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "name"]),
            # The search index's version check reads MAX(updated_at).
            models.Index(fields=["updated_at"], name="catalogue_asset_updated_idx"),
            models.Index(fields=["development_status"]),
            models.Index(fields=["licence"]),
            models.Index(fields=["-adopter_count", "name"]),
            models.Index(fields=["-last_verified", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:asset", args=[self.slug])

    def verified_lapses_on(self) -> dt.date | None:
        if self.last_verified is None:
            return None
        return self.last_verified + dt.timedelta(days=LAPSE_DAYS)


class AssetRevision(TimeStampedModel):
    """One saved change to an asset: who changed which fields, old and new values."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=200)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]


class AssetDocument(models.Model):
    """An asset's matching features (the Pipeline's analyser), rebuilt whenever it is saved."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, related_name="document")
    terms = models.JSONField(default=dict)
    analyser_version = models.PositiveSmallIntegerField(default=0)
    built_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Matching features of asset {self.asset_id}"


class ItemAssetLink(TimeStampedModel):
    """A Pipeline item says it reuses or produces a catalogue asset."""

    class Relation(models.TextChoices):
        REUSES = "reuses", "Reuses"
        PRODUCES = "produces", "Produces"

    item = models.ForeignKey("pipeline.Item", on_delete=models.CASCADE, related_name="asset_links")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="item_links")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "asset", "relation"], name="catalogue_item_asset_link_unique"
            )
        ]


class Adoption(TimeStampedModel):
    """An organisation explores, pilots, uses or has stopped using an asset.

    A record counts in "used by" only while confirmed: it lapses a year after `confirmed_on`
    unless someone from the organisation confirms it again."""

    class Status(models.TextChoices):
        EXPLORING = "exploring", "Exploring"
        PILOTING = "piloting", "Piloting"
        USING = "using", "Using"
        STOPPED = "stopped", "Stopped using"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="adoptions"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    outcomes = models.TextField(blank=True, default="")
    annual_saving = models.PositiveIntegerField(
        "estimated annual saving (£)", null=True, blank=True
    )
    confirmed_on = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nudged_on = models.DateField(null=True, blank=True)
    # An adopter's rating (1 to 5) and account of what worked; only adopters may leave them.
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    review = models.TextField(blank=True, default="")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "organisation"], name="catalogue_adoption_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="catalogue_adoption_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["asset", "confirmed_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_status_display().lower()} {self.asset}"

    def lapses_on(self) -> dt.date:
        return self.confirmed_on + dt.timedelta(days=LAPSE_DAYS)

    def is_current(self, today: dt.date) -> bool:
        return self.lapses_on() >= today


class TcopProfile(TimeStampedModel):
    """One version of an asset's Technology Code of Practice profile: a claim per point.

    Tiers: self-declared when the owner submits it; peer-reviewed when a reviewer from another
    organisation has confirmed or challenged every point; assured when programme staff sign it
    off. Each tier lapses 12 months after its date. A new profile never changes an old one."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        DECLARED = "declared", "Self-declared"
        REVIEWED = "reviewed", "Peer-reviewed"
        ASSURED = "assured", "Assured"
        SUPERSEDED = "superseded", "Superseded"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="tcop_profiles")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assured_at = models.DateTimeField(null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assurance_comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["asset", "state"])]

    def __str__(self) -> str:
        return f"TCoP profile of {self.asset} ({self.get_state_display().lower()})"


class TcopClaim(models.Model):
    """The owner's claim against one TCoP point, with its evidence, and the peer review of it."""

    class Review(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CHALLENGED = "challenged", "Challenged"

    profile = models.ForeignKey(TcopProfile, on_delete=models.CASCADE, related_name="claims")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        "frameworks.Level", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True, default="")
    links = models.JSONField(default=list, blank=True)
    review = models.CharField(max_length=20, choices=Review.choices, blank=True, default="")
    review_comment = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "node"], name="catalogue_tcop_claim_unique")
        ]

    def __str__(self) -> str:
        return f"Claim on {self.node_id} in profile {self.profile_id}"
