"""The private page cache (core/cache.py, ADR 0013) on the cyber pages it serves: a signed-in
person's own rendering, never anyone else's, never stale after an audited write, and never
skipping the audit of a read from outside the council."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.audit.services import event_log


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.HUB_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lead_client(client, verified_client, people, assessment):
    """The CAF lead of the assessment's council, signed in with a second factor and holding a
    CSRF cookie, as any browser that has seen a form here does."""
    signed_in = verified_client(people["lead"])
    signed_in.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return signed_in


def task_list_url(assessment):
    return reverse("cyber:task_list", kwargs={"pk": assessment.pk})


def test_a_signed_in_person_gets_their_own_cached_rendering_the_second_time(
    lead_client, assessment, django_assert_max_num_queries
):
    first = lead_client.get(task_list_url(assessment))
    assert first["X-Hub-Cache"] == "miss"
    # Session, person, second factor, data version, unread count: no page queries.
    with django_assert_max_num_queries(7):
        second = lead_client.get(task_list_url(assessment))
    assert second["X-Hub-Cache"] == "hit"
    assert second.content == first.content


def test_another_person_never_gets_someone_elses_rendering(
    lead_client, client, verified_client, people, assessment
):
    lead_client.get(task_list_url(assessment))
    lead_client.logout()
    other = verified_client(people["other_lead"])
    other.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = other.get(task_list_url(assessment))
    assert response.status_code == 404
    assert response.get("X-Hub-Cache") != "hit"


def test_an_audited_write_shows_at_once(lead_client, people, assessment):
    lead_client.get(task_list_url(assessment))
    assert lead_client.get(task_list_url(assessment))["X-Hub-Cache"] == "hit"
    assessment.system_name = "Renamed system"
    assessment.save()
    event_log(actor=people["lead"], action="cyber.test", summary="Renamed", obj=assessment)
    fresh = lead_client.get(task_list_url(assessment))
    assert fresh["X-Hub-Cache"] == "miss"


def test_a_waiting_message_is_never_hidden_by_the_cache(lead_client, assessment):
    lead_client.get(task_list_url(assessment))
    lead_client.cookies["messages"] = "anything"
    assert lead_client.get(task_list_url(assessment)).get("X-Hub-Cache") != "hit"


def test_without_a_csrf_cookie_the_page_is_rendered_fresh(lead_client, assessment):
    del lead_client.cookies[settings.CSRF_COOKIE_NAME]
    lead_client.get(task_list_url(assessment))
    assert "X-Hub-Cache" not in lead_client.get(task_list_url(assessment))


def test_every_read_from_outside_the_council_is_audited_even_with_the_cache(
    client, verified_client, people, assessment
):
    staff = verified_client(people["staff"])
    staff.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    before = AuditEvent.objects.count()
    for _ in range(3):
        response = staff.get(task_list_url(assessment))
        assert response.status_code == 200
        assert response["X-Hub-Cache"] == "miss"
    assert AuditEvent.objects.count() == before + 3
