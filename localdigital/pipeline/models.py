"""The Pipeline: projects, ideas and problems that councils share to find partners.

LocalGov Digital's Pipeline (2014-2020) faded because items were "added and forgotten about" and
interest went unanswered. Here every item carries a review-by date, every expression of interest
has a state both sides can see, and every change is kept as a revision.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from localdigital.core.models import TimeStampedModel


class ServiceArea(models.Model):
    """A council service area (reference data, loaded from data/service_areas.yaml)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free tag on items (lower-case slug plus the text people typed first)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Item(TimeStampedModel):
    """A project, idea or problem, led by one organisation."""

    class Kind(models.TextChoices):
        PROJECT = "project", "Project"
        IDEA = "idea", "Idea"
        PROBLEM = "problem", "Problem"

    class Phase(models.TextChoices):
        CONCEPT = "concept", "Concept"
        DISCOVERY = "discovery", "Discovery"
        ALPHA = "alpha", "Alpha"
        BETA = "beta", "Beta"
        LIVE = "live", "Live"
        DECOMMISSIONED = "decommissioned", "Decommissioned"

    class CollaborationLevel(models.TextChoices):
        SHARE_IDEAS = "share_ideas", "Share ideas"
        OPEN_TO_CONVERSATION = "open_to_conversation", "Open to conversation"
        SEEKING_PARTNERS = "seeking_partners", "Seeking partners"
        SHARE_FUNDING = "share_funding", "Share funding"

    class BudgetBand(models.TextChoices):
        UNKNOWN = "unknown", "Not known"
        UP_TO_50K = "0-50k", "Up to £50,000"
        FROM_50K = "50k-100k", "£50,000 to £100,000"
        FROM_100K = "100k-250k", "£100,000 to £250,000"
        FROM_250K = "250k-500k", "£250,000 to £500,000"
        FROM_500K = "500k-1m", "£500,000 to £1 million"
        OVER_1M = "over-1m", "Over £1 million"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can see it"
        MEMBERS = "members", "Signed-in sector members only"
        DRAFT = "draft", "Draft: only your organisation can see it"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    class Source(models.TextChoices):
        HUB = "hub", "Added on the Hub"
        IMPORTED = "imported", "Imported from a file"
        FUND = "fund", "Local Digital Fund project"

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=280)
    description = models.TextField(blank=True, default="", help_text="Markdown")
    problem = models.TextField("the problem", blank=True, default="", help_text="Markdown")
    user_needs = models.TextField("users' needs", blank=True, default="", help_text="Markdown")
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.CONCEPT)
    collaboration_level = models.CharField(
        max_length=30,
        choices=CollaborationLevel.choices,
        default=CollaborationLevel.OPEN_TO_CONVERSATION,
    )
    budget_band = models.CharField(
        max_length=20, choices=BudgetBand.choices, default=BudgetBand.UNKNOWN
    )
    funding_source = models.CharField(max_length=200, blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField("estimated end date", null=True, blank=True)
    next_assessment_date = models.DateField("next service assessment", null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pipeline_items"
    )
    key_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pipeline_contact_for",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        through="Partnership",
        related_name="pipeline_partner_items",
        blank=True,
    )
    repository_url = models.URLField("code repository", max_length=500, blank=True, default="")
    blog_url = models.URLField("blog", max_length=500, blank=True, default="")
    sprint_notes_url = models.URLField("sprint notes", max_length=500, blank=True, default="")
    # Fields people from accepted partner organisations may change (the owner chooses).
    partner_editable_fields = models.JSONField(default=list, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.HUB)
    # Stable key of the import row this item came from (for idempotent re-imports).
    source_key = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pipeline_items_created",
    )
    # Freshness: the last edit, status update or "still current" confirmation sets both.
    last_activity_at = models.DateTimeField()
    last_reviewed_at = models.DateTimeField()
    review_by = models.DateField()
    review_nudged_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_reason = models.CharField(max_length=200, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    # Lower-cased title, summary, tags and organisation: the fallback text search reads it.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "visibility", "-last_activity_at"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["phase"]),
            models.Index(fields=["collaboration_level"]),
            models.Index(fields=["budget_band"]),
            models.Index(fields=["service_area"]),
            models.Index(fields=["review_by"]),
            models.Index(fields=["-published_at"]),
            models.Index(fields=["source", "source_key"]),
            # The matching index's version check reads MAX(updated_at).
            models.Index(fields=["updated_at"], name="pipeline_item_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="pipeline_item_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="active", archived_at__isnull=True)
                | Q(status="archived", archived_at__isnull=False),
                name="pipeline_item_archived_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:item_detail", args=[self.slug])

    @property
    def is_draft(self) -> bool:
        return self.visibility == self.Visibility.DRAFT

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class Partnership(TimeStampedModel):
    """A confirmed partner organisation of an item. Its active members are collaborators."""

    class Source(models.TextChoices):
        INTEREST = "interest", "Accepted an expression of interest"
        OWNER = "owner", "Added by the owner"
        IMPORTED = "imported", "Imported"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pipeline_partnerships"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OWNER)
    interest = models.ForeignKey(
        "Interest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="unique_item_partner")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.item}"


class Revision(models.Model):
    """One saved change to an item: who changed which fields, when, with old and new values.

    `changes` maps a field name to {"label", "old", "new"} with values as display text, so the
    history reads the same after a choice label or organisation name changes.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation the person acted for.",
    )
    created_at = models.DateTimeField()
    changes = models.JSONField(default=dict)
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_item_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.item} revision {self.number}"


class StatusUpdate(TimeStampedModel):
    """A "report once" update: shown on the item, sent to watchers and partners, in the feeds
    and on the organisation's portfolio."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pipeline_updates"
    )
    title = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown")
    phase = models.CharField(
        "phase after this update", max_length=20, choices=Item.Phase.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["item", "-created_at"]),
            models.Index(fields=["-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Watch(models.Model):
    """A person who asked to hear about an item's updates."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pipeline_watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="unique_pipeline_watch")
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.item}"


class Interest(TimeStampedModel):
    """An organisation's expression of interest in another organisation's item.

    Open until the owner accepts or declines (a reply keeps it open but counts as an answer).
    Unanswered interest is escalated: reminded after 10 working days, owner's admins told after 20.
    """

    class Kind(models.TextChoices):
        SAME_PROBLEM = "same_problem", "We have this problem too"
        REUSE = "reuse", "We want to reuse this"
        CONTRIBUTE = "contribute", "We can contribute"
        TALK = "talk", "We’d like to talk"

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting a response"
        REPLIED = "replied", "Replied"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pipeline_interests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pipeline_interests",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    first_response_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(blank=True, default="")
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["item", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "first_response_at", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organisation"],
                condition=Q(status__in=["open", "replied"]),
                name="one_pending_interest_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_interest_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} ({self.item})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.REPLIED)


class InterestMessage(TimeStampedModel):
    """A message in the conversation about an expression of interest (a reply by either side)."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_owner = models.BooleanField()
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message on {self.interest}"


class SavedSearch(TimeStampedModel):
    """A person's saved Pipeline search; new matching items are emailed to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pipeline_saved_searches"
    )
    name = models.CharField(max_length=100)
    # The normalised query string of the search (the same parameters as /pipeline/).
    query = models.CharField(max_length=1000)
    email = models.BooleanField(default=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "query"], name="unique_saved_search_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearchHit(models.Model):
    """An item a saved search has already told its owner about (so nobody is told twice)."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "item"], name="unique_saved_search_hit")
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} found {self.item}"


class MatchDocument(models.Model):
    """An item's matching features: weighted terms from its text, expanded through the
    sector thesaurus. Rebuilt by a background task whenever the item changes."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="match_document")
    terms = models.JSONField(default=dict)
    built_at = models.DateTimeField(db_index=True)
    analyser_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Features of {self.item}"


class Match(models.Model):
    """A stored "similar work" result: `other` is similar to `item`, with a score and reasons."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    # A list of short reasons, e.g. ["shared terms: EHCP, SEND", "same service area"].
    why = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["item", "other"], name="unique_pipeline_match"),
            models.CheckConstraint(condition=~Q(item=F("other")), name="match_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.other} is like {self.item}"


class MatchNotice(models.Model):
    """Two items' owners were told their items closely match (once per pair; low id first)."""

    first = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_match_notice"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="match_notice_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first} and {self.second} match"
