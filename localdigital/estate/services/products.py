"""Writes to the shared product list by programme staff: changing a product's facts.

Proposing and reviewing products live in services/systems.py (`product_propose`,
`product_review`); this module adds `product_update`, which the edit page calls.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.access import is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import Function, Hosting, Product
from localdigital.estate.services.systems import (
    FUNCTIONS_REQUIRED,
    PRODUCT_EXISTS,
    PRODUCT_NAME_REQUIRED,
    SUPPLIER_REQUIRED,
    supplier_for_name,
)

NOT_A_CURATOR = "Only the programme team can change products"
HOSTING_UNKNOWN = "Choose hosting models from the list"
SUPPORT_STATUS_REQUIRED = "Choose the vendor support status"
END_OF_SUPPORT_REQUIRED = "Enter the end of support date"
NAME_TOO_LONG = "Product name must be 150 characters or fewer"
SUPPLIER_TOO_LONG = "Supplier name must be 150 characters or fewer"

UPDATE_FIELDS = (
    "name",
    "supplier_name",
    "functions",
    "hosting_models",
    "support_status",
    "end_of_support",
    "catalogue_asset",
)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(UPDATE_FIELDS))
    if unknown:
        raise ValueError(f"Unknown product fields: {', '.join(unknown)}")
    missing = sorted(set(UPDATE_FIELDS) - set(data))
    if missing:
        raise ValueError(f"Missing product fields: {', '.join(missing)}")
    name = " ".join(str(data["name"] or "").split())
    supplier_name = " ".join(str(data["supplier_name"] or "").split())
    if not name:
        raise ApplicationError(PRODUCT_NAME_REQUIRED, field="name")
    if len(name) > 150:
        raise ApplicationError(NAME_TOO_LONG, field="name")
    if not supplier_name:
        raise ApplicationError(SUPPLIER_REQUIRED, field="supplier_name")
    if len(supplier_name) > 150:
        raise ApplicationError(SUPPLIER_TOO_LONG, field="supplier_name")
    functions: list[Function] = list(data["functions"] or [])
    if not functions:
        raise ApplicationError(FUNCTIONS_REQUIRED, field="functions")
    hosting = list(data["hosting_models"] or [])
    if any(value not in Hosting.values for value in hosting):
        raise ApplicationError(HOSTING_UNKNOWN, field="hosting_models")
    # Keep the list's order, not the order they were ticked.
    hosting = [value for value in Hosting.values if value in hosting]
    status = data["support_status"]
    if status not in Product.SupportStatus.values:
        raise ApplicationError(SUPPORT_STATUS_REQUIRED, field="support_status")
    end: datetime.date | None = data["end_of_support"]
    if status == Product.SupportStatus.END_OF_SUPPORT and end is None:
        raise ApplicationError(END_OF_SUPPORT_REQUIRED, field="end_of_support")
    return {
        "name": name,
        "supplier_name": supplier_name,
        "functions": functions,
        "hosting_models": hosting,
        "support_status": status,
        "end_of_support": end,
        "catalogue_asset": data["catalogue_asset"],
    }


@transaction.atomic
def product_update(*, actor: Any, product: Product, data: dict[str, Any]) -> Product:
    """Change a product's facts (programme staff only): name, supplier (found or added by
    name), functions, hosting models, vendor support status and end-of-support date (required
    when support has ended), and its catalogue asset. The slug stays, so links keep working.
    Audited with the names of the fields that changed; nothing is saved when a rule fails."""
    if not is_programme_staff(actor):
        raise ApplicationError(NOT_A_CURATOR)
    clean = _clean(data)
    duplicate = Product.objects.filter(
        supplier__name__iexact=clean["supplier_name"], name__iexact=clean["name"]
    ).exclude(pk=product.pk)
    if duplicate.exists():
        raise ApplicationError(
            PRODUCT_EXISTS.format(supplier=clean["supplier_name"], name=clean["name"]),
            field="name",
        )
    changed: list[str] = []
    if product.supplier.name != clean["supplier_name"]:
        product.supplier = supplier_for_name(clean["supplier_name"])
        changed.append("supplier")
    asset = clean["catalogue_asset"]
    values = {
        "name": clean["name"],
        "hosting_models": clean["hosting_models"],
        "support_status": clean["support_status"],
        "end_of_support": clean["end_of_support"],
    }
    for name, value in values.items():
        if getattr(product, name) != value:
            setattr(product, name, value)
            changed.append(name)
    if product.catalogue_asset_id != (asset.pk if asset is not None else None):
        product.catalogue_asset = asset
        changed.append("catalogue_asset")
    new_functions = {function.pk for function in clean["functions"]}
    functions_changed = set(product.functions.values_list("pk", flat=True)) != new_functions
    if not changed and not functions_changed:
        return product
    try:
        product.full_clean(exclude=["slug"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from None
    if changed:
        product.save(update_fields=[*changed, "updated_at"])
    if functions_changed:
        product.functions.set(clean["functions"])
        changed.append("functions")
    event_log(
        actor=actor,
        action="estate.product_update",
        summary=f"Changed {product.supplier.name} {product.name} on the product list",
        obj=product,
        data={"fields": changed},
    )
    return product
