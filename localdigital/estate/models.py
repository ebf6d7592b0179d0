"""The technology estate: a shared list of products and each council's register of systems.

Products are curated by programme staff (members propose, staff approve) so market shares count
one product once, not under every spelling. A council's register is private to its members; what
the sector sees of it is set by the council's SharingSetting, and costs and notes only ever leave
the council inside aggregates of at least 5 councils.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from localdigital.core.models import TimeStampedModel

CONTRACT_DATES = "The contract end date must be the same as or after the start date"
PRODUCT_OR_NAME = "Choose a product or enter the name of the in-house or other system"
SATISFACTION_RANGE = "Choose a satisfaction score from 1 to 5"
PATHWAY_DESTINATION = "Choose the product or catalogue asset the council moved to"
PATHWAY_DATES = "The finish date must be the same as or after the start date"


class Function(models.Model):
    """A job a council system does (reference data, loaded from data/functions.yaml)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    service_area = models.ForeignKey(
        "pipeline.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="estate_functions",
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Supplier(TimeStampedModel):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=160, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Hosting(models.TextChoices):
    ON_PREMISES = "on_premises", "On-premises"
    PRIVATE_CLOUD = "private_cloud", "Private cloud"
    PUBLIC_CLOUD = "public_cloud", "Public cloud"
    SAAS = "saas", "Software as a service"


class Product(TimeStampedModel):
    """A product councils run. Only approved products appear in sector views."""

    class SupportStatus(models.TextChoices):
        SUPPORTED = "supported", "Supported"
        EXTENDED = "extended", "Extended support"
        END_OF_SUPPORT = "end_of_support", "End of support"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PROPOSED = "proposed", "Proposed"
        REJECTED = "rejected", "Rejected"

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    functions = models.ManyToManyField(Function, related_name="products", blank=True)
    # A list of Hosting values: the ways the supplier offers the product.
    hosting_models = models.JSONField(default=list, blank=True)
    support_status = models.CharField(
        max_length=20, choices=SupportStatus.choices, default=SupportStatus.SUPPORTED
    )
    end_of_support = models.DateField(null=True, blank=True)
    catalogue_asset = models.ForeignKey(
        "catalogue.Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="estate_products",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_products",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "name"], name="estate_product_unique_name")
        ]
        indexes = [models.Index(fields=["status", "name"], name="estate_product_status")]

    def __str__(self) -> str:
        return self.name


class System(TimeStampedModel):
    """One system in a council's register."""

    class CostBand(models.TextChoices):
        UNDER_10K = "under_10k", "Under £10,000"
        FROM_10K = "10k_50k", "£10,000 to £50,000"
        FROM_50K = "50k_100k", "£50,000 to £100,000"
        FROM_100K = "100k_250k", "£100,000 to £250,000"
        FROM_250K = "250k_1m", "£250,000 to £1 million"
        OVER_1M = "over_1m", "Over £1 million"

    class UserBand(models.TextChoices):
        UP_TO_10 = "1_10", "1 to 10"
        UP_TO_50 = "11_50", "11 to 50"
        UP_TO_250 = "51_250", "51 to 250"
        UP_TO_1000 = "251_1000", "251 to 1,000"
        OVER_1000 = "over_1000", "Over 1,000"

    class OpenApis(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    class Plan(models.TextChoices):
        RETAIN = "retain", "Retain"
        REPLACE = "replace", "Replace"
        RETIRE = "retire", "Retire"
        MIGRATE = "migrate", "Migrate"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="estate_systems"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="systems"
    )
    other_name = models.CharField(
        "in-house or other system name", max_length=150, blank=True, default=""
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="systems")
    service_area = models.ForeignKey(
        "pipeline.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="estate_systems",
    )
    version = models.CharField(max_length=60, blank=True, default="")
    hosting = models.CharField(max_length=20, choices=Hosting.choices, blank=True, default="")
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    notice_period_months = models.PositiveSmallIntegerField(null=True, blank=True)
    annual_cost_band = models.CharField(
        max_length=20, choices=CostBand.choices, blank=True, default=""
    )
    user_count_band = models.CharField(
        max_length=20, choices=UserBand.choices, blank=True, default=""
    )
    open_apis = models.CharField(max_length=10, choices=OpenApis.choices, blank=True, default="")
    data_export = models.BooleanField("data export available", default=False)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    # Legacy risk flags.
    out_of_support = models.BooleanField("out of vendor support", default=False)
    unsupported_platform = models.BooleanField(
        "unsupported operating system or database", default=False
    )
    single_person_dependency = models.BooleanField("dependence on one person", default=False)
    no_api = models.BooleanField("no API", default=False)
    heavy_customisation = models.BooleanField(default=False)
    plan = models.CharField(max_length=10, choices=Plan.choices, blank=True, default="")
    plan_target_date = models.DateField(null=True, blank=True)
    critical = models.BooleanField("one of the council's critical systems", default=False)
    notes = models.TextField(blank=True, default="")
    # Generated demo records are marked so they are never mistaken for a council's real estate.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["function__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="estate_system_contract_dates",
                violation_error_message=CONTRACT_DATES,
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="estate_system_satisfaction_range",
                violation_error_message=SATISFACTION_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False) | ~Q(other_name=""),
                name="estate_system_product_or_name",
                violation_error_message=PRODUCT_OR_NAME,
            ),
            models.UniqueConstraint(
                fields=["organisation", "function", "product"],
                condition=Q(product__isnull=False),
                name="estate_system_unique_product",
            ),
        ]
        indexes = [
            # Market share and product pages filter by function and product, then count councils.
            models.Index(fields=["function", "product", "organisation"], name="estate_sys_fn"),
            models.Index(fields=["product", "organisation"], name="estate_sys_product"),
            models.Index(fields=["contract_end"], name="estate_sys_contract_end"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.product.name if self.product_id and self.product else self.other_name


class SharingSetting(TimeStampedModel):
    """What the sector sees of a council's register. A council without one shares products."""

    class Level(models.TextChoices):
        NOTHING = "nothing", "Nothing"
        PRODUCTS = "products", "Products only"
        PRODUCTS_AND_CONTRACT_ENDS = "products_and_contract_ends", "Products and contract end dates"

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="estate_sharing"
    )
    level = models.CharField(max_length=30, choices=Level.choices, default=Level.PRODUCTS)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_level_display()}"


class Pathway(TimeStampedModel):
    """A council's move off a product (or a function's legacy system) to another product or a
    catalogue asset. Product pages aggregate where councils went, with their lessons."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        ABANDONED = "abandoned", "Abandoned"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="estate_pathways"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="pathways")
    from_product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="pathways_from"
    )
    to_product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="pathways_to"
    )
    to_asset = models.ForeignKey(
        "catalogue.Asset",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="estate_pathways",
    )
    pipeline_item = models.ForeignKey(
        "pipeline.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="estate_pathways",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    cost_band = models.CharField(
        max_length=20, choices=System.CostBand.choices, blank=True, default=""
    )
    lessons = models.TextField("lessons learned", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_product__isnull=False) | Q(to_asset__isnull=False),
                name="estate_pathway_destination",
                violation_error_message=PATHWAY_DESTINATION,
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=F("started_on")),
                name="estate_pathway_dates",
                violation_error_message=PATHWAY_DATES,
            ),
        ]
        indexes = [models.Index(fields=["from_product", "status"], name="estate_pathway_from")]

    def __str__(self) -> str:
        destination = self.to_product or self.to_asset
        return f"{self.organisation}: {self.from_product or self.function} to {destination}"


class ProcurementInterest(TimeStampedModel):
    """A council's interest in procuring a product/function pair jointly. The first interested
    council's interest creates a Pipeline project (tagged procurement); later ones join it as
    partners."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="estate_procurement_interests",
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        "pipeline.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "function", "product"], name="estate_procurement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.product} ({self.function})"


class EstateImport(TimeStampedModel):
    """An uploaded register file waiting for the person to check its preview. Nothing reaches
    the register until it is applied; the parsed rows are kept so the preview and the apply step
    read the same data."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLIED = "applied", "Applied"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="estate_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    unknown_products = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.file_name}"
