"""The staff-only audit log: a filtered list, one event's details and a CSV export."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdigital.audit import selectors
from localdigital.audit.forms import AuditFilterForm
from localdigital.audit.models import AuditEvent
from localdigital.audit.services import event_log
from localdigital.core.pagination import govuk_pagination, paginate

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


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    selectors.audit_log_access(request.user)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(filters=form.to_filters())
    page = paginate(events, request, per_page=PAGE_SIZE)
    context = {
        "nav_section": "audit",
        "form": form,
        "page": page,
        "pagination": govuk_pagination(page, request),
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
