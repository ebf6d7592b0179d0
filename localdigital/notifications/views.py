"""A person's own notifications: the list, opening one, and marking them all as read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.notifications import selectors, services

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notification_list_for_user(user=request.user)
    page = paginate(notifications, request, per_page=PAGE_SIZE)
    context = {
        "nav_section": "notifications",
        "page": page,
        "pagination": govuk_pagination(page, request),
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
