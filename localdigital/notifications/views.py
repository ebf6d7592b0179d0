"""A person's own notifications: the list, opening one, and marking them all as read."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from localdigital.notifications import selectors, services

PAGE_SIZE = 25


def pagination_params(page: Page) -> dict[str, Any]:
    """Parameters for govukPagination."""
    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": f"?page={number}", "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items if page.paginator.num_pages > 1 else []}
    if page.has_previous():
        params["previous"] = {"href": f"?page={page.previous_page_number()}"}
    if page.has_next():
        params["next"] = {"href": f"?page={page.next_page_number()}"}
    return params


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notification_list_for_user(user=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_section": "notifications",
        "page": page,
        "pagination": pagination_params(page),
        "unread_count": selectors.notification_unread_count(user=request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification as read, then go to what it is about."""
    notification = selectors.access_notification_for_user(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    # Only follow links within the Hub: a notification must never become an open redirect.
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = services.notification_mark_all_read(actor=request.user)
    if changed:
        messages.success(request, "All your notifications are marked as read")
    return redirect("notifications:list")
