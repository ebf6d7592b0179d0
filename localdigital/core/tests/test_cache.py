"""The public page cache: same pages for visitors without a session, never stale after a write."""

import pytest
from django.core.cache import cache

from localdigital.audit.services import event_log


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.HUB_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_a_visitor_without_a_session_gets_the_cached_page_the_second_time(
    client, council, django_assert_num_queries
):
    first = client.get(council.get_absolute_url())
    assert first["X-Hub-Cache"] == "miss"
    # The data version, inside the request's savepoint and its release.
    with django_assert_num_queries(3):
        second = client.get(council.get_absolute_url())
    assert second["X-Hub-Cache"] == "hit"
    assert second.content == first.content


def test_an_audited_write_makes_the_next_visitor_see_fresh_data(client, council):
    client.get("/")
    assert client.get("/")["X-Hub-Cache"] == "hit"
    council.short_name = "Renamed"
    council.save()
    event_log(actor=None, action="organisation.update", summary="Renamed", obj=council)
    fresh = client.get(council.get_absolute_url())
    assert fresh["X-Hub-Cache"] == "miss"
    assert b"Renamed" in fresh.content


def test_signed_in_people_always_get_their_own_rendering(client, member, council):
    client.force_login(member)
    client.get(council.get_absolute_url())
    response = client.get(council.get_absolute_url())
    assert "X-Hub-Cache" not in response


def test_visitors_with_a_session_cookie_or_a_token_are_not_served_from_the_cache(client, council):
    client.get("/")
    client.cookies["sessionid"] = "anything"
    assert "X-Hub-Cache" not in client.get("/")
    del client.cookies["sessionid"]
    assert "X-Hub-Cache" not in client.get("/", HTTP_AUTHORIZATION="Bearer ldh_x_y")


def test_api_responses_are_cached_per_requested_format(client, council):
    json_first = client.get("/api/v1/organisations/", HTTP_ACCEPT="application/json")
    json_again = client.get("/api/v1/organisations/", HTTP_ACCEPT="application/json")
    html = client.get("/api/v1/organisations/", HTTP_ACCEPT="text/html")
    assert json_first["X-Hub-Cache"] == "miss"
    assert json_again["X-Hub-Cache"] == "hit"
    assert json_again.json() == json_first.json()
    assert html["X-Hub-Cache"] == "miss"
    assert html["Content-Type"].startswith("text/html")


def test_pages_that_are_not_found_are_never_stored(client, db):
    client.get("/organisations/NOPE/")
    response = client.get("/organisations/NOPE/")
    assert response.status_code == 404
    assert response.get("X-Hub-Cache") != "hit"
