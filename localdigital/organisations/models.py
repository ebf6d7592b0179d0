"""Organisations (every UK council and other public bodies), their domains and memberships."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localdigital.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """A council or other organisation. Councils are keyed by their mySociety code."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        CENTRAL_GOVERNMENT = "central_government", "Central government department"
        FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue service"
        NATIONAL_PARK = "national_park", "National park authority"
        NHS_BODY = "nhs_body", "NHS body"
        SUPPLIER = "supplier", "Supplier"
        OTHER_PUBLIC_BODY = "other_public_body", "Other public body"

    class Nation(models.TextChoices):
        ENGLAND = "England", "England"
        SCOTLAND = "Scotland", "Scotland"
        WALES = "Wales", "Wales"
        NORTHERN_IRELAND = "Northern Ireland", "Northern Ireland"

    code = models.CharField(
        max_length=40,
        unique=True,
        help_text="mySociety local authority code for councils (e.g. HCK); a slug for others.",
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True, default="")
    former_gss_codes = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.COUNCIL)
    name = models.CharField("official name", max_length=200)
    short_name = models.CharField(max_length=200)
    alt_names = models.TextField(blank=True, default="")
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True, default="")
    region = models.CharField(max_length=60, blank=True, default="")
    la_type = models.CharField("local authority type code", max_length=10, blank=True, default="")
    la_type_name = models.CharField("local authority type", max_length=60, blank=True, default="")
    county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="districts"
    )
    combined_authority = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="constituent_members"
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )
    gov_uk_slug = models.CharField(max_length=100, blank=True, default="")
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    allow_automatic_joining = models.BooleanField(
        default=False,
        help_text="Verified email addresses on this organisation's domains join without approval.",
    )
    # Lower-cased names and alternative names, kept in step by the loader and services: the
    # relevance-ranked directory search reads this one column on both databases.
    search_text = models.TextField(blank=True, default="", editable=False)
    # Set when the organisation comes from a reference data file: that file then owns its names,
    # codes and type, and only the loader changes them.
    reference_data_id = models.CharField(
        "reference data set",
        max_length=60,
        blank=True,
        default="",
        help_text="Id of the reference data file this organisation comes from, if any.",
    )

    class Meta:
        ordering = ["short_name"]
        indexes = [
            models.Index(fields=["is_current", "short_name"]),
            models.Index(fields=["nation", "region"]),
            models.Index(fields=["la_type"]),
            models.Index(fields=["gss_code"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="unique_org_gss_code"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="org_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"code": self.code})

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL

    @property
    def former_gss_code_list(self) -> list[str]:
        return [c for c in self.former_gss_codes.split(",") if c]

    @property
    def alt_name_list(self) -> list[str]:
        return [n for n in self.alt_names.splitlines() if n.strip()]

    @property
    def is_reference_data(self) -> bool:
        return bool(self.reference_data_id)

    @property
    def gov_uk_url(self) -> str:
        return (
            f"https://www.gov.uk/find-local-council/{self.gov_uk_slug}" if self.gov_uk_slug else ""
        )

    def build_search_text(self) -> str:
        """The text the directory search reads: names, alternative names and codes, lower-cased.

        Each term sits between `|` characters so the search can tell "equals a name" (`|term|`)
        and "starts a name" (`|term`) from "appears in a name", with plain LIKE on any database.
        """
        terms = [self.short_name, self.name, *self.alt_name_list, self.code, self.gss_code]
        terms += self.former_gss_code_list
        seen: list[str] = []
        for term in terms:
            cleaned = " ".join(term.lower().replace("|", " ").split())
            if cleaned and cleaned not in seen:
                seen.append(cleaned)
        return "|" + "|".join(seen) + "|"


class OrganisationDomain(TimeStampedModel):
    """An email domain an organisation owns: people signing up with it are suggested to join."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class Membership(TimeStampedModel):
    """A person's membership of an organisation, with their role there."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Organisation admin"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        REMOVED = "removed", "Removed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    request_note = models.TextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_decisions",
    )

    class Meta:
        ordering = ["organisation__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == self.Role.ADMIN
