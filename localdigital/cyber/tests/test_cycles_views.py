"""The cyber start page, starting a cycle, a cycle's page, the task list and the roles page."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer
from localdigital.cyber.services.cycles import assessment_add_organisation, assessment_add_system
from localdigital.cyber.tests.test_cycles_services import make_system
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def org_assessment(cycle, people):
    return assessment_add_organisation(actor=people["lead"], cycle=cycle)


# The start page.
def test_the_start_page_lists_the_leads_cycles_and_offers_a_new_one(
    verified_client, people, cycle, council
):
    page = soup(verified_client(people["lead"]).get(reverse("cyber:index")))
    links = {a["href"] for a in page.select("main a")}
    assert reverse("cyber:cycle", kwargs={"pk": cycle.pk}) in links
    assert reverse("cyber:cycle_start", kwargs={"code": council.code}) in links
    assert page.select_one(".govuk-header, .govuk-service-navigation") is not None


@pytest.mark.parametrize("name", ["plain_member", "other_lead", "no_council"])
def test_the_start_page_does_not_show_other_councils_cycles(verified_client, people, cycle, name):
    client = verified_client(people[name])
    response = client.get(reverse("cyber:index"))
    assert response.status_code == 200
    assert reverse("cyber:cycle", kwargs={"pk": cycle.pk}) not in response.content.decode()


def test_anonymous_visitors_get_the_explanation(client, db):
    response = client.get(reverse("cyber:index"))
    assert response.status_code == 200
    assert "Ask an admin of your council" in response.content.decode()


# Starting a cycle.
def test_the_lead_starts_a_cycle_in_the_browser(verified_client, people, caf, council):
    client = verified_client(people["lead"])
    url = reverse("cyber:cycle_start", kwargs={"code": council.code})
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": "2027", "framework": str(caf.pk), "profile": ""})
    cycle = Cycle.objects.get(organisation=council, year=2027)
    assert response["Location"] == reverse("cyber:cycle", kwargs={"pk": cycle.pk})
    assert cycle.assessments.get().kind == Assessment.Kind.ORGANISATION


def test_starting_a_second_cycle_for_the_year_shows_the_error(
    verified_client, people, caf, council, cycle
):
    client = verified_client(people["lead"])
    url = reverse("cyber:cycle_start", kwargs={"code": council.code})
    response = client.post(url, {"year": "2026", "framework": str(caf.pk)})
    page = soup(response)
    assert "already has a cycle for 2026/27" in page.select_one(".govuk-error-summary").text
    assert page.title.text.startswith("Error:")
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize("name", ["contributor", "plain_member", "other_lead", "staff"])
def test_only_the_lead_may_start_a_cycle(verified_client, people, caf, council, name):
    client = verified_client(people[name])
    url = reverse("cyber:cycle_start", kwargs={"code": council.code})
    assert client.get(url).status_code == 404
    assert client.post(url, {"year": "2027", "framework": str(caf.pk)}).status_code == 404
    assert not Cycle.objects.exists()


# A cycle.
def test_the_lead_adds_a_system_assessment_critical_systems_first(
    verified_client, people, cycle, council, org_assessment
):
    make_system(council, "Aardvark payroll")
    housing = make_system(council, "Housing", critical=True)
    client = verified_client(people["lead"])
    url = reverse("cyber:cycle", kwargs={"pk": cycle.pk})
    page = soup(client.get(url))
    options = [o.text for o in page.select("select[name=system] option")][1:]
    assert options == ["Housing (critical)", "Aardvark payroll"]
    response = client.post(url, {"system": str(housing.pk)})
    added = Assessment.objects.get(system=housing)
    assert response["Location"] == reverse("cyber:task_list", kwargs={"pk": added.pk})


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
def test_who_can_see_a_cycle_and_its_task_list(
    verified_client, people, cycle, org_assessment, name, status
):
    client = verified_client(people[name])
    assert client.get(reverse("cyber:cycle", kwargs={"pk": cycle.pk})).status_code == status
    url = reverse("cyber:task_list", kwargs={"pk": org_assessment.pk})
    assert client.get(url).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, cycle, org_assessment):
    response = client.get(reverse("cyber:task_list", kwargs={"pk": org_assessment.pk}))
    assert response.status_code == 302
    assert "sign-in" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("name", ["contributor", "assurer", "other_lead"])
def test_only_the_lead_adds_system_assessments(verified_client, people, cycle, council, name):
    system = make_system(council, "Housing")
    client = verified_client(people[name])
    response = client.post(reverse("cyber:cycle", kwargs={"pk": cycle.pk}), {"system": system.pk})
    assert response.status_code == 404
    assert not Assessment.objects.filter(system=system).exists()


# The task list.
def test_the_task_list_groups_outcomes_with_their_statuses(verified_client, people, org_assessment):
    answers = OutcomeAnswer.objects.filter(assessment=org_assessment).order_by("node__position")
    first, second, third = list(answers[:3])
    OutcomeAnswer.objects.filter(pk=first.pk).update(status="completed")
    OutcomeAnswer.objects.filter(pk=second.pk).update(status="in_progress")
    OutcomeAnswer.objects.filter(pk=third.pk).update(status="completed", needs_check=True)
    page = soup(
        verified_client(people["lead"]).get(
            reverse("cyber:task_list", kwargs={"pk": org_assessment.pk})
        )
    )
    assert [h.text.split(".")[0] for h in page.select("h2.govuk-heading-l")] == ["A", "D"]
    rows = page.select(".govuk-task-list__item")
    assert len(rows) == answers.count()
    statuses = [row.select_one(".govuk-task-list__status").text.strip() for row in rows]
    assert statuses[:4] == ["Completed", "In progress", "Check this still holds", "Not yet started"]
    assert "completed 1 of" in page.text
    assert rows[0].select_one("a")["href"] == reverse(
        "cyber:outcome", kwargs={"pk": org_assessment.pk, "node_code": first.node.code}
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_task_list_and_cycle_pages_make_a_constant_number_of_queries(
    verified_client, people, cycle, council, org_assessment
):
    client = verified_client(people["lead"])
    task_url = reverse("cyber:task_list", kwargs={"pk": org_assessment.pk})
    cycle_url = reverse("cyber:cycle", kwargs={"pk": cycle.pk})
    small = (_count(client, task_url), _count(client, cycle_url))
    for n in range(3):
        system = make_system(council, f"System {n}", critical=n == 0)
        assessment_add_system(actor=people["lead"], cycle=cycle, system=system)
        make_system(council, f"Unassessed {n}")
    OutcomeAnswer.objects.filter(assessment=org_assessment).update(
        assigned_to=people["contributor"], status="in_progress"
    )
    large = (_count(client, task_url), _count(client, cycle_url))
    assert small == large
    assert large[0] <= 12


# Roles.
@pytest.fixture
def admin(council):
    return MembershipFactory(organisation=council, role=Membership.Role.ADMIN).user


def test_an_admin_gives_and_removes_a_cyber_role(verified_client, admin, council, people):
    client = verified_client(admin)
    url = reverse("cyber:roles", kwargs={"code": council.code})
    page = soup(client.get(url))
    assert people["lead"].email in page.select_one("table").text
    response = client.post(url, {"user": people["plain_member"].pk, "role": "contributor"})
    assert response.status_code == 302
    role = CyberRole.objects.get(user=people["plain_member"])
    response = client.post(
        reverse("cyber:role_remove", kwargs={"code": council.code, "pk": role.pk})
    )
    assert response.status_code == 302
    assert not CyberRole.objects.filter(pk=role.pk).exists()


def test_giving_a_role_without_choosing_shows_errors(verified_client, admin, council):
    client = verified_client(admin)
    response = client.post(reverse("cyber:roles", kwargs={"code": council.code}), {})
    summary = soup(response).select_one(".govuk-error-summary").text
    assert "Choose a member of the council" in summary
    assert "Select a role" in summary


@pytest.mark.parametrize("name", ["lead", "plain_member", "other_lead", "staff"])
def test_only_the_councils_admins_manage_roles(verified_client, people, council, name):
    client = verified_client(people[name])
    url = reverse("cyber:roles", kwargs={"code": council.code})
    assert client.get(url).status_code == 404
    role = CyberRole.objects.get(user=people["contributor"])
    remove = reverse("cyber:role_remove", kwargs={"code": council.code, "pk": role.pk})
    assert client.post(remove).status_code == 404
    assert CyberRole.objects.filter(pk=role.pk).exists()


def test_a_council_admin_finds_the_roles_page_from_the_start_page(verified_client, admin, council):
    page = soup(verified_client(admin).get(reverse("cyber:index")))
    assert reverse("cyber:roles", kwargs={"code": council.code}) in {
        a["href"] for a in page.select("main a")
    }
