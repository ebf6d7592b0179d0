"""Reads of one council's register: its systems as the viewer may see them, the count the
organisation page shows, "same systems as you" and "councils like you".

Every function here makes a constant number of queries however many systems there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from localdigital.core.access import pipeline_visible_q
from localdigital.estate.access import RegisterAccess
from localdigital.estate.models import Function, Pathway, Product, SharingSetting, System
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item

# "Same systems as you" lists at most this many Pipeline items per product.
ITEMS_PER_PRODUCT = 5
# Pipeline items read at most for one council's products (newest activity first).
ITEMS_READ = 300


@dataclass
class FunctionGroup:
    function: Function
    systems: list[System] = field(default_factory=list)


def _hidden_organisations() -> QuerySet[Any, Any]:
    return SharingSetting.objects.filter(level=SharingSetting.Level.NOTHING).values(
        "organisation_id"
    )


def register_systems(access: RegisterAccess) -> list[FunctionGroup]:
    """The council's systems grouped by function, as `access` allows: everything for its
    members; approved products and in-house systems for the rest of the sector, or nothing
    when the council shares nothing. One query."""
    if access.shares_nothing:
        return []
    systems = System.objects.filter(organisation=access.organisation).select_related(
        "product__supplier", "function", "service_area"
    )
    if not access.full:
        systems = systems.filter(
            Q(product__isnull=True) | Q(product__status=Product.Status.APPROVED)
        )
    groups: dict[int, FunctionGroup] = {}
    for system in systems.order_by("function__position", "product__name", "other_name", "pk"):
        groups.setdefault(system.function_id, FunctionGroup(system.function)).systems.append(system)
    return list(groups.values())


def shared_system_count(organisation: Organisation) -> int:
    """How many of the council's systems the sector sees (0 when it shares nothing)."""
    systems = System.objects.filter(organisation=organisation)
    systems = systems.filter(Q(product__isnull=True) | Q(product__status=Product.Status.APPROVED))
    return systems.exclude(organisation_id__in=_hidden_organisations()).count()


@dataclass
class SameProduct:
    """One product the council uses, the other councils using it and related Pipeline items."""

    product: Product
    functions: list[Function]
    councils: list[Organisation] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


@dataclass
class LikeCouncil:
    """A council of the same type or region that uses some of the same products."""

    organisation: Organisation
    products: list[Product]
    same_type: bool
    same_region: bool


@dataclass
class SameSystems:
    products: list[SameProduct]
    like_councils: list[LikeCouncil]


def same_systems(organisation: Organisation, user: Any) -> SameSystems:
    """For each approved product the council uses: the other councils using it (leaving out
    those that share nothing) and the Pipeline items `user` may see that mention the product or
    its function; and the councils like this one (same type or same region) using the same
    products, most products in common first. A constant number of queries."""
    own = list(
        System.objects.filter(organisation=organisation, product__status=Product.Status.APPROVED)
        .select_related("product__supplier", "function")
        .order_by("product__name", "function__position")
    )
    by_product: dict[int, SameProduct] = {}
    for system in own:
        assert system.product is not None  # noqa: S101 (filtered above)
        entry = by_product.setdefault(system.product.pk, SameProduct(system.product, []))
        if system.function not in entry.functions:
            entry.functions.append(system.function)
    if not by_product:
        return SameSystems(products=[], like_councils=[])

    others = (
        System.objects.filter(product_id__in=by_product)
        .exclude(organisation=organisation)
        .exclude(organisation_id__in=_hidden_organisations())
        .select_related("organisation")
        .order_by("organisation__short_name", "pk")
    )
    seen: set[tuple[int, int]] = set()
    like: dict[int, LikeCouncil] = {}
    for system in others:
        assert system.product_id is not None  # noqa: S101 (filtered above)
        council = system.organisation
        if (system.product_id, council.pk) in seen:
            continue
        seen.add((system.product_id, council.pk))
        entry = by_product[system.product_id]
        entry.councils.append(council)
        same_type = bool(organisation.la_type) and council.la_type == organisation.la_type
        same_region = bool(organisation.region) and council.region == organisation.region
        if same_type or same_region:
            like.setdefault(
                council.pk, LikeCouncil(council, [], same_type=same_type, same_region=same_region)
            ).products.append(entry.product)

    _attach_items(list(by_product.values()), user)
    like_councils = sorted(
        like.values(), key=lambda c: (-len(c.products), c.organisation.short_name)
    )
    return SameSystems(products=list(by_product.values()), like_councils=like_councils)


def _attach_items(entries: list[SameProduct], user: Any) -> None:
    """Pipeline items mentioning each product's name or one of its functions, in one query
    (plus the visibility check's own)."""
    terms: dict[str, list[SameProduct]] = defaultdict(list)
    for entry in entries:
        terms[entry.product.name.lower()].append(entry)
        for function in entry.functions:
            terms[function.name.lower()].append(entry)
    mentions = reduce(
        or_,
        (
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(search_text__icontains=term)
            for term in terms
        ),
    )
    items = (
        Item.objects.filter(pipeline_visible_q(user), mentions, status=Item.Status.ACTIVE)
        .select_related("organisation")
        .order_by("-last_activity_at", "-pk")[:ITEMS_READ]
    )
    for item in items:
        text = f"{item.title} {item.summary} {item.search_text}".lower()
        for term, matched in terms.items():
            if term not in text:
                continue
            for entry in matched:
                if len(entry.items) < ITEMS_PER_PRODUCT and item not in entry.items:
                    entry.items.append(item)


def organisation_pathways(organisation: Organisation) -> list[Pathway]:
    """The council's own pathway records, for its members. One query."""
    return list(
        Pathway.objects.filter(organisation=organisation)
        .select_related("function", "from_product", "to_product", "to_asset", "pipeline_item")
        .order_by("-updated_at", "pk")
    )
