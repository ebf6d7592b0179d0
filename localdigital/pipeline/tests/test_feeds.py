"""Atom and JSON feeds of new public Pipeline items and their status updates."""

import datetime as dt
import json
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from localdigital.pipeline.feeds import ATOM_CONTENT_TYPE, JSON_FEED_CONTENT_TYPE
from localdigital.pipeline.models import Item
from localdigital.pipeline.selectors.activity import FEED_LIMIT
from localdigital.pipeline.tests.factories import (
    ItemFactory,
    ServiceAreaFactory,
    StatusUpdateFactory,
    TagFactory,
)
from localdigital.pipeline.tests.find_support import item_pages  # noqa: F401

pytestmark = pytest.mark.usefixtures("item_pages")

ATOM = "{http://www.w3.org/2005/Atom}"
HOST = "testserver"
T0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)


def atom(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == ATOM_CONTENT_TYPE
    return ET.fromstring(response.content)  # noqa: S314 - the Hub's own feed, in a test


def json_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_FEED_CONTENT_TYPE
    return json.loads(response.content)


def entry_titles(root):
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def feed_path(name="feed", fmt="atom", **kwargs):
    return reverse(f"pipeline:{name}", kwargs={**kwargs, "fmt": fmt})


@pytest.fixture
def activity(council, other_council):
    """Public, members-only and draft items, each with a status update, at known times."""
    housing = ServiceAreaFactory(key="housing", name="Housing")
    repairs = TagFactory(slug="repairs", name="repairs")
    public = ItemFactory(
        organisation=council,
        title="Repairs <reporting> & more",
        summary="Tenants report repairs online.",
        service_area=housing,
        published_at=T0,
        last_activity_at=T0,
    )
    public.tags.add(repairs)
    members = ItemFactory(
        organisation=council,
        title="Members only work",
        visibility=Item.Visibility.MEMBERS,
        published_at=T0 + dt.timedelta(hours=1),
    )
    draft = ItemFactory(organisation=council, title="Draft work", visibility=Item.Visibility.DRAFT)
    other = ItemFactory(
        organisation=other_council, title="Cambridge work", published_at=T0 + dt.timedelta(hours=2)
    )
    update = StatusUpdateFactory(item=public, title="Alpha finished", body="We *finished* alpha.")
    for item in (members, draft):
        StatusUpdateFactory(item=item, title=f"Update on {item.title}")
    for when, obj in ((T0 + dt.timedelta(days=1), update),):
        type(obj).objects.filter(pk=obj.pk).update(created_at=when, updated_at=when)
    update.refresh_from_db()
    return {"public": public, "other": other, "update": update, "tag": repairs, "area": housing}


def test_the_atom_feed_lists_new_public_items_and_updates_newest_first(client, activity):
    root = atom(client, feed_path())

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Local Digital Pipeline: new items and updates"
    assert entry_titles(root) == [
        "Repairs <reporting> & more: Alpha finished",
        "New project: Cambridge work",
        "New project: Repairs <reporting> & more",
    ]
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"http://{HOST}/pipeline/feed.atom"
    assert root.findtext(f"{ATOM}updated") == activity["update"].updated_at.astimezone(
        dt.UTC
    ).isoformat().replace("+00:00", "Z")


def test_an_atom_entry_has_a_stable_id_link_dates_author_and_categories(client, activity):
    item = activity["public"]
    root = atom(client, feed_path())

    entry = root.findall(f"{ATOM}entry")[-1]
    assert entry.findtext(f"{ATOM}id") == (
        f"tag:{HOST},{timezone.localdate(T0):%Y-%m-%d}:pipeline/items/{item.pk}"
    )
    assert entry.find(f"{ATOM}link").get("href") == f"http://{HOST}{item.get_absolute_url()}"
    published = entry.findtext(f"{ATOM}published")
    assert published == T0.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert entry.findtext(f"{ATOM}updated") == published
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Hackney"
    assert entry.findtext(f"{ATOM}content") == "Tenants report repairs online."
    assert "Housing" in entry.findtext(f"{ATOM}summary")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["repairs"]


def test_an_update_entry_links_to_the_update_on_the_item_page(client, activity):
    update = activity["update"]
    root = atom(client, feed_path())

    entry = root.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}id").endswith(f":pipeline/updates/{update.pk}")
    assert entry.find(f"{ATOM}link").get("href").endswith(f"#update-{update.pk}")
    assert entry.findtext(f"{ATOM}content") == "We *finished* alpha."


def test_entry_ids_do_not_change_when_an_item_is_renamed(client, activity):
    before = [e.findtext(f"{ATOM}id") for e in atom(client, feed_path()).findall(f"{ATOM}entry")]
    Item.objects.filter(pk=activity["public"].pk).update(title="A new name", slug="a-new-name")

    after = [e.findtext(f"{ATOM}id") for e in atom(client, feed_path()).findall(f"{ATOM}entry")]

    assert after == before


def test_the_atom_feed_escapes_text_and_is_well_formed(client, activity):
    response = client.get(feed_path())

    assert b"Repairs &lt;reporting&gt; &amp; more" in response.content
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_the_json_feed_follows_json_feed_1_1(client, activity):
    document = json_feed(client, feed_path(fmt="json"))

    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"http://{HOST}/pipeline/feed.json"
    assert document["home_page_url"] == f"http://{HOST}/pipeline/"
    assert {"title", "description", "language", "items"} <= set(document)
    first = document["items"][0]
    assert set(first) == {
        "id",
        "url",
        "title",
        "summary",
        "content_text",
        "date_published",
        "date_modified",
        "authors",
        "tags",
    }
    assert first["title"] == "Repairs <reporting> & more: Alpha finished"
    assert first["authors"] == [{"name": "Hackney"}]
    assert first["tags"] == ["repairs"]
    atom_ids = [e.findtext(f"{ATOM}id") for e in atom(client, feed_path()).findall(f"{ATOM}entry")]
    assert [entry["id"] for entry in document["items"]] == atom_ids


@pytest.mark.parametrize("fmt", ["atom", "json"])
@pytest.mark.parametrize("scope", ["all", "area", "organisation", "tag"])
def test_no_feed_ever_shows_drafts_or_members_only_items(
    client, verified_client, activity, member, fmt, scope
):
    # Even a member of the owning council, signed in, gets the public feed.
    verified_client(member)
    kwargs = {
        "all": ("feed", {}),
        "area": ("service_area_feed", {"key": "housing"}),
        "organisation": ("organisation_feed", {"code": "HCK"}),
        "tag": ("tag_feed", {"slug": "repairs"}),
    }[scope]

    body = client.get(feed_path(kwargs[0], fmt=fmt, **kwargs[1])).content.decode()

    assert "Members only work" not in body
    assert "Draft work" not in body


def test_the_service_area_feed_has_only_that_areas_items(client, activity):
    root = atom(client, feed_path("service_area_feed", key="housing"))

    assert root.findtext(f"{ATOM}title") == "Local Digital Pipeline: Housing"
    assert "New project: Cambridge work" not in entry_titles(root)
    assert len(entry_titles(root)) == 2


def test_the_organisation_feed_has_only_that_organisations_items(client, activity):
    root = atom(client, feed_path("organisation_feed", code="CAM"))

    assert entry_titles(root) == ["New project: Cambridge work"]
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("?organisation=CAM")


def test_the_tag_feed_has_only_items_with_that_tag(client, activity):
    document = json_feed(client, feed_path("tag_feed", fmt="json", slug="repairs"))

    assert [entry["title"] for entry in document["items"]] == [
        "Repairs <reporting> & more: Alpha finished",
        "New project: Repairs <reporting> & more",
    ]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("service_area_feed", {"key": "nowhere"}),
        ("organisation_feed", {"code": "NOPE"}),
        ("tag_feed", {"slug": "nothing"}),
    ],
)
def test_a_feed_for_something_that_does_not_exist_is_not_found(client, db, name, kwargs):
    assert client.get(feed_path(name, **kwargs)).status_code == 404


def test_an_empty_feed_is_still_valid(client, db):
    root = atom(client, feed_path())

    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated")


def test_a_feed_has_the_latest_fifty_entries_in_a_constant_number_of_queries(
    client, council, django_assert_num_queries
):
    for number in range(FEED_LIMIT + 5):
        ItemFactory(organisation=council, published_at=T0 + dt.timedelta(minutes=number))
    with django_assert_num_queries(5):
        # Savepoint, items, their tags, updates (none, so no tags to read for them), release.
        response = client.get(feed_path())

    root = ET.fromstring(response.content)  # noqa: S314 - the Hub's own feed, in a test
    assert len(root.findall(f"{ATOM}entry")) == FEED_LIMIT
    StatusUpdateFactory.create_batch(3, item=Item.objects.first())
    with django_assert_num_queries(6):
        client.get(feed_path(fmt="json"))
