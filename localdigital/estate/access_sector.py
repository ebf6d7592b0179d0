"""Access helpers for the sector pages and product curation (to move into core/access.py).

They raise Http404 both when a record is missing and when the person may not see it.
"""

from typing import Any

from django.http import Http404

from localdigital.core.access import is_programme_staff
from localdigital.estate.models import Function, Product, Supplier


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
