"""What the assurer fetches to assure is audited like a read, once a request."""

import pytest
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Assessment
from localdigital.cyber.tests.test_workflow import make_answers, set_status

Status = Assessment.Status


@pytest.fixture
def answers(assessment):
    return make_answers(assessment)


def test_the_assurers_pages_and_reviews_each_leave_one_read_event(
    people, assessment, answers, verified_client
):
    set_status(assessment, Status.UNDER_ASSURANCE)
    client = verified_client(people["assurer"])

    def reads():
        return AuditEvent.objects.filter(action="cyber.read", actor=people["assurer"]).count()

    assert client.get(reverse("cyber:assurance", args=[assessment.pk])).status_code == 200
    assert reads() == 1
    answer = answers[0]
    code = answer.node.code.replace(".", "-")
    url = reverse("cyber:assure_outcome", args=[assessment.pk, answer.node.code])
    # A mistake re-renders every outcome: audited.
    response = client.post(url, {f"{code}-agrees": "no", f"{code}-comment": ""})
    assert response.status_code == 400
    assert reads() == 2
    event = AuditEvent.objects.filter(action="cyber.read").latest("pk")
    assert event.object_id == str(assessment.pk)
    assert event.organisation_id == assessment.cycle.organisation_id
    response = client.post(url, {f"{code}-agrees": "yes"})
    assert response.status_code == 302
    assert reads() == 3
    assert AuditEvent.objects.filter(action="cyber.assure_outcome").count() == 1
