"""The Local Digital Declaration: its principles, who signed it, and their yearly commitments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from localdigital.core.models import TimeStampedModel


class Principle(models.Model):
    """One of the Declaration's five principles (reference data, loaded from data/)."""

    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    explanation = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Signing(TimeStampedModel):
    """An organisation's signature of the Declaration.

    Rows are never deleted: withdrawing closes a signing, and signing again opens a new one, so
    the full history stays. At most one signing per organisation is active at a time.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Signed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Method(models.TextChoices):
        ONLINE = "online", "Signed on the Hub"
        OFFLINE = "offline", "Signed offline, recorded by the programme team"
        IMPORTED = "imported", "Known from public evidence"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"
        UNKNOWN = "unknown", "Not known"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="declaration_signings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ONLINE)
    # Imported signatories are sometimes known only to have signed by a certain month (or not
    # at all, when the evidence is their Fund participation): precision says how much we know.
    signed_on = models.DateField(null=True, blank=True)
    signed_on_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    senior_officer_name = models.CharField(max_length=150, blank=True, default="")
    senior_officer_role = models.CharField(max_length=150, blank=True, default="")
    political_lead_name = models.CharField(max_length=150, blank=True, default="")
    political_lead_role = models.CharField(max_length=150, blank=True, default="")
    principles_agreed = models.ManyToManyField(Principle, blank=True, related_name="signings")
    statement = models.TextField(blank=True, default="")
    evidence = models.CharField(max_length=500, blank=True, default="")
    source_url = models.CharField(max_length=500, blank=True, default="")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaration_signings",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaration_withdrawals",
    )
    withdrawal_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-signed_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="active"),
                name="one_active_signing_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status="active", withdrawn_on__isnull=True)
                | Q(status="withdrawn", withdrawn_on__isnull=False),
                name="signing_withdrawn_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=False) | Q(signed_on_precision="unknown"),
                name="signing_date_known_unless_unknown",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "signed_on"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Commitment(TimeStampedModel):
    """A signatory's yearly commitment (its "declaration project")."""

    class Progress(models.TextChoices):
        NOT_REPORTED = "", "Not reported yet"
        DONE = "done", "Done"
        PARTLY_DONE = "partly_done", "Partly done"
        NOT_DONE = "not_done", "Not done"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="declaration_commitments",
    )
    signing = models.ForeignKey(
        Signing, on_delete=models.PROTECT, related_name="commitments", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(help_text="The year the commitment starts.")
    title = models.CharField(max_length=200)
    mission = models.TextField(help_text="What will be delivered within a year.")
    impact = models.TextField(help_text="Who benefits, and how.")
    principles = models.ManyToManyField(Principle, blank=True, related_name="commitments")
    progress_due_on = models.DateField(help_text="When the year-end progress report is due.")
    progress = models.CharField(
        max_length=12, choices=Progress.choices, blank=True, default=Progress.NOT_REPORTED
    )
    progress_note = models.TextField(blank=True, default="")
    progress_reported_at = models.DateTimeField(null=True, blank=True)
    progress_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaration_progress_reports",
    )
    last_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaration_commitments",
    )

    class Meta:
        ordering = ["-year", "title"]
        indexes = [
            models.Index(fields=["organisation", "-year"]),
            models.Index(fields=["progress", "progress_due_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class CommitmentPartner(TimeStampedModel):
    """An organisation named as a partner in a commitment. It confirms or declines being named."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="declaration_partnerships",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"], name="unique_commitment_partner"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.commitment}"
