"""The Improvement and Implementation Plan: the services' rules, the pages, who may read and
change actions, bad input, audit events and query counts."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import ActionProgress, CyberRole, PlanAction
from localdigital.cyber.services import plan as services
from localdigital.cyber.tests import test_gaps_fixtures as small
from localdigital.cyber.tests.conftest import person_with_role

caf, profiled, answers = small.caf, small.profiled, small.answers

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def second_contributor(council):
    return person_with_role(council, CyberRole.Role.CONTRIBUTOR)


@pytest.fixture
def action(assessment, people, answers):
    """An action on the A1.a gap, owned by the contributor."""
    return services.action_create(
        actor=people["lead"],
        assessment=assessment,
        description="Brief the board on cyber risk",
        owner=people["contributor"],
        target_date=timezone.localdate() + dt.timedelta(days=30),
        priority=PlanAction.Priority.HIGH,
        answer=answers["A1.a"],
    )


# Services


def test_an_action_is_created_linked_to_its_outcome_and_audited(action, people, answers):
    assert action.answer == answers["A1.a"]
    assert action.created_by == people["lead"]
    event = AuditEvent.objects.get(action="cyber.action_create")
    assert event.actor == people["lead"]
    assert event.object_id == str(action.pk)
    assert event.organisation == action.assessment.cycle.organisation


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"description": "   "}, services.DESCRIPTION_REQUIRED, "description"),
        ({"description": "x" * 2001}, services.DESCRIPTION_TOO_LONG, "description"),
        ({"target_date": TODAY - dt.timedelta(days=1)}, services.TARGET_DATE_PAST, "target_date"),
        ({"priority": "urgent"}, services.PRIORITY_INVALID, "priority"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(assessment, people, changes, message, field):
    values = {
        "description": "Patch the firewalls",
        "owner": people["contributor"],
        "target_date": TODAY + dt.timedelta(days=10),
        "priority": PlanAction.Priority.LOW,
        **changes,
    }
    with pytest.raises(ApplicationError) as error:
        services.action_create(actor=people["lead"], assessment=assessment, today=TODAY, **values)
    assert (error.value.message, error.value.field) == (message, field)
    assert not PlanAction.objects.exists()
    assert not AuditEvent.objects.filter(action="cyber.action_create").exists()


@pytest.mark.parametrize("name", ["plain_member", "other_lead", "assurer", "staff"])
def test_the_owner_must_be_one_of_the_councils_cyber_people(assessment, people, name):
    with pytest.raises(ApplicationError) as error:
        services.action_create(
            actor=people["lead"],
            assessment=assessment,
            description="Patch the firewalls",
            owner=people[name],
        )
    assert error.value.message == services.OWNER_NOT_CYBER
    assert not PlanAction.objects.exists()


def test_an_outcome_of_another_assessment_is_refused(assessment, other_cycle, people, caf):
    from localdigital.cyber.models import Assessment, OutcomeAnswer
    from localdigital.frameworks.models import Node

    other = Assessment.objects.create(cycle=other_cycle, kind=Assessment.Kind.ORGANISATION)
    foreign = OutcomeAnswer.objects.create(
        assessment=other, node=Node.objects.get(framework=caf, code="A1.a")
    )
    with pytest.raises(ApplicationError) as error:
        services.action_create(
            actor=people["lead"], assessment=assessment, description="x", answer=foreign
        )
    assert error.value.message == services.ANSWER_NOT_IN_ASSESSMENT


def test_an_update_keeps_a_passed_date_but_refuses_a_new_past_one(action, people):
    PlanAction.objects.filter(pk=action.pk).update(
        target_date=timezone.localdate() - dt.timedelta(days=3),
        reminded_on=timezone.localdate(),
    )
    action.refresh_from_db()
    kept = services.action_update(
        actor=people["contributor"],
        action=action,
        description="Brief the board twice",
        owner=people["contributor"],
        target_date=action.target_date,
        priority=PlanAction.Priority.HIGH,
        status=PlanAction.Status.IN_PROGRESS,
    )
    assert kept.status == PlanAction.Status.IN_PROGRESS
    assert kept.reminded_on is not None  # same date: reminders carry on weekly
    with pytest.raises(ApplicationError) as error:
        services.action_update(
            actor=people["contributor"],
            action=action,
            description="Brief the board twice",
            owner=people["contributor"],
            target_date=timezone.localdate() - dt.timedelta(days=1),
            status=PlanAction.Status.IN_PROGRESS,
        )
    assert error.value.field == "target_date"
    moved = services.action_update(
        actor=people["lead"],
        action=action,
        description="Brief the board twice",
        owner=people["contributor"],
        target_date=timezone.localdate() + dt.timedelta(days=5),
        status=PlanAction.Status.IN_PROGRESS,
    )
    assert moved.reminded_on is None  # a new date starts the reminders afresh
    event = AuditEvent.objects.filter(action="cyber.action_update").last()
    assert event.data["after"]["status"] == "in_progress"


def test_a_bad_status_is_refused(action, people):
    with pytest.raises(ApplicationError) as error:
        services.action_update(
            actor=people["lead"], action=action, description="x", status="finished"
        )
    assert error.value.message == services.STATUS_INVALID
    action.refresh_from_db()
    assert action.status == PlanAction.Status.NOT_STARTED


def test_progress_notes_are_recorded_and_audited(action, people):
    services.progress_add(actor=people["contributor"], action=action, note="Board met on Monday")
    assert action.progress.get().note == "Board met on Monday"
    assert AuditEvent.objects.filter(action="cyber.action_progress").count() == 1
    with pytest.raises(ApplicationError) as error:
        services.progress_add(actor=people["contributor"], action=action, note="  ")
    assert error.value.message == services.NOTE_REQUIRED
    assert ActionProgress.objects.count() == 1


# Pages and access


def plan_url(assessment):
    return reverse("cyber:plan", kwargs={"pk": assessment.pk})


EVERYONE = [
    "lead",
    "owner",
    "non_owner",
    "approver",
    "plain_member",
    "other_lead",
    "assurer",
    "staff",
    "anonymous",
]
READERS = {"lead", "owner", "non_owner", "approver", "assurer", "staff"}
CHANGERS = {"lead", "owner"}


def sign_in(client, verified_client, people, second_contributor, name):
    if name == "anonymous":
        return client
    user = {
        "owner": people["contributor"],
        "non_owner": second_contributor,
    }.get(name) or people[name]
    return verified_client(user)


def expected(name, allowed):
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 404


@pytest.mark.parametrize("name", EVERYONE)
def test_who_may_read_the_plan(client, verified_client, people, second_contributor, action, name):
    browser = sign_in(client, verified_client, people, second_contributor, name)
    response = browser.get(plan_url(action.assessment))
    assert response.status_code == expected(name, READERS)
    if response.status_code == 200:
        soup = BeautifulSoup(response.content, "html.parser")
        row = soup.select_one(f"#action-{action.pk}")
        assert "Brief the board on cyber risk" in row.get_text()
        edit = reverse("cyber:action_edit", kwargs={"pk": action.pk})
        assert bool(row.select(f"a[href='{edit}']")) == (name in CHANGERS)
        add = reverse("cyber:action_add", kwargs={"pk": action.assessment_id})
        assert bool(soup.select(f"a[href='{add}']")) == (name == "lead")


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("route", ["cyber:action_edit", "cyber:action_progress"])
def test_only_the_lead_and_the_owner_may_change_an_action(
    client, verified_client, people, second_contributor, action, name, route
):
    browser = sign_in(client, verified_client, people, second_contributor, name)
    url = reverse(route, kwargs={"pk": action.pk})
    assert browser.get(url).status_code == expected(name, CHANGERS)
    data = {"note": "Done half", "description": "Changed", "priority": "low", "status": "done"}
    response = browser.post(url, data)
    assert response.status_code == (302 if name in CHANGERS | {"anonymous"} else 404)
    action.refresh_from_db()
    changed = action.description == "Changed" or action.progress.exists()
    assert changed == (name in CHANGERS)


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_lead_may_add_actions(
    client, verified_client, people, second_contributor, assessment, name
):
    browser = sign_in(client, verified_client, people, second_contributor, name)
    url = reverse("cyber:action_add", kwargs={"pk": assessment.pk})
    assert browser.get(url).status_code == expected(name, {"lead"})
    browser.post(url, {"description": "Write a policy", "priority": "medium"})
    assert PlanAction.objects.exists() == (name == "lead")


def test_add_to_the_plan_from_a_gap_is_prefilled_and_linked(
    verified_client, people, profiled, assessment, answers
):
    browser = verified_client(people["lead"])
    url = reverse("cyber:action_add", kwargs={"pk": assessment.pk})
    answer = answers["A1.a"]
    page = BeautifulSoup(browser.get(f"{url}?answer={answer.pk}").content, "html.parser")
    assert "A1.a" in page.select_one("textarea[name=description]").get_text()
    assert "Achieved" in page.select_one("textarea[name=description]").get_text()
    assert page.select_one("input[name=answer]")["value"] == str(answer.pk)
    owner = page.select_one("select[name=owner] option[selected]")
    assert owner["value"] == str(people["contributor"].pk)
    target = timezone.localdate() + dt.timedelta(days=60)
    response = browser.post(
        url,
        {
            "answer": answer.pk,
            "description": "Train the board",
            "owner": people["contributor"].pk,
            "target_date-day": target.day,
            "target_date-month": target.month,
            "target_date-year": target.year,
            "priority": "high",
        },
    )
    assert response.status_code == 302
    created = PlanAction.objects.get()
    assert (created.answer, created.owner, created.target_date) == (
        answer,
        people["contributor"],
        target,
    )


def test_the_add_form_shows_plain_errors_and_writes_nothing(verified_client, people, assessment):
    browser = verified_client(people["lead"])
    url = reverse("cyber:action_add", kwargs={"pk": assessment.pk})
    past = timezone.localdate() - dt.timedelta(days=2)
    response = browser.post(
        url,
        {
            "description": "Fix it",
            "owner": people["plain_member"].pk,
            "target_date-day": past.day,
            "target_date-month": past.month,
            "target_date-year": past.year,
            "priority": "medium",
        },
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".govuk-error-summary").get_text()
    assert services.OWNER_NOT_CYBER in summary
    assert services.TARGET_DATE_PAST in summary
    assert soup.title.get_text().startswith("Error:")
    response = browser.post(
        url,
        {
            "description": "",
            "target_date-day": past.day,
            "target_date-month": past.month,
            "target_date-year": past.year,
            "priority": "medium",
        },
    )
    summary = BeautifulSoup(response.content, "html.parser").select_one(".govuk-error-summary")
    assert services.DESCRIPTION_REQUIRED in summary.get_text()
    response = browser.post(
        url,
        {
            "description": "Fix it",
            "priority": "medium",
            "target_date-day": "31",
            "target_date-month": "2",
            "target_date-year": "2027",
        },
    )
    assert "must be a real date" in response.content.decode()
    response = browser.post(url, {"description": "Fix it", "priority": "medium", "answer": 999999})
    assert services.ANSWER_NOT_IN_ASSESSMENT in response.content.decode()
    assert not PlanAction.objects.exists()


def test_the_plan_page_makes_the_same_number_of_queries_however_many_actions(
    verified_client, people, assessment, action
):
    browser = verified_client(people["lead"])
    with CaptureQueriesContext(connection) as one:
        assert browser.get(plan_url(assessment)).status_code == 200
    for index in range(5):
        extra = services.action_create(
            actor=people["lead"],
            assessment=assessment,
            description=f"Action {index}",
            owner=people["approver"],
        )
        services.progress_add(actor=people["lead"], action=extra, note="Started")
    with CaptureQueriesContext(connection) as six:
        response = browser.get(plan_url(assessment))
    assert response.content.decode().count('data-action="') == 6
    assert len(six) == len(one)


def test_an_overdue_action_is_tagged(verified_client, people, action):
    PlanAction.objects.filter(pk=action.pk).update(
        target_date=timezone.localdate() - dt.timedelta(days=1)
    )
    response = verified_client(people["lead"]).get(plan_url(action.assessment))
    row = BeautifulSoup(response.content, "html.parser").select_one(f"#action-{action.pk}")
    assert "Overdue" in row.get_text()


def test_the_owner_can_mark_an_overdue_action_done_without_moving_its_date(
    verified_client, people, action
):
    past = timezone.localdate() - dt.timedelta(days=4)
    PlanAction.objects.filter(pk=action.pk).update(target_date=past)
    response = verified_client(people["contributor"]).post(
        reverse("cyber:action_edit", kwargs={"pk": action.pk}),
        {
            "description": action.description,
            "owner": people["contributor"].pk,
            "target_date-day": past.day,
            "target_date-month": past.month,
            "target_date-year": past.year,
            "priority": "high",
            "status": "done",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.target_date) == (PlanAction.Status.DONE, past)
