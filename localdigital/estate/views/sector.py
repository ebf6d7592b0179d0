"""Estate pages: sector intelligence. Routes are listed in `urlpatterns` and collected by
estate/urls.py.

Anyone may see the front page, function pages (market share, hosting mix), product facts and
supplier pages; which councils use a product, contract end dates and satisfaction are for
signed-in sector members. Visitors without a session get the public rendering from the page
cache.
"""

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdigital.core.access import active_organisation_ids, is_programme_staff
from localdigital.core.cache import public_page_cache
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.core.rendering import render_page
from localdigital.core.sections import sections_for
from localdigital.estate.access import (
    access_function,
    access_product_for_user,
    access_supplier,
)
from localdigital.estate.forms.products import ProductFilterForm
from localdigital.estate.models import Hosting, Product
from localdigital.estate.selectors import sector as selectors
from localdigital.organisations.models import Organisation

NAV = "estate"
COUNCILS_PER_PAGE = 100


page = partial(render_page, nav_section=NAV, template_dir="estate")


def viewer(request: HttpRequest) -> dict[str, Any]:
    """Who is looking: their councils (one query) and whether they are a sector member."""
    own = active_organisation_ids(request.user)
    staff = is_programme_staff(request.user)
    return {"own_ids": own, "is_staff": staff, "is_member": staff or bool(own)}


def _product_link(row: selectors.Bar) -> str:
    return reverse("estate:product", kwargs={"slug": row.key})


@require_GET
@public_page_cache
def index(request: HttpRequest) -> HttpResponse:
    """What the register is, each function with how many councils record it, product search and
    (for members) a link to their council's register."""
    who = viewer(request)
    councils = (
        Organisation.objects.filter(pk__in=who["own_ids"]).only("code", "name").order_by("name")
        if who["own_ids"]
        else []
    )
    return page(
        request,
        "sector_index.html",
        {
            "counts": selectors.function_counts(),
            "search": ProductFilterForm(),
            "councils": councils,
            "suppressed_text": selectors.SUPPRESSED_TEXT,
            **who,
        },
    )


@require_GET
@public_page_cache
def function(request: HttpRequest, key: str) -> HttpResponse:
    """A function's market share by product (SVG bar chart and table) and hosting mix."""
    data = selectors.function_page(access_function(key))
    return page(
        request,
        "sector_function.html",
        {"data": data, "function": data.function, "product_link": _product_link},
    )


@require_GET
@public_page_cache
def product(request: HttpRequest, slug: str) -> HttpResponse:
    """A product's facts and how many councils use it; for sector members, which councils,
    their contract end dates by year and the satisfaction distribution."""
    who = viewer(request)
    item = access_product_for_user(request.user, slug)
    data = selectors.product_page(item, member=who["is_member"], today=timezone.localdate())
    councils = (
        paginate(data.users, request, per_page=COUNCILS_PER_PAGE)
        if data.users is not None
        else None
    )
    return page(
        request,
        "sector_product.html",
        {
            "product": item,
            "data": data,
            "councils": councils,
            "councils_pagination": govuk_pagination(councils, request) if councils else None,
            "approved": item.status == Product.Status.APPROVED,
            "functions": list(item.functions.all()),
            "hosting_labels": [
                label for value, label in Hosting.choices if value in item.hosting_models
            ],
            "sections": sections_for("estate_product", request, item),
            "today": timezone.localdate(),
            **who,
        },
    )


@require_GET
@public_page_cache
def supplier(request: HttpRequest, slug: str) -> HttpResponse:
    """A supplier's approved products, each with how many councils use it."""
    item = access_supplier(slug)
    return page(
        request,
        "sector_supplier.html",
        {
            "supplier": item,
            "products": selectors.supplier_products(item),
            "suppressed_text": selectors.SUPPRESSED_TEXT,
        },
    )


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("functions/<slug:key>/", function, name="function"),
    path("products/<slug:slug>/", product, name="product"),
    path("suppliers/<slug:slug>/", supplier, name="supplier"),
]
