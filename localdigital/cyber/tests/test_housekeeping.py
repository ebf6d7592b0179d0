"""Reminders of overdue plan actions: once a week at most, to owners still on the council's
cyber team, from the daily run (service, command and task), with a set clock."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.cyber.models import CyberRole, PlanAction
from localdigital.cyber.services.housekeeping import cyber_housekeeping_run
from localdigital.cyber.tests import test_gaps_fixtures as small
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership

caf = small.caf

DUE = dt.date(2026, 11, 30)


@pytest.fixture
def overdue(assessment, people):
    return PlanAction.objects.create(
        assessment=assessment,
        description="Test the backups",
        owner=people["contributor"],
        target_date=DUE,
        status=PlanAction.Status.IN_PROGRESS,
    )


def reminders(user):
    return Notification.objects.filter(recipient=user, kind="cyber.action_overdue")


def test_nothing_is_sent_before_or_on_the_target_date(overdue, people):
    assert cyber_housekeeping_run(today=DUE) == "0 overdue plan actions reminded"
    assert not reminders(people["contributor"]).exists()


def test_the_owner_is_reminded_once_a_week_while_it_stays_overdue(
    overdue, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert cyber_housekeeping_run(today=DUE + dt.timedelta(days=1)).startswith("1 ")
    assert len(callbacks) == 1  # the email goes after the commit
    note = reminders(people["contributor"]).get()
    assert "30 November 2026" in note.title
    assert note.url == reverse("cyber:plan", kwargs={"pk": overdue.assessment_id})
    assert note.organisation == overdue.assessment.cycle.organisation
    overdue.refresh_from_db()
    assert overdue.reminded_on == DUE + dt.timedelta(days=1)
    for days in range(2, 8):  # the next six days: no more reminders
        cyber_housekeeping_run(today=DUE + dt.timedelta(days=days))
    assert reminders(people["contributor"]).count() == 1
    cyber_housekeeping_run(today=DUE + dt.timedelta(days=8))  # a week after the first
    assert reminders(people["contributor"]).count() == 2
    cyber_housekeeping_run(today=DUE + dt.timedelta(days=8))  # the same day again
    assert reminders(people["contributor"]).count() == 2


@pytest.mark.parametrize("status", [PlanAction.Status.DONE, PlanAction.Status.CANCELLED])
def test_done_or_cancelled_actions_are_not_chased(overdue, people, status):
    PlanAction.objects.filter(pk=overdue.pk).update(status=status)
    cyber_housekeeping_run(today=DUE + dt.timedelta(days=3))
    assert not reminders(people["contributor"]).exists()


def test_actions_without_an_owner_or_date_are_skipped(assessment, people):
    PlanAction.objects.create(assessment=assessment, description="No owner", target_date=DUE)
    PlanAction.objects.create(
        assessment=assessment, description="No date", owner=people["contributor"]
    )
    assert cyber_housekeeping_run(today=DUE + dt.timedelta(days=3)).startswith("0 ")
    assert not Notification.objects.exists()


def test_an_owner_who_left_the_cyber_team_or_the_council_is_not_sent_the_plan(
    overdue, people, council
):
    CyberRole.objects.filter(user=people["contributor"]).delete()
    cyber_housekeeping_run(today=DUE + dt.timedelta(days=3))
    assert not Notification.objects.exists()
    CyberRole.objects.create(
        organisation=council, user=people["contributor"], role=CyberRole.Role.CONTRIBUTOR
    )
    Membership.objects.filter(user=people["contributor"]).update(status=Membership.Status.REMOVED)
    cyber_housekeeping_run(today=DUE + dt.timedelta(days=3))
    assert not Notification.objects.exists()


def test_a_run_with_nothing_to_send_makes_a_fixed_number_of_queries(assessment, people):
    # Nothing to send: a fixed number of queries however many actions there are.
    for index in range(5):
        PlanAction.objects.create(
            assessment=assessment,
            description=f"Later {index}",
            owner=people["contributor"],
            target_date=DUE + dt.timedelta(days=30),
        )
    with CaptureQueriesContext(connection) as queries:
        cyber_housekeeping_run(today=DUE)
    assert len(queries) <= 3  # the select, inside a savepoint


def test_the_command_runs_with_a_set_day(overdue, people):
    out = io.StringIO()
    call_command("cyber_housekeeping", "--today", "2026-12-05", stdout=out)
    assert "1 overdue plan actions reminded" in out.getvalue()
    assert reminders(people["contributor"]).count() == 1
    with pytest.raises(CommandError):
        call_command("cyber_housekeeping", "--today", "yesterday")


def test_the_task_runs_the_same_housekeeping(overdue, people):
    from localdigital.cyber.tasks import cyber_housekeeping

    assert "overdue plan actions reminded" in cyber_housekeeping.call()
