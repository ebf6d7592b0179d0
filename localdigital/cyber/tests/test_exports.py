"""Exports of an assessment and its plan (CSV and XLSX) and the print-friendly summary: their
contents, the stamp of council, person and time, the audit events, access and query counts."""

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber import exports
from localdigital.cyber.models import PlanAction
from localdigital.cyber.services import plan as services
from localdigital.cyber.tests import test_gaps_fixtures as small

caf, profiled, answers = small.caf, small.profiled, small.answers


@pytest.fixture
def action(profiled, assessment, people, answers):
    action = services.action_create(
        actor=people["lead"],
        assessment=assessment,
        description='=HYPERLINK("https://evil.example") brief the board',
        owner=people["contributor"],
        target_date=timezone.localdate() + dt.timedelta(days=30),
        priority=PlanAction.Priority.HIGH,
        answer=answers["A1.a"],
    )
    services.progress_add(actor=people["contributor"], action=action, note="Paper drafted")
    return action


def export_url(assessment, fmt):
    return reverse("cyber:export", kwargs={"pk": assessment.pk, "fmt": fmt})


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_the_csv_carries_the_stamp_outcomes_and_plan(verified_client, people, assessment, action):
    response = verified_client(people["lead"]).get(export_url(assessment, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="HCK-caf-2026-')
    rows = read_csv(response.content)
    stamp = dict(row for row in rows[:8])
    assert stamp["Council"] == "Hackney Council"
    assert people["lead"].email in stamp["Exported by"]
    assert stamp["Exported at"].startswith(timezone.localdate().isoformat())
    assert stamp["Target profile"] == "Small baseline"
    header = rows.index(list(exports.OUTCOME_HEADERS))
    outcomes = {row[2]: row for row in rows[header + 1 : header + 6]}
    assert set(outcomes) == {"A1.a", "A1.b", "A2.a", "D1.a", "D1.b"}
    a1a = dict(zip(exports.OUTCOME_HEADERS, outcomes["A1.a"], strict=True))
    assert (a1a["Level"], a1a["Target"], a1a["Gap"]) == ("Not achieved", "Achieved", "Yes")
    assert a1a["Justification"] == "Because of A1.a"
    assert a1a["Evidence"] == "Policy for A1.a"
    assert a1a["Evidence links"] == "https://intranet.example/A1.a"
    assert people["contributor"].email in a1a["Owner"]
    assert outcomes["A2.a"][6] == "No"
    plan_header = rows.index(list(exports.ACTION_HEADERS))
    planned = dict(zip(exports.ACTION_HEADERS, rows[plan_header + 1], strict=True))
    assert planned["Outcome"] == "A1.a"
    # A cell that would run as a formula is written as text.
    assert planned["Description"].startswith("'=HYPERLINK")
    assert planned["Priority"] == "High"
    assert "Paper drafted" in planned["Progress notes"]
    assert planned["Target date"] == action.target_date.isoformat()


def test_the_xlsx_has_a_cover_sheet_with_the_stamp(verified_client, people, assessment, action):
    response = verified_client(people["approver"]).get(export_url(assessment, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Cover", "Outcomes", "Plan"]
    cover = {row[0]: row[1] for row in workbook["Cover"].iter_rows(values_only=True)}
    assert cover["Council"] == "Hackney Council"
    assert people["approver"].email in cover["Exported by"]
    assert cover["Exported at"].startswith(timezone.localdate().isoformat())
    outcomes = list(workbook["Outcomes"].iter_rows(values_only=True))
    assert outcomes[0] == exports.OUTCOME_HEADERS
    by_code = {row[2]: row for row in outcomes[1:]}
    assert by_code["A1.a"][4:7] == ("Not achieved", "Achieved", "Yes")
    plan = list(workbook["Plan"].iter_rows(values_only=True))
    assert plan[0] == exports.ACTION_HEADERS
    assert plan[1][1].startswith("'=HYPERLINK")  # text, not a formula
    assert plan[1][3].date() == action.target_date  # a real date cell


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_is_audited(verified_client, people, assessment, action, fmt):
    verified_client(people["staff"]).get(export_url(assessment, fmt))
    event = AuditEvent.objects.get(action="cyber.export")
    assert event.actor == people["staff"]
    assert event.data == {"file_format": fmt}
    assert event.organisation == assessment.cycle.organisation
    # Programme staff read from outside the council, so the read is audited too.
    assert AuditEvent.objects.filter(action="cyber.read", actor=people["staff"]).exists()


def test_an_unknown_format_is_refused(people, assessment):
    with pytest.raises(ApplicationError):
        services.assessment_export(actor=people["lead"], assessment=assessment, file_format="pdf")
    assert not AuditEvent.objects.filter(action="cyber.export").exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lead", 200),
        ("contributor", 200),
        ("approver", 200),
        ("assurer", 200),
        ("staff", 200),
        ("plain_member", 404),
        ("other_lead", 404),
        ("other_assurer", 404),
        ("no_council", 404),
    ],
)
@pytest.mark.parametrize("route", ["export", "summary"])
def test_who_may_export(verified_client, people, assessment, name, status, route):
    if route == "export":
        url = export_url(assessment, "csv")
    else:
        url = reverse("cyber:summary", kwargs={"pk": assessment.pk})
    assert verified_client(people[name]).get(url).status_code == status
    assert AuditEvent.objects.filter(action="cyber.export").exists() == (status == 200)


def test_an_anonymous_visitor_cannot_export(client, assessment):
    assert client.get(export_url(assessment, "csv")).status_code == 302
    assert client.get(reverse("cyber:summary", kwargs={"pk": assessment.pk})).status_code == 302
    assert not AuditEvent.objects.filter(action="cyber.export").exists()


def test_the_summary_is_stamped_and_has_no_navigation(verified_client, people, assessment, action):
    response = verified_client(people["lead"]).get(
        reverse("cyber:summary", kwargs={"pk": assessment.pk})
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".govuk-service-navigation") is None
    assert soup.select_one("header") is None
    assert soup.select_one("footer") is None
    stamp = soup.select_one("#stamp").get_text()
    assert "Hackney Council" in stamp
    assert people["lead"].email in stamp
    assert timezone.localdate().isoformat() in stamp
    assert soup.select_one("#summary-outcomes tr[data-outcome='A1.a']").get_text().count("Gap")
    assert "brief the board" in soup.select_one("#summary-actions").get_text()
    assert "govuk-!-display-none-print" in soup.select_one("a[href]").parent["class"]
    assert AuditEvent.objects.get(action="cyber.export").data == {"file_format": "print"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_make_the_same_number_of_queries_however_many_actions(
    verified_client, people, assessment, action, fmt
):
    browser = verified_client(people["lead"])
    with CaptureQueriesContext(connection) as one:
        assert browser.get(export_url(assessment, fmt)).status_code == 200
    for index in range(4):
        extra = services.action_create(
            actor=people["lead"], assessment=assessment, description=f"Action {index}"
        )
        services.progress_add(actor=people["lead"], action=extra, note="Started")
    with CaptureQueriesContext(connection) as five:
        assert browser.get(export_url(assessment, fmt)).status_code == 200
    assert len(five) == len(one)
