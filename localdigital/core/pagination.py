"""Pagination shared by every list page: a Django Page and the govukPagination parameters."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(items: Any, request: HttpRequest, *, per_page: int) -> Page:
    """The page named by `?page=` (the first for anything that is not a page number)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def govuk_pagination(page: Page, request: HttpRequest) -> dict[str, Any] | None:
    """Parameters for govukPagination, keeping the request's other query parameters (filters,
    search) on every link. None when everything fits on one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    params = request.GET.copy()

    def href(number: int) -> str:
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": href(int(number)), "current": number == page.number}
            )
    result: dict[str, Any] = {"items": items}
    if page.has_previous():
        result["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        result["next"] = {"href": href(page.next_page_number())}
    return result
