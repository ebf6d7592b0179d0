"""Writes for pathways off legacy: a council records its move from a product (or a function's
old system) to another product or a catalogue asset, with dates, cost band and lessons."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids, can_see_item
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import PATHWAY_DATES, PATHWAY_DESTINATION, Pathway, Product
from localdigital.organisations.models import Organisation

NOT_A_MEMBER = "You can only record pathways for a council you are a member of"
FUNCTION_REQUIRED = "Choose what the system is used for"
STATUS_REQUIRED = "Choose whether the move is planned, in progress, done or abandoned"
SAME_PRODUCT = "Choose a product to move to that is different from the one you are moving off"
PRODUCT_REJECTED = "{name} is not on the product list: choose another product"
ITEM_NOT_VISIBLE = "Enter the address of a Pipeline item you can see, or leave this blank"

PATHWAY_FIELDS = (
    "function",
    "from_product",
    "to_product",
    "to_asset",
    "pipeline_item",
    "status",
    "started_on",
    "finished_on",
    "cost_band",
    "lessons",
)
FOREIGN_KEYS = ("function", "from_product", "to_product", "to_asset", "pipeline_item")


def _apply(pathway: Pathway, data: dict[str, Any]) -> list[str]:
    unknown = sorted(set(data) - set(PATHWAY_FIELDS))
    if unknown:
        raise ValueError(f"Unknown pathway fields: {', '.join(unknown)}")
    changed = []
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if name in FOREIGN_KEYS:
            current = getattr(pathway, f"{name}_id")
            new = value.pk if value is not None else None
        else:
            current, new = getattr(pathway, name), value
        if current != new:
            setattr(pathway, name, value)
            changed.append(name)
    return changed


def _check(pathway: Pathway, actor: Any) -> None:
    """The rules, in the order a person would fix them."""
    if pathway.function_id is None:
        raise ApplicationError(FUNCTION_REQUIRED, field="function")
    if pathway.to_product_id is None and pathway.to_asset_id is None:
        raise ApplicationError(PATHWAY_DESTINATION, field="to_product")
    if pathway.to_product_id is not None:
        if pathway.to_product_id == pathway.from_product_id:
            raise ApplicationError(SAME_PRODUCT, field="to_product")
        to_product = pathway.to_product
        if to_product is not None and to_product.status == Product.Status.REJECTED:
            raise ApplicationError(
                PRODUCT_REJECTED.format(name=to_product.name), field="to_product"
            )
    if pathway.status not in Pathway.Status.values:
        raise ApplicationError(STATUS_REQUIRED, field="status")
    start, finish = pathway.started_on, pathway.finished_on
    if start is not None and finish is not None and finish < start:
        raise ApplicationError(PATHWAY_DATES, field="finished_on")
    item = pathway.pipeline_item
    if item is not None and actor is not None and not can_see_item(actor, item):
        raise ApplicationError(ITEM_NOT_VISIBLE, field="pipeline_item")
    try:
        pathway.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from None


@transaction.atomic
def pathway_create(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Pathway:
    """Record a council's move off a product or function (its active members only)."""
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER)
    pathway = Pathway(organisation=organisation, created_by=actor)
    _apply(pathway, data)
    _check(pathway, actor)
    pathway.save()
    event_log(
        actor=actor,
        action="estate.pathway_create",
        summary=f"Recorded a move: {pathway}",
        obj=pathway,
        organisation=organisation,
    )
    return pathway


@transaction.atomic
def pathway_update(*, actor: Any, pathway: Pathway, data: dict[str, Any]) -> Pathway:
    """Change a council's pathway record; only the fields that changed are saved."""
    if actor is not None and pathway.organisation_id not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER)
    changed = _apply(pathway, data)
    if not changed:
        return pathway
    try:
        _check(pathway, actor)
    except ApplicationError:
        pathway.refresh_from_db()
        raise
    pathway.save(update_fields=[*changed, "updated_at"])
    event_log(
        actor=actor,
        action="estate.pathway_update",
        summary=f"Changed a move: {pathway}",
        obj=pathway,
        organisation=pathway.organisation,
        data={"fields": changed},
    )
    return pathway
