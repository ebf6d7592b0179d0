"""Access helpers for the technology estate: a council's register, its systems, imports,
sharing setting and pathways, and the shared product list.

They raise Http404 both for "missing" and "not yours", like those in core/access.py. What a
person sees of a register is one of two views: the council's own active members see everything;
signed-in sector members of other councils and programme staff see what the council's sharing
setting allows, never costs or notes. Approved products, suppliers and functions are public.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from localdigital.core.access import (
    active_organisation_ids,
    is_org_admin,
    is_programme_staff,
)
from localdigital.estate.models import (
    EstateImport,
    Function,
    Pathway,
    Product,
    SharingSetting,
    Supplier,
    System,
)
from localdigital.organisations.models import Organisation

FULL = "full"


@dataclass(frozen=True)
class RegisterAccess:
    """What one person may see of one council's register.

    `view` is FULL for the council's members, else the council's sharing level."""

    organisation: Organisation
    view: str
    is_member: bool
    is_admin: bool

    @property
    def full(self) -> bool:
        return self.view == FULL

    @property
    def shows_contract_ends(self) -> bool:
        return self.view in (FULL, SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS)

    @property
    def shares_nothing(self) -> bool:
        return self.view == SharingSetting.Level.NOTHING


def sharing_level(organisation: Organisation) -> str:
    """The council's sharing level; a council that has not chosen shares products."""
    level = (
        SharingSetting.objects.filter(organisation=organisation)
        .values_list("level", flat=True)
        .first()
    )
    return level or SharingSetting.Level.PRODUCTS


def _organisation(code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise Http404("No such council")
    return organisation


def access_register_for_user(user: Any, code: str) -> RegisterAccess:
    """A council's register as this person may see it. Signed-in sector members (members of
    any council, programme staff) only; anyone else gets 404 (views send anonymous visitors
    to sign in first)."""
    if not (user and user.is_authenticated):
        raise Http404("No such council")
    organisation = _organisation(code)
    own = active_organisation_ids(user)
    if organisation.pk in own:
        return RegisterAccess(
            organisation, FULL, is_member=True, is_admin=is_org_admin(user, organisation)
        )
    if not (own or is_programme_staff(user)):
        raise Http404("No such council")
    return RegisterAccess(
        organisation, sharing_level(organisation), is_member=False, is_admin=False
    )


def can_see_register(user: Any, organisation: Organisation) -> bool:
    """Whether the person may see the organisation's full register (costs, notes, plans, risk
    flags): its active members only. Programme staff see what the rest of the sector sees."""
    return organisation.pk in active_organisation_ids(user)


def access_system_for_user(user: Any, pk: int, *, write: bool = False) -> System:
    """A system in a council's register, for the council's active members (read and write);
    anyone else gets 404. Others see systems only through the register's shared view."""
    system = (
        System.objects.select_related("organisation", "product__supplier", "function")
        .filter(pk=pk)
        .first()
    )
    if system is None or system.organisation_id not in active_organisation_ids(user):
        raise Http404("No such system")
    return system


def access_register_for_member(user: Any, code: str) -> Organisation:
    """A council whose register the person may change: its active members only."""
    organisation = _organisation(code)
    if organisation.pk not in active_organisation_ids(user):
        raise Http404("No such council")
    return organisation


def access_sharing_for_user(user: Any, code: str) -> Organisation:
    """A council whose sharing setting the person may change: its admins only."""
    organisation = _organisation(code)
    if not is_org_admin(user, organisation):
        raise Http404("No such council")
    return organisation


def access_pathway_for_user(user: Any, pk: int, *, write: bool = False) -> Pathway:
    """A council's pathway record, for its active members (read and write). Others see
    pathways only through the aggregates on product pages, so they get 404 here."""
    pathway = (
        Pathway.objects.select_related(
            "organisation", "function", "from_product", "to_product", "to_asset", "pipeline_item"
        )
        .filter(pk=pk)
        .first()
    )
    if pathway is None or pathway.organisation_id not in active_organisation_ids(user):
        raise Http404("No such pathway")
    return pathway


def access_import_for_user(
    user: Any, code: str, pk: int, *, with_rows: bool = False
) -> EstateImport:
    """One of a council's imports, for one of its members. The parsed rows (large) are only
    loaded when the caller is going to check or apply them."""
    organisation = access_register_for_member(user, code)
    imports = EstateImport.objects.filter(pk=pk, organisation=organisation)
    if not with_rows:
        imports = imports.defer("rows")
    estate_import = imports.select_related("created_by").first()
    if estate_import is None:
        raise Http404("No such import")
    estate_import.organisation = organisation
    return estate_import


def can_see_product(user: Any, product: Product) -> bool:
    """Approved products are public; a proposed or rejected one is seen only by programme staff
    and the person who proposed it."""
    if product.status == Product.Status.APPROVED or is_programme_staff(user):
        return True
    return bool(user and user.is_authenticated and product.proposed_by_id == user.pk)


def access_product_for_user(user: Any, slug: str, *, write: bool = False) -> Product:
    """A product by slug, with its supplier, catalogue asset and functions. Reading follows
    `can_see_product`; `write=True` (curation) needs programme staff."""
    product = (
        Product.objects.select_related("supplier", "catalogue_asset")
        .prefetch_related("functions")
        .filter(slug=slug)
        .first()
    )
    if product is None:
        raise Http404("No such product")
    if write:
        if not is_programme_staff(user):
            raise Http404("No such product")
    elif not can_see_product(user, product):
        raise Http404("No such product")
    return product


def access_proposed_product_for_staff(user: Any, slug: str) -> Product:
    """A product waiting for review, for programme staff."""
    if not is_programme_staff(user):
        raise Http404("No such product")
    product = (
        Product.objects.select_related("supplier")
        .filter(slug=slug, status=Product.Status.PROPOSED)
        .first()
    )
    if product is None:
        raise Http404("No such product")
    return product


def access_supplier(slug: str) -> Supplier:
    """A supplier by slug: suppliers are public."""
    supplier = Supplier.objects.filter(slug=slug).first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


def access_function(key: str) -> Function:
    """A function by key: the reference list is public."""
    function = Function.objects.filter(key=key).first()
    if function is None:
        raise Http404("No such function")
    return function
