"""Writes for joint procurement windows: a council says it is interested in procuring a
product/function pair with others.

The first interested council's interest creates one Pipeline project (tagged procurement,
visible to signed-in sector members) through the Pipeline's own service; every later interested
council joins that project as a partner, so all of them end up on the one item.
"""

from typing import Any

from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.access import active_organisation_ids
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import Function, ProcurementInterest, Product
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, Partnership
from localdigital.pipeline.services.items import item_create, item_partner_add

NOT_A_MEMBER = "You can only say a council you are a member of is interested"
PRODUCT_NOT_APPROVED = "{name} is not on the product list"
ALREADY_INTERESTED = (
    "{organisation} has already said it is interested in procuring {product} for {function} "
    "jointly: you can follow the project in the Pipeline"
)
TAG = "procurement"
TITLE = "Joint procurement: {product} for {function}"
SUMMARY = (
    "Councils whose {product} contracts for {function} end soon are exploring buying together. "
    "Started from the Hub’s joint procurement windows."
)


def _item_for_pair(function: Function, product: Product) -> Item | None:
    """The live Pipeline item already created for this pair, if there is one."""
    interest = (
        ProcurementInterest.objects.filter(
            function=function, product=product, item__isnull=False, item__status="active"
        )
        .select_related("item__organisation")
        .order_by("created_at", "pk")
        .first()
    )
    return interest.item if interest else None


def _join(item: Item, organisation: Organisation) -> None:
    """Make `organisation` a partner of `item` unless it leads it or already is one. The
    estate checked the person's membership, so the partner is added as a system action: the
    Pipeline only lets an item's owners add partners themselves."""
    if organisation.pk == item.organisation_id:
        return
    if Partnership.objects.filter(item=item, organisation=organisation).exists():
        return
    item_partner_add(
        actor=None, item=item, organisation=organisation, source=Partnership.Source.INTEREST
    )


@transaction.atomic
def procurement_interest_register(
    *, actor: Any, organisation: Organisation, function: Function, product: Product
) -> ProcurementInterest:
    """Record that `organisation` is interested in procuring `product` for `function` jointly,
    creating the pair's Pipeline project or joining it as a partner."""
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER, field="organisation")
    # Lock the product row so two councils saying yes at once make one project, not two.
    product = Product.objects.select_for_update().select_related("supplier").get(pk=product.pk)
    if product.status != Product.Status.APPROVED:
        raise ApplicationError(PRODUCT_NOT_APPROVED.format(name=product.name))
    if ProcurementInterest.objects.filter(
        organisation=organisation, function=function, product=product
    ).exists():
        raise ApplicationError(
            ALREADY_INTERESTED.format(
                organisation=organisation.short_name,
                product=product.name,
                function=function.name.lower(),
            )
        )
    item = _item_for_pair(function, product)
    created = item is None
    if item is None:
        item = item_create(
            actor=actor,
            organisation=organisation,
            data={
                "kind": Item.Kind.PROJECT,
                "title": TITLE.format(product=product.name, function=function.name.lower()),
                "summary": SUMMARY.format(product=product.name, function=function.name.lower()),
                "tags": [TAG],
                "service_area": function.service_area,
                "collaboration_level": Item.CollaborationLevel.SEEKING_PARTNERS,
                "visibility": Item.Visibility.MEMBERS,
            },
        )
        # Councils interested before (whose project has since gone) join the new one.
        earlier = ProcurementInterest.objects.filter(
            function=function, product=product
        ).select_related("organisation")
        for interest in earlier:
            _join(item, interest.organisation)
        earlier.update(item=item)
    else:
        _join(item, organisation)
    interest = ProcurementInterest.objects.create(
        organisation=organisation, function=function, product=product, item=item, created_by=actor
    )
    event_log(
        actor=actor,
        action="estate.procurement_interest",
        summary=f"{organisation.short_name} is interested in procuring {product.name} for "
        f"{function.name.lower()} jointly",
        obj=interest,
        organisation=organisation,
        data={"item": item.slug, "created_item": created},
    )
    return interest
