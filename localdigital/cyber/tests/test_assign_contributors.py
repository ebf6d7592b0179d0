"""Outcomes are assigned only to people who can then answer them: contributors and the CAF lead."""

import pytest
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, CyberRole, OutcomeAnswer
from localdigital.cyber.services import answers as answer_services
from localdigital.cyber.services.cycles import assessment_add_organisation
from localdigital.cyber.tests.pages import error_text, soup
from localdigital.organisations.tests.factories import MembershipFactory

Status = Assessment.Status


@pytest.fixture
def a1a(cycle, people):
    assessment = assessment_add_organisation(actor=people["lead"], cycle=cycle)
    return OutcomeAnswer.objects.select_related("node", "assessment__cycle__organisation").get(
        assessment=assessment, node__code="A1.a"
    )


def outcome_url(answer):
    return reverse("cyber:outcome", kwargs={"pk": answer.assessment_id, "node_code": "A1.a"})


@pytest.mark.parametrize("name", ["contributor", "lead"])
def test_an_outcome_can_be_assigned_to_a_contributor_or_the_lead(people, a1a, name):
    answer_services.answer_assign(actor=people["lead"], answer=a1a, contributor=people[name])
    a1a.refresh_from_db()
    assert a1a.assigned_to == people[name]


@pytest.mark.parametrize("name", ["approver", "plain_member", "other_lead", "assurer"])
def test_an_outcome_cannot_be_assigned_to_someone_who_could_not_answer_it(people, a1a, name):
    with pytest.raises(ApplicationError, match="Choose the CAF lead or a contributor") as raised:
        answer_services.answer_assign(actor=people["lead"], answer=a1a, contributor=people[name])
    assert raised.value.field == "contributor"
    a1a.refresh_from_db()
    assert a1a.assigned_to is None
    assert not AuditEvent.objects.filter(action="cyber.answer_assign").exists()


def test_the_assign_list_offers_only_contributors_and_the_lead(
    people, council, a1a, verified_client
):
    # Someone with both approver and contributor roles is offered; an approver only is not.
    both = MembershipFactory(organisation=council).user
    CyberRole.objects.create(organisation=council, user=both, role=CyberRole.Role.APPROVER)
    CyberRole.objects.create(organisation=council, user=both, role=CyberRole.Role.CONTRIBUTOR)
    client = verified_client(people["lead"])
    response = client.get(outcome_url(a1a))
    options = {o["value"] for o in soup(response).select("select[name=contributor] option")}
    expected = {"", str(people["lead"].pk), str(people["contributor"].pk), str(both.pk)}
    assert options == expected

    response = client.post(
        outcome_url(a1a), {"form": "assign", "contributor": str(people["approver"].pk)}
    )
    assert "Choose the CAF lead or a contributor" in error_text(response)
    a1a.refresh_from_db()
    assert a1a.assigned_to is None
