"""The cyber API asks browser sessions for two-factor, as the pages do; a token acts as its
owner."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Assessment
from localdigital.pipeline.tests.test_api import auth

Status = Assessment.Status

LIST = "/api/v1/cyber/assessments/"
BENCHMARK = "/api/v1/cyber/benchmark/"
BACKUPS = "/api/v1/cyber/readiness/offline-backups/"


def api_urls(assessment):
    return [
        LIST,
        f"{LIST}{assessment.pk}/",
        f"{LIST}{assessment.pk}/plan/",
        BENCHMARK,
        BACKUPS,
    ]


def test_a_password_only_session_of_a_caf_lead_is_refused_by_every_cyber_api(
    client, people, assessment
):
    client.force_login(people["lead"])
    for url in api_urls(assessment):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "two-factor" in response.json()["detail"], url


def test_a_two_factor_session_of_a_caf_lead_reads_every_cyber_api(
    verified_client, people, assessment
):
    client = verified_client(people["lead"])
    for url in api_urls(assessment):
        assert client.get(url).status_code == 200, url
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [assessment.pk]


def test_a_token_still_works_without_a_two_factor_session(client, people, assessment):
    headers = auth(people["lead"])
    for url in api_urls(assessment):
        assert client.get(url, **headers).status_code == 200, url


@pytest.mark.parametrize("name", ["assurer", "staff", "approver", "contributor"])
def test_other_people_who_must_use_two_factor_are_refused_a_password_only_session(
    client, people, assessment, name
):
    client.force_login(people[name])
    assert client.get(f"{LIST}{assessment.pk}/").status_code == 403
    assert not AuditEvent.objects.filter(action="cyber.read").exists()


def test_the_offline_backup_figure_stays_public(client, caf):
    assert client.get(BACKUPS).status_code == 200
