"""Estate pages: the product list and its curation (members propose, programme staff review and
change products). Routes are listed in `urlpatterns` and collected by estate/urls.py; they come
before the sector pages, so /products/propose/ is not read as a product's slug."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.access import is_programme_staff, is_sector_member
from localdigital.core.cache import public_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.estate.access import (
    access_product_for_user,
    access_proposed_product_for_staff,
)
from localdigital.estate.forms.products import (
    ProductEditForm,
    ProductFilterForm,
    ProductProposeForm,
    ProductReviewForm,
)
from localdigital.estate.models import Product
from localdigital.estate.selectors import sector as selectors
from localdigital.estate.services import products as product_services
from localdigital.estate.services import systems as system_services
from localdigital.estate.views.sector import page

PER_PAGE = 25


@require_GET
@public_page_cache
def product_list(request: HttpRequest) -> HttpResponse:
    """Approved products, searched by product or supplier name and filtered by function and
    supplier, 25 to a page, each with how many councils use it."""
    form = ProductFilterForm(request.GET or None)
    chosen = form.selected() if form.is_bound else {"query": "", "function": None, "supplier": None}
    found = selectors.product_find(**chosen)
    results = paginate(found, request, per_page=PER_PAGE)
    counts = selectors.product_council_counts([product.pk for product in results.object_list])
    return page(
        request,
        "product_list.html",
        {
            "form": form,
            "chosen": chosen,
            "results": results,
            "rows": [(product, counts[product.pk]) for product in results.object_list],
            "pagination": govuk_pagination(results, request),
            "suppressed_text": selectors.SUPPRESSED_TEXT,
            "has_errors": False,
            "is_member": is_sector_member(request.user),
            "is_staff": is_programme_staff(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_propose(request: HttpRequest) -> HttpResponse:
    """Propose a product for the shared list (any sector member); staff review it first."""
    if not is_sector_member(request.user):
        return page(request, "product_cannot_propose.html", {})
    form = ProductProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            product = system_services.product_propose(
                actor=request.user,
                supplier_name=form.cleaned_data["supplier_name"],
                name=form.cleaned_data["name"],
                functions=list(form.cleaned_data["functions"]),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Thank you: ‘{product.name}’ is proposed. The programme team will review it "
                "before it appears in the product list.",
            )
            return redirect("estate:product", slug=product.slug)
    return page(request, "product_propose.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def product_review(request: HttpRequest) -> HttpResponse:
    """Proposed products waiting for the programme team, each to approve or reject."""
    if not is_programme_staff(request.user):
        raise Http404("No such page")
    form = ProductReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        product = access_proposed_product_for_staff(request.user, form.cleaned_data["product"])
        approve = form.cleaned_data["decision"] == "approve"
        try:
            system_services.product_review(actor=request.user, product=product, approve=approve)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            verb = "approved: it now appears in the product list" if approve else "rejected"
            messages.success(request, f"‘{product.name}’ is {verb}.")
            return redirect("estate:product_review")
    proposed = (
        Product.objects.filter(status=Product.Status.PROPOSED)
        .select_related("supplier", "proposed_by")
        .prefetch_related("functions")
        .order_by("created_at", "pk")
    )
    return page(request, "product_review.html", {"form": form, "proposed": proposed})


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a product's facts (programme staff only)."""
    product = access_product_for_user(request.user, slug, write=True)
    form = ProductEditForm(
        request.POST if request.method == "POST" else None,
        initial=ProductEditForm.initial_for(product),
    )
    if request.method == "POST" and form.is_valid():
        try:
            product_services.product_update(
                actor=request.user, product=product, data=form.service_data()
            )
        except ApplicationError as error:
            product.refresh_from_db()
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(reverse("estate:product", kwargs={"slug": product.slug}))
    return page(request, "product_edit.html", {"form": form, "product": product})


urlpatterns: list[URLPattern] = [
    path("products/", product_list, name="products"),
    path("products/propose/", product_propose, name="product_propose"),
    path("products/review/", product_review, name="product_review"),
    path("products/<slug:slug>/edit/", product_edit, name="product_edit"),
]
