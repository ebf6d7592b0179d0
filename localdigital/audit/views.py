"""The staff-only audit log: a filtered list, one event's details and a CSV export."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdigital.audit import selectors
from localdigital.audit.forms import AuditFilterForm
from localdigital.audit.models import AuditEvent
from localdigital.audit.services import event_log

PAGE_SIZE = 50
CSV_COLUMNS = [
    "id",
    "created_at",
    "action",
    "actor_email",
    "organisation_code",
    "object_type",
    "object_id",
    "summary",
    "ip_address",
]


def pagination_params(page: Page, form: AuditFilterForm) -> dict[str, Any]:
    """Parameters for govukPagination that keep the current filters on every link."""

    def href(number: int) -> str:
        return "?" + form.query_string(page=number)

    items: list[dict[str, Any]] = []
    last = page.paginator.num_pages
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": href(int(number)), "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items if last > 1 else []}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    selectors.audit_log_access(request.user)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(filters=form.to_filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_section": "audit",
        "form": form,
        "page": page,
        "pagination": pagination_params(page, form),
        "export_query": form.query_string(),
        "has_errors": form.is_bound and bool(form.errors),
    }
    return render(request, "audit/list.html", context)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.audit_event_get(user=request.user, pk=pk)
    data_rows = [
        (str(key), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in sorted((event.data or {}).items())
    ]
    context = {"nav_section": "audit", "event": event, "data_rows": data_rows}
    return render(request, "audit/detail.html", context)


def _csv_safe(value: Any) -> str:
    # Spreadsheets run cells that start with these characters as formulas.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    event: AuditEvent
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _csv_safe(cell)
                for cell in (
                    event.pk,
                    timezone.localtime(event.created_at).isoformat(),
                    event.action,
                    event.actor_email,
                    event.organisation.code if event.organisation else "",
                    event.object_type,
                    event.object_id,
                    event.summary,
                    event.ip_address,
                )
            ]
        )


@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV. Exporting the log is itself recorded in the log."""
    selectors.audit_log_access(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filters()
    event_log(
        actor=request.user,
        action="audit.export",
        summary="Exported the audit log as CSV",
        data={"query": form.query_string()},
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    events = selectors.audit_event_list(filters=filters)
    filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
