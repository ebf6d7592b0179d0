"""Cyber health: the Cyber Assessment Framework (CAF) for local government.

Each council runs a yearly cycle on one framework version and target profile: one organisation
assessment (objectives A and D) and one per critical system (B and C), each outcome answered
with indicators, a suggested judgement from the rules and a confirmed judgement. Gaps against
the profile become Improvement and Implementation Plan actions. An assessment goes from draft
through internal review, approval and submission to independent assurance. Everything here is
confidential to the council's people with a cyber role, its assurer and programme staff.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from localdigital.core.models import TimeStampedModel


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files that never sit under a public address: they are served only by views that check
    access. The folder is the HUB_PRIVATE_MEDIA_ROOT setting, read each time it is used."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.HUB_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public address")


private_storage = PrivateStorage()


class CyberRole(TimeStampedModel):
    """A person's cyber role at a council. Assurers are assigned per cycle, not here."""

    class Role(models.TextChoices):
        LEAD = "lead", "CAF lead"
        CONTRIBUTOR = "contributor", "Contributor"
        APPROVER = "approver", "Internal approver"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="cyber_roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cyber_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "role"], name="cyber_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} of {self.organisation}"


class Cycle(TimeStampedModel):
    """A council's yearly CAF cycle: `year` 2026 is the 2026/27 cycle."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="cyber_cycles"
    )
    year = models.PositiveSmallIntegerField()
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="cyber_cycles"
    )
    profile = models.ForeignKey(
        "frameworks.Profile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cyber_cycles",
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles"
    )
    # The independent assurer, assigned by programme staff; never from the same council.
    assurer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cyber_assurances",
    )
    assurer_assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="cyber_cycle_per_year")
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="cyber_cycle_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}/{(self.year + 1) % 100:02d}"


class Assessment(TimeStampedModel):
    """One self-assessment in a cycle: the organisation (A and D) or a critical system (B, C)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        SYSTEM = "system", "Critical system"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        INTERNAL_REVIEW = "internal_review", "Internal review"
        APPROVED = "approved", "Approved"
        SUBMITTED = "submitted", "Submitted"
        UNDER_ASSURANCE = "under_assurance", "Under assurance"
        ASSURED = "assured", "Assured"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    system = models.ForeignKey(
        "estate.System",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cyber_assessments",
    )
    # The system's name when the assessment was made, kept if the register changes.
    system_name = models.CharField(max_length=150, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "kind", "system_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(kind="organisation"),
                name="cyber_one_organisation_assessment",
            ),
            models.UniqueConstraint(
                fields=["cycle", "system"],
                condition=Q(system__isnull=False),
                name="cyber_one_assessment_per_system",
            ),
            models.CheckConstraint(
                condition=Q(kind="system") | Q(system__isnull=True),
                name="cyber_organisation_assessment_has_no_system",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="cyber_assessment_status")]

    def __str__(self) -> str:
        if self.kind == self.Kind.SYSTEM:
            return f"{self.cycle}: {self.system_name}"
        return f"{self.cycle}: organisation"


# Which CAF objectives each kind of assessment answers (by the objective's code).
OBJECTIVES_BY_KIND: dict[str, tuple[str, ...]] = {
    Assessment.Kind.ORGANISATION: ("A", "D"),
    Assessment.Kind.SYSTEM: ("B", "C"),
}


class OutcomeAnswer(TimeStampedModel):
    """The answer to one outcome in one assessment."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not yet started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # The contributor assigned to answer this outcome.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Indicator ids (frameworks.Indicator.indicator_id) ticked as true, and a comment on any.
    true_indicators = models.JSONField(default=list, blank=True)
    indicator_comments = models.JSONField(default=dict, blank=True)
    suggested_level = models.ForeignKey(
        "frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    justification = models.TextField(blank=True, default="")
    evidence_text = models.TextField(blank=True, default="")
    evidence_links = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    # Carried forward from the last cycle: someone must check it still holds.
    needs_check = models.BooleanField(default=False)
    # The assurer's view, outcome by outcome.
    assurer_agrees = models.BooleanField(null=True, blank=True)
    assurer_comment = models.TextField(blank=True, default="")
    assurer_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "node__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="cyber_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.node.code or self.node.node_id}"


class Evidence(TimeStampedModel):
    """A private file supporting an answer."""

    answer = models.ForeignKey(OutcomeAnswer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage, upload_to="cyber/evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PlanAction(TimeStampedModel):
    """An Improvement and Implementation Plan action, usually closing a gap on one outcome."""

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    answer = models.ForeignKey(
        OutcomeAnswer, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # The day the owner was last reminded that the action is overdue.
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target_date", "pk"]
        indexes = [models.Index(fields=["status", "target_date"], name="cyber_action_due")]

    def __str__(self) -> str:
        return self.description[:60]


class ActionProgress(TimeStampedModel):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.note[:60]


class ReadinessAnswer(TimeStampedModel):
    """An answer to one question of the ransomware readiness questionnaire in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="readiness_answers")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        "frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date_value = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "node__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "node"], name="cyber_readiness_once")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.node.node_id}"
