"""An assessment and its Improvement and Implementation Plan as CSV and XLSX.

Every file starts with a stamp - the council, the assessment, who exported it and when - so a
copy that leaves the Hub still says whose it is (in CSV the first rows, in XLSX a cover sheet).
Text cells that a spreadsheet would run as a formula are written as text.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from localdigital.core.exports import csv_safe
from localdigital.cyber.models import Assessment, PlanAction
from localdigital.cyber.selectors.gaps import assessment_gaps
from localdigital.cyber.selectors.plan import plan_actions

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OUTCOME_HEADERS = (
    "Objective",
    "Principle",
    "Outcome",
    "Outcome title",
    "Level",
    "Target",
    "Gap",
    "Justification",
    "Evidence",
    "Evidence links",
    "Owner",
    "Due date",
)
ACTION_HEADERS = (
    "Outcome",
    "Description",
    "Owner",
    "Target date",
    "Priority",
    "Status",
    "Progress notes",
)


@dataclass
class ExportDocument:
    stamp: list[tuple[str, str]]
    outcomes: list[list[Any]]
    actions: list[list[Any]]


def person_name(user: Any) -> str:
    if user is None:
        return ""
    name = getattr(user, "full_name", "") or ""
    return f"{name} ({user.email})" if name else user.email


def stamp(assessment: Assessment, *, actor: Any, now: dt.datetime) -> list[tuple[str, str]]:
    """The rows that say whose assessment this is, who took the copy and when."""
    cycle = assessment.cycle
    return [
        ("Council", cycle.organisation.name),
        ("Assessment", str(assessment)),
        ("Framework", str(cycle.framework)),
        ("Target profile", cycle.profile.name if cycle.profile else "None"),
        ("Status", assessment.get_status_display()),
        ("Exported by", person_name(actor)),
        ("Exported at", timezone.localtime(now).strftime("%Y-%m-%d %H:%M %Z")),
        ("Confidential", "Only for the council's cyber team, its assurer and programme staff"),
    ]


def _date(value: dt.date | None) -> Any:
    return value if value else ""


def export_document(assessment: Assessment, *, actor: Any, now: dt.datetime) -> ExportDocument:
    """The stamp, a row per outcome and a row per plan action: five queries."""
    gaps = assessment_gaps(assessment)
    outcomes: list[list[Any]] = []
    for outcome in gaps.outcomes:
        answer = outcome.answer
        outcomes.append(
            [
                outcome.objective.code,
                outcome.principle.code,
                outcome.node.code,
                outcome.node.title,
                outcome.level_label,
                outcome.target_label,
                "Yes" if outcome.gap else "No",
                answer.justification if answer else "",
                answer.evidence_text if answer else "",
                " ".join(str(link) for link in (answer.evidence_links or [])) if answer else "",
                person_name(answer.owner) if answer else "",
                _date(answer.due_date) if answer else "",
            ]
        )
    actions: list[list[Any]] = []
    action: PlanAction
    for action in plan_actions(assessment):
        notes = " | ".join(
            f"{timezone.localtime(p.created_at):%Y-%m-%d} {p.note}" for p in action.progress.all()
        )
        actions.append(
            [
                action.answer.node.code if action.answer else "",
                action.description,
                person_name(action.owner),
                _date(action.target_date),
                action.get_priority_display(),
                action.get_status_display(),
                notes,
            ]
        )
    return ExportDocument(
        stamp=stamp(assessment, actor=actor, now=now), outcomes=outcomes, actions=actions
    )


def _text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(value)


def write_csv(document: ExportDocument) -> str:
    """One file in three blocks: the stamp, the outcomes and the plan, with a blank row and a
    heading row between them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for key, value in document.stamp:
        writer.writerow([key, _text(value)])
    writer.writerow([])
    writer.writerow(["Outcomes"])
    writer.writerow(OUTCOME_HEADERS)
    for row in document.outcomes:
        writer.writerow([_text(value) for value in row])
    writer.writerow([])
    writer.writerow(["Improvement and Implementation Plan"])
    writer.writerow(ACTION_HEADERS)
    for row in document.actions:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    # Dates stay real date cells; text never becomes a formula.
    if isinstance(value, dt.date):
        return value
    return csv_safe(value)


def write_xlsx(document: ExportDocument) -> bytes:
    """A workbook with a cover sheet (the stamp), an Outcomes sheet and a Plan sheet."""
    workbook = Workbook()
    cover: Any = workbook.active
    cover.title = "Cover"
    for key, value in document.stamp:
        cover.append([key, _cell(value)])
    for row in cover.iter_rows(min_col=1, max_col=1):
        row[0].font = Font(bold=True)
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 70
    for title, headers, rows in (
        ("Outcomes", OUTCOME_HEADERS, document.outcomes),
        ("Plan", ACTION_HEADERS, document.actions),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
