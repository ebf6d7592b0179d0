"""Recent Pipeline activity on the start page: new items, status updates and partnerships formed
from accepted interest, as far as the viewer may see them."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from localdigital.organisations.tests.factories import OrganisationFactory
from localdigital.pipeline.models import Item, Partnership, StatusUpdate
from localdigital.pipeline.selectors.activity import (
    NEW_ITEM,
    PARTNERSHIP,
    STATUS_UPDATE,
    recent_activity,
)
from localdigital.pipeline.tests.factories import (
    ItemFactory,
    PartnershipFactory,
    StatusUpdateFactory,
)
from localdigital.pipeline.tests.find_support import item_pages, soup  # noqa: F401

pytestmark = pytest.mark.usefixtures("item_pages")

HOME = reverse("core:home")
T0 = timezone.now() - dt.timedelta(days=5)


def at(hours):
    return T0 + dt.timedelta(hours=hours)


def dated(obj, hours):
    type(obj).objects.filter(pk=obj.pk).update(created_at=at(hours))
    return obj


@pytest.fixture
def story(council, other_council):
    """A public item and a members-only one from Hackney, with an update each and a partner
    that joined through interest; and a Hackney draft."""
    public = ItemFactory(organisation=council, title="Public work", published_at=at(0))
    members = ItemFactory(
        organisation=council,
        title="Members work",
        visibility=Item.Visibility.MEMBERS,
        published_at=at(1),
    )
    draft = ItemFactory(organisation=council, title="Draft work", visibility=Item.Visibility.DRAFT)
    dated(StatusUpdateFactory(item=public, title="Public update"), 2)
    dated(StatusUpdateFactory(item=members, title="Members update"), 3)
    dated(StatusUpdateFactory(item=draft, title="Draft update"), 4)
    dated(
        PartnershipFactory(
            item=public, organisation=other_council, source=Partnership.Source.INTEREST
        ),
        5,
    )
    # Partners the owner added are not news.
    dated(PartnershipFactory(item=public, source=Partnership.Source.OWNER), 6)
    return {"public": public, "members": members, "draft": draft}


def describe(events):
    return [
        (
            event.kind,
            event.update.title
            if event.update
            else (event.partner.short_name if event.partner else event.item.title),
        )
        for event in events
    ]


def test_anonymous_visitors_see_activity_on_public_items_newest_first(story):
    events = recent_activity(AnonymousUser())

    assert describe(events) == [
        (PARTNERSHIP, "Cambridge"),
        (STATUS_UPDATE, "Public update"),
        (NEW_ITEM, "Public work"),
    ]


def test_sector_members_also_see_members_only_items(story, other_admin):
    events = recent_activity(other_admin)

    assert describe(events) == [
        (PARTNERSHIP, "Cambridge"),
        (STATUS_UPDATE, "Members update"),
        (STATUS_UPDATE, "Public update"),
        (NEW_ITEM, "Members work"),
        (NEW_ITEM, "Public work"),
    ]


def test_the_owning_council_sees_updates_on_its_drafts_but_a_draft_is_never_new(story, member):
    events = describe(recent_activity(member))

    assert (STATUS_UPDATE, "Draft update") in events
    assert (NEW_ITEM, "Draft work") not in events


def test_activity_is_limited_to_the_newest_entries(council):
    for hours in range(8):
        ItemFactory(organisation=council, title=f"Item {hours}", published_at=at(hours))
        dated(StatusUpdateFactory(item=Item.objects.get(title=f"Item {hours}")), hours + 0.5)

    events = recent_activity(AnonymousUser(), limit=4)

    assert describe(events) == [
        (STATUS_UPDATE, StatusUpdate.objects.order_by("-created_at")[0].title),
        (NEW_ITEM, "Item 7"),
        (STATUS_UPDATE, StatusUpdate.objects.order_by("-created_at")[1].title),
        (NEW_ITEM, "Item 6"),
    ]


def test_activity_takes_the_same_number_of_queries_however_much_happened(
    council, django_assert_num_queries
):
    def happen():
        item = ItemFactory(organisation=council)
        StatusUpdateFactory(item=item)
        PartnershipFactory(
            item=item, organisation=OrganisationFactory(), source=Partnership.Source.INTEREST
        )

    happen()
    with django_assert_num_queries(3):
        recent_activity(AnonymousUser())
    for _ in range(12):
        happen()
    with django_assert_num_queries(3):
        assert len(recent_activity(AnonymousUser())) == 10


def test_the_start_page_shows_the_latest_pipeline_activity(client, story):
    page = soup(client.get(HOME))

    entries = [li.get_text(" ", strip=True) for li in page.select("#pipeline-activity li")]
    assert entries[0].startswith("Cambridge joined Public work , led by Hackney")
    assert entries[1].startswith("Hackney posted an update on Public work : Public update")
    assert entries[2].startswith("Hackney shared a new project: Public work")
    assert len(entries) == 3
    links = page.select("#pipeline-activity a")
    assert links[1]["href"].endswith(
        "#update-" + str(StatusUpdate.objects.get(title="Public update").pk)
    )
    assert page.select_one("a[href='/pipeline/']") is not None


def test_the_start_page_says_when_nothing_has_been_shared(client, db):
    page = soup(client.get(HOME))

    assert (
        "Nothing has been shared in the Pipeline yet."
        in page.select_one("#pipeline-activity").get_text()
    )
