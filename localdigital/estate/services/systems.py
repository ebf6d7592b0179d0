"""Writes to the technology estate: a council's systems, its sharing setting, and the shared
product list (members propose, programme staff review).

An `actor` of None is a system action (the seed, an import run by an operator) and skips the
membership check; every person's write is checked here as well as by the access helpers.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.core.access import (
    active_organisation_ids,
    is_org_admin,
    is_programme_staff,
    is_sector_member,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import (
    CONTRACT_DATES,
    PRODUCT_OR_NAME,
    SATISFACTION_RANGE,
    Function,
    Product,
    SharingSetting,
    Supplier,
    System,
)
from localdigital.organisations.models import Organisation

NOT_A_MEMBER = "You can only change the register of a council you are a member of"
FUNCTION_REQUIRED = "Choose what the system is used for"
PRODUCT_REJECTED = "{name} is not on the product list: choose another product or enter a name"
ALREADY_RECORDED = "Your council has already recorded {product} for {function}: change that record"
NOT_AN_ADMIN = "Only your council's admins can change what the sector sees of its register"
LEVEL_REQUIRED = "Choose what the sector can see of your register"
NOT_A_SECTOR_MEMBER = "You need to be a member of a council to propose a product"
SUPPLIER_REQUIRED = "Enter the supplier's name"
PRODUCT_NAME_REQUIRED = "Enter the product's name"
FUNCTIONS_REQUIRED = "Choose at least one thing the product is used for"
PRODUCT_EXISTS = "{supplier} {name} is already on the product list"
NOT_PROGRAMME_STAFF = "Only the programme team can review proposed products"
ALREADY_REVIEWED = "{name} has already been reviewed"

# What a council may set on a system, by service. `is_demo` is for the demo seed only.
SYSTEM_FIELDS = (
    "product",
    "other_name",
    "function",
    "service_area",
    "version",
    "hosting",
    "contract_start",
    "contract_end",
    "notice_period_months",
    "annual_cost_band",
    "user_count_band",
    "open_apis",
    "data_export",
    "satisfaction",
    "out_of_support",
    "unsupported_platform",
    "single_person_dependency",
    "no_api",
    "heavy_customisation",
    "plan",
    "plan_target_date",
    "critical",
    "notes",
)

FOREIGN_KEYS = ("product", "function", "service_area")


def _require_member(actor: Any, organisation: Organisation) -> None:
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER)


def _apply(system: System, data: dict[str, Any], *, allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields present in `data`; return the names that changed."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError(f"Unknown system fields: {', '.join(unknown)}")
    changed = []
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if name in FOREIGN_KEYS:
            current, new = getattr(system, f"{name}_id"), value.pk if value is not None else None
        else:
            current, new = getattr(system, name), value
        if current != new:
            setattr(system, name, value)
            changed.append(name)
    return changed


def _check(system: System) -> None:
    """The rules, in the order a person would fix them, as plain-English errors."""
    if system.function_id is None:
        raise ApplicationError(FUNCTION_REQUIRED, field="function")
    if system.product_id is None and not system.other_name:
        raise ApplicationError(PRODUCT_OR_NAME, field="product")
    product = system.product
    if product is not None and product.status == Product.Status.REJECTED:
        raise ApplicationError(PRODUCT_REJECTED.format(name=product.name), field="product")
    start, end = system.contract_start, system.contract_end
    if start is not None and end is not None and end < start:
        raise ApplicationError(CONTRACT_DATES, field="contract_end")
    if system.satisfaction is not None and not 1 <= system.satisfaction <= 5:
        raise ApplicationError(SATISFACTION_RANGE, field="satisfaction")
    if system.product_id is not None:
        duplicate = System.objects.filter(
            organisation_id=system.organisation_id,
            function_id=system.function_id,
            product_id=system.product_id,
        ).exclude(pk=system.pk)
        if duplicate.exists():
            raise ApplicationError(
                ALREADY_RECORDED.format(product=system.product, function=system.function),
                field="product",
            )
    try:
        system.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from None


@transaction.atomic
def system_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], is_demo: bool = False
) -> System:
    """Add a system to a council's register. The service area defaults to the function's."""
    _require_member(actor, organisation)
    system = System(organisation=organisation, is_demo=is_demo)
    _apply(system, data, allowed=SYSTEM_FIELDS)
    if system.service_area_id is None and system.function_id is not None:
        system.service_area_id = system.function.service_area_id
    _check(system)
    system.save()
    event_log(
        actor=actor,
        action="estate.system_create",
        summary=f"Added {system.display_name} ({system.function}) to the register",
        obj=system,
        organisation=organisation,
    )
    return system


@transaction.atomic
def system_update(*, actor: Any, system: System, data: dict[str, Any]) -> System:
    """Change a system in a council's register; only the fields that changed are saved."""
    _require_member(actor, system.organisation)
    changed = _apply(system, data, allowed=SYSTEM_FIELDS)
    if not changed:
        return system
    try:
        _check(system)
    except ApplicationError:
        system.refresh_from_db()
        raise
    system.save(update_fields=[*changed, "updated_at"])
    event_log(
        actor=actor,
        action="estate.system_update",
        summary=f"Changed {system.display_name} ({system.function}) in the register",
        obj=system,
        organisation=system.organisation,
        data={"fields": changed},
    )
    return system


@transaction.atomic
def sharing_set(*, actor: Any, organisation: Organisation, level: str) -> SharingSetting:
    """Set what the sector sees of the council's register (its admins only)."""
    if not is_org_admin(actor, organisation):
        raise ApplicationError(NOT_AN_ADMIN)
    if level not in SharingSetting.Level.values:
        raise ApplicationError(LEVEL_REQUIRED, field="level")
    setting, created = SharingSetting.objects.get_or_create(
        organisation=organisation, defaults={"level": level}
    )
    if not created and setting.level != level:
        setting.level = level
        setting.save(update_fields=["level", "updated_at"])
    event_log(
        actor=actor,
        action="estate.sharing_set",
        summary=f"The sector now sees: {setting.get_level_display()}",
        obj=setting,
        organisation=organisation,
        data={"level": level},
    )
    return setting


# Slugs the product pages' own routes use (/estate/products/propose/ and /review/).
RESERVED_PRODUCT_SLUGS = frozenset({"propose", "review"})


def unique_product_slug(text: str) -> str:
    """A product slug from `text`, numbered when it is taken or names one of the product
    pages' own routes."""
    base = slugify(text)[:150] or "product"
    slug, number = base, 2
    while slug in RESERVED_PRODUCT_SLUGS or Product.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def supplier_for_name(name: str) -> Supplier:
    """The supplier with this name (ignoring case), created when there is none."""
    supplier = Supplier.objects.filter(name__iexact=name).first()
    if supplier is None:
        base = slugify(name)[:150] or "supplier"
        slug, number = base, 2
        while Supplier.objects.filter(slug=slug).exists():
            slug = f"{base}-{number}"
            number += 1
        supplier = Supplier(name=name, slug=slug)
        supplier.full_clean()
        supplier.save()
    return supplier


@transaction.atomic
def product_propose(
    *, actor: Any, supplier_name: str, name: str, functions: list[Function]
) -> Product:
    """Propose a product for the shared list. It appears in sector views once approved."""
    if not is_sector_member(actor):
        raise ApplicationError(NOT_A_SECTOR_MEMBER)
    supplier_name, name = " ".join(supplier_name.split()), " ".join(name.split())
    if not supplier_name:
        raise ApplicationError(SUPPLIER_REQUIRED, field="supplier_name")
    if not name:
        raise ApplicationError(PRODUCT_NAME_REQUIRED, field="name")
    if not functions:
        raise ApplicationError(FUNCTIONS_REQUIRED, field="functions")
    if Product.objects.filter(supplier__name__iexact=supplier_name, name__iexact=name).exists():
        raise ApplicationError(
            PRODUCT_EXISTS.format(supplier=supplier_name, name=name), field="name"
        )
    supplier = supplier_for_name(supplier_name)
    product = Product(
        supplier=supplier,
        name=name,
        slug=unique_product_slug(f"{supplier.name} {name}"),
        status=Product.Status.PROPOSED,
        proposed_by=actor,
    )
    product.full_clean()
    product.save()
    product.functions.set(functions)
    event_log(
        actor=actor,
        action="estate.product_propose",
        summary=f"Proposed {supplier.name} {name} for the product list",
        obj=product,
    )
    return product


@transaction.atomic
def product_review(*, actor: Any, product: Product, approve: bool) -> Product:
    """Approve or reject a proposed product (programme staff only)."""
    if not is_programme_staff(actor):
        raise ApplicationError(NOT_PROGRAMME_STAFF)
    if product.status != Product.Status.PROPOSED:
        raise ApplicationError(ALREADY_REVIEWED.format(name=product.name))
    product.status = Product.Status.APPROVED if approve else Product.Status.REJECTED
    product.save(update_fields=["status", "updated_at"])
    event_log(
        actor=actor,
        action="estate.product_approve" if approve else "estate.product_reject",
        summary=f"{'Approved' if approve else 'Rejected'} {product.name} for the product list",
        obj=product,
    )
    return product


@transaction.atomic
def system_delete(*, actor: Any, system: System) -> None:
    """Remove a system from a council's register (its members only)."""
    _require_member(actor, system.organisation)
    organisation, name, function = system.organisation, system.display_name, system.function
    pk = system.pk
    system.delete()
    event_log(
        actor=actor,
        action="estate.system_delete",
        summary=f"Removed {name} ({function}) from the register",
        organisation=organisation,
        data={"system": pk},
    )
