"""The programme team's view of the Declaration: coverage, commitments, overdue reports."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from localdigital.core.access import is_programme_staff
from localdigital.core.pagination import govuk_pagination, paginate
from localdigital.declaration import selectors
from localdigital.declaration.reminders import commitment_reminders_send

PAGE_SIZE = 50


def _staff_only(request: HttpRequest) -> None:
    # 404, not 403: the page's address tells nobody else that it exists.
    if not is_programme_staff(request.user):
        raise Http404("No such page")


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Coverage by region and council type, commitments by principle, and overdue reports."""
    _staff_only(request)
    now = timezone.now()
    overdue = paginate(
        selectors.commitments_overdue(today=timezone.localdate()), request, per_page=PAGE_SIZE
    )
    return render(
        request,
        "declaration/programme/overview.html",
        {
            "nav_section": "declaration",
            "coverage": selectors.council_coverage(),
            "by_region": selectors.coverage_by("region"),
            "by_type": selectors.coverage_by("la_type_name"),
            "by_principle": selectors.commitments_by_principle(),
            "overdue": overdue,
            "pagination": govuk_pagination(overdue, request),
            "due_a_reminder": selectors.commitments_due_a_reminder(now=now).count(),
            "reminder_cutoff": now - selectors.REMINDER_INTERVAL,
        },
    )


@require_POST
def send_reminders(request: HttpRequest) -> HttpResponse:
    """Remind the admins of each commitment with an overdue report (at most every 14 days)."""
    _staff_only(request)
    result = commitment_reminders_send(actor=request.user)
    if result.reminded:
        count = len(result.reminded)
        people = result.notifications
        messages.success(
            request,
            f"Reminders sent for {count} commitment{'s' if count != 1 else ''} "
            f"to {people} {'people' if people != 1 else 'person'}.",
        )
    else:
        messages.success(
            request,
            "No reminders were sent. Every overdue commitment has been reminded in the last "
            "14 days, or has no admin to remind.",
        )
    return redirect("declaration:programme")
