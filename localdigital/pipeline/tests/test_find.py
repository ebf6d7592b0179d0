"""Finding Pipeline items: /pipeline/ with search, filters, sorting and pages, seen by each
kind of visitor."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline import filters as f
from localdigital.pipeline.models import Item
from localdigital.pipeline.selectors.find import (
    PAGE_SIZE,
    filter_options,
    filters_q,
    item_matches_filters,
)
from localdigital.pipeline.tests.factories import ItemFactory, ServiceAreaFactory
from localdigital.pipeline.tests.find_support import item_pages, soup  # noqa: F401

LIST = reverse("pipeline:list")
UPDATED = timezone.now().replace(hour=12) - dt.timedelta(days=3)

pytestmark = pytest.mark.usefixtures("item_pages")


def titles(page):
    return [a.get_text(strip=True) for a in page.select("#results h3 a")]


def count_text(page):
    return page.select_one("#results-count").get_text(strip=True)


def fixed_scores(monkeypatch, scores):
    """Stand in for the matcher's index with known relevance scores for every search."""
    monkeypatch.setattr(
        "localdigital.pipeline.matching.search.search_scores", lambda text: dict(scores)
    )


@pytest.fixture
def housing(db):
    return ServiceAreaFactory(key="housing", name="Housing")


@pytest.fixture
def send(db):
    return ServiceAreaFactory(key="education-and-send", name="Education and SEND")


@pytest.fixture
def visibility_items(council, other_council):
    """One item of each visibility in each of two councils."""
    made = {}
    for organisation, prefix in ((council, "Hackney"), (other_council, "Cambridge")):
        for visibility in Item.Visibility.values:
            made[f"{prefix} {visibility}"] = ItemFactory(
                organisation=organisation,
                title=f"{prefix} {visibility} item",
                visibility=visibility,
            )
    return made


# Who sees what


def test_anonymous_visitor_finds_only_public_items(client, visibility_items):
    page = soup(client.get(LIST))

    assert sorted(titles(page)) == ["Cambridge public item", "Hackney public item"]
    assert count_text(page) == "2 items"


def test_member_of_another_council_finds_members_only_items_but_no_drafts(
    client, verified_client, visibility_items, other_admin
):
    verified_client(other_admin)

    found = sorted(titles(soup(client.get(LIST))))

    assert found == [
        "Cambridge draft item",
        "Cambridge members item",
        "Cambridge public item",
        "Hackney members item",
        "Hackney public item",
    ]


def test_member_finds_their_own_organisations_drafts(
    client, verified_client, visibility_items, member
):
    verified_client(member)

    found = titles(soup(client.get(LIST)))

    assert "Hackney draft item" in found
    assert "Cambridge draft item" not in found


def test_programme_staff_find_members_only_items_but_no_drafts(
    client, verified_client, visibility_items, programme_staff
):
    verified_client(programme_staff)

    found = titles(soup(client.get(LIST)))

    assert "Hackney members item" in found
    assert not [title for title in found if "draft" in title]


def test_search_never_finds_a_draft_of_another_organisation(
    client, verified_client, visibility_items, other_admin, monkeypatch
):
    fixed_scores(monkeypatch, {item.pk: 1.0 for item in visibility_items.values()})
    verified_client(other_admin)

    found = titles(soup(client.get(LIST, {"q": "item"})))

    assert "Hackney draft item" not in found
    assert "Hackney members item" in found


def test_archived_items_are_hidden_unless_asked_for(client, council):
    ItemFactory(organisation=council, title="Current work")
    ItemFactory(
        organisation=council,
        title="Old work",
        status=Item.Status.ARCHIVED,
        archived_at=timezone.now(),
    )

    assert titles(soup(client.get(LIST))) == ["Current work"]
    shown = soup(client.get(LIST, {"archived": "true"}))
    assert sorted(titles(shown)) == ["Current work", "Old work"]
    archived = shown.select_one("#results li:-soup-contains('Old work')")
    assert "Archived" in archived.get_text()


# A result


def test_each_result_shows_what_the_item_is_who_leads_it_and_when_it_was_updated(
    client, council, housing
):
    item = ItemFactory(
        organisation=council,
        title="Housing repairs reporting",
        summary="Tenants report repairs online.",
        kind=Item.Kind.PROBLEM,
        service_area=housing,
        phase=Item.Phase.ALPHA,
        collaboration_level=Item.CollaborationLevel.SEEKING_PARTNERS,
        last_activity_at=UPDATED,
    )

    page = soup(client.get(LIST))

    result = page.select_one(f"#item-{item.pk}")
    assert result.h3.a["href"] == item.get_absolute_url()
    assert result.h3.a.get_text(strip=True) == "Housing repairs reporting"
    assert [tag.get_text(strip=True) for tag in result.select(".govuk-tag")] == ["Problem"]
    text = result.get_text(" ", strip=True)
    assert "Tenants report repairs online." in text
    assert f"Hackney · Housing · Alpha · Seeking partners · Updated {UPDATED:%-d %B %Y}" in text


def test_an_item_past_its_review_date_says_when_it_was_last_reviewed(client, council):
    reviewed = timezone.now() - dt.timedelta(days=120)
    ItemFactory(organisation=council, title="Forgotten work", last_activity_at=reviewed)
    ItemFactory(organisation=council, title="Fresh work")

    page = soup(client.get(LIST))

    stale = page.select_one("#results li:-soup-contains('Forgotten work') .govuk-tag--orange")
    assert stale.get_text(strip=True) == f"Not reviewed since {reviewed:%-d %B %Y}"
    fresh = page.select_one("#results li:-soup-contains('Fresh work')")
    assert fresh.select(".govuk-tag--orange") == []


def test_a_search_that_matches_nothing_says_so(client, council):
    ItemFactory(organisation=council, kind=Item.Kind.PROJECT)

    page = soup(client.get(LIST, {"kind": "idea"}))

    assert count_text(page) == "0 items"
    assert page.select_one("#no-results").get_text(strip=True) == "No items match your search."
    assert page.select_one("#results") is None


# Text search and its order


def test_text_search_finds_an_item_another_council_posted(
    client, verified_client, council, other_admin
):
    ItemFactory(
        organisation=council,
        title="Housing repairs reporting",
        summary="Tenants report repairs online.",
        search_text="housing repairs reporting tenants report repairs online hackney",
    )
    ItemFactory(organisation=council, title="Parking permits", search_text="parking permits")
    verified_client(other_admin)

    page = soup(client.get(LIST, {"q": "repairs"}))

    assert titles(page) == ["Housing repairs reporting"]
    assert count_text(page) == "1 item matching ‘repairs’"


def test_search_results_come_best_match_first(client, council, monkeypatch):
    weak = ItemFactory(organisation=council, title="Weak match")
    strong = ItemFactory(organisation=council, title="Strong match")
    ItemFactory(organisation=council, title="No match")
    fixed_scores(monkeypatch, {weak.pk: 0.2, strong.pk: 0.9})

    page = soup(client.get(LIST, {"q": "anything"}))

    assert titles(page) == ["Strong match", "Weak match"]
    assert page.select_one("#id_sort option[selected]")["value"] == "relevance"


def test_equally_relevant_results_come_most_recently_updated_first(client, council, monkeypatch):
    now = timezone.now()
    older = ItemFactory(organisation=council, title="Older", last_activity_at=now - dt.timedelta(1))
    newer = ItemFactory(organisation=council, title="Newer", last_activity_at=now)
    fixed_scores(monkeypatch, {older.pk: 0.5, newer.pk: 0.5})

    assert titles(soup(client.get(LIST, {"q": "anything"}))) == ["Newer", "Older"]


def test_search_results_can_be_sorted_by_title_instead_of_relevance(client, council, monkeypatch):
    zebra = ItemFactory(organisation=council, title="Zebra crossings")
    apple = ItemFactory(organisation=council, title="apple orchards")
    fixed_scores(monkeypatch, {zebra.pk: 0.9, apple.pk: 0.1})

    found = titles(soup(client.get(LIST, {"q": "anything", "sort": "title"})))

    assert found == ["apple orchards", "Zebra crossings"]


def test_without_search_words_the_list_is_most_recently_updated_first(client, council):
    now = timezone.now()
    ItemFactory(organisation=council, title="Middle", last_activity_at=now - dt.timedelta(2))
    ItemFactory(organisation=council, title="Latest", last_activity_at=now)
    ItemFactory(organisation=council, title="Oldest", last_activity_at=now - dt.timedelta(9))

    page = soup(client.get(LIST))

    assert titles(page) == ["Latest", "Middle", "Oldest"]
    assert page.select_one("#id_sort option[selected]")["value"] == "updated"


def test_newest_sort_lists_the_most_recently_added_first(client, council):
    first = ItemFactory(organisation=council, title="Added first")
    second = ItemFactory(organisation=council, title="Added second")
    Item.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    # Updating the first item again does not make it new.
    Item.objects.filter(pk=first.pk).update(last_activity_at=timezone.now())
    assert second.pk

    assert titles(soup(client.get(LIST, {"sort": "newest"}))) == ["Added second", "Added first"]


def test_relevance_sort_without_search_words_falls_back_to_recently_updated(client, council):
    now = timezone.now()
    ItemFactory(organisation=council, title="Older", last_activity_at=now - dt.timedelta(3))
    ItemFactory(organisation=council, title="Newer", last_activity_at=now)

    assert titles(soup(client.get(LIST, {"sort": "relevance"}))) == ["Newer", "Older"]


# Filters


@pytest.fixture
def varied(db, housing, send):
    """Items that differ in one way each from a plain project."""
    essex = OrganisationFactory(
        code="ESS", short_name="Essex", region="East of England", la_type="CTY"
    )
    leeds = OrganisationFactory(code="LDS", short_name="Leeds", region="Yorkshire", la_type="MD")
    old = timezone.now() - dt.timedelta(days=400)
    return {
        "plain": ItemFactory(organisation=leeds, title="Plain", service_area=housing),
        "idea": ItemFactory(organisation=leeds, title="Idea", kind=Item.Kind.IDEA),
        "essex": ItemFactory(organisation=essex, title="Essex work", service_area=send),
        "beta": ItemFactory(organisation=leeds, title="Beta", phase=Item.Phase.BETA),
        "funding": ItemFactory(
            organisation=leeds,
            title="Funding",
            collaboration_level=Item.CollaborationLevel.SHARE_FUNDING,
            budget_band=Item.BudgetBand.FROM_100K,
        ),
        "old": ItemFactory(organisation=leeds, title="Old", last_activity_at=old),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "idea"}, ["Idea"]),
        ({"kind": ["idea", "project"]}, ["Beta", "Essex work", "Funding", "Idea", "Old", "Plain"]),
        ({"organisation": "ESS"}, ["Essex work"]),
        ({"region": "East of England"}, ["Essex work"]),
        ({"council_type": "CTY"}, ["Essex work"]),
        ({"service_area": "housing"}, ["Plain"]),
        ({"phase": "beta"}, ["Beta"]),
        ({"collaboration_level": "share_funding"}, ["Funding"]),
        ({"budget_band": "100k-250k"}, ["Funding"]),
        ({"updated": "30"}, ["Beta", "Essex work", "Funding", "Idea", "Plain"]),
        ({"updated": "older"}, ["Old"]),
        ({"region": "Yorkshire", "phase": "beta", "kind": "project"}, ["Beta"]),
    ],
)
def test_each_filter_narrows_the_list(client, varied, params, expected):
    page = soup(client.get(LIST, params))

    assert sorted(titles(page)) == expected


def test_the_filter_panel_offers_the_organisations_that_lead_visible_items(client, varied, council):
    ItemFactory(organisation=council, visibility=Item.Visibility.DRAFT)

    page = soup(client.get(LIST))

    options = [o["value"] for o in page.select("#id_organisation option")]
    assert options == ["", "ESS", "LDS"]


def test_an_organisation_with_no_items_yet_is_still_a_valid_filter(client, varied, council):
    page = soup(client.get(LIST, {"organisation": council.code}))

    assert page.select_one(".govuk-error-summary") is None
    assert count_text(page) == "0 items"
    assert page.select_one("#id_organisation option[selected]")["value"] == "HCK"


def test_chosen_filters_are_listed_with_links_that_remove_each_one(client, varied):
    page = soup(client.get(LIST, {"q": "work", "phase": ["alpha", "beta"], "sort": "title"}))

    chosen = page.select("#selected-filters li")
    assert [li.get_text(" ", strip=True).split(" Remove")[0] for li in chosen] == [
        "Search: ‘work’",
        "Phase: Alpha",
        "Phase: Beta",
    ]
    remove_beta = parse_qs(urlsplit(chosen[2].a["href"]).query)
    assert remove_beta == {"q": ["work"], "phase": ["alpha"], "sort": ["title"]}
    remove_search = parse_qs(urlsplit(chosen[0].a["href"]).query)
    assert remove_search == {"phase": ["alpha", "beta"], "sort": ["title"]}
    assert chosen[2].a.select_one(".govuk-visually-hidden").get_text(strip=True) == (
        "filter Phase: Beta"
    )


def test_removing_the_last_filter_links_to_the_whole_list(client, varied):
    page = soup(client.get(LIST, {"phase": "beta"}))

    assert page.select_one("#selected-filters li a")["href"] == LIST


def test_the_filter_form_keeps_the_choices_made(client, varied):
    page = soup(client.get(LIST, {"q": "x", "phase": "beta", "archived": "true"}))

    assert page.select_one("#id_q")["value"] == "x"
    assert page.select_one("input[name=phase][value=beta]").has_attr("checked")
    assert page.select_one("input[name=archived]").has_attr("checked")


# Bad input


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"phase": "finished"}, f.CHOOSE_PHASE),
        ({"kind": "plan"}, f.CHOOSE_KIND),
        ({"organisation": "NOPE"}, f.CHOOSE_ORGANISATION),
        ({"region": "Atlantis"}, f.CHOOSE_REGION),
        ({"council_type": "XYZ"}, f.CHOOSE_COUNCIL_TYPE),
        ({"service_area": "space"}, f.CHOOSE_SERVICE_AREA),
        ({"collaboration_level": "maybe"}, f.CHOOSE_COLLABORATION),
        ({"budget_band": "lots"}, f.CHOOSE_BUDGET),
        ({"updated": "yesterday"}, f.CHOOSE_UPDATED),
        ({"sort": "random"}, f.CHOOSE_SORT),
        ({"q": "x" * 201}, f.Q_TOO_LONG),
    ],
)
def test_a_value_the_list_does_not_know_gets_a_clear_message_not_an_error(
    client, varied, params, message
):
    response = client.get(LIST, {**params, "kind": params.get("kind", "project")})

    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None
    assert message in summary.get_text()
    assert page.title.get_text().startswith("Error: ")
    # Everything else still applies.
    if "kind" not in params:
        assert "Idea" not in titles(page)


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, varied):
    page = soup(client.get(LIST, {"page": "last-but-one"}))

    assert len(titles(page)) == 6


# Pages


def test_results_come_in_pages_with_govuk_pagination_keeping_the_filters(client, council):
    for number in range(PAGE_SIZE + 5):
        ItemFactory(organisation=council, title=f"Item {number:02d}", phase=Item.Phase.ALPHA)

    first = soup(client.get(LIST, {"phase": "alpha", "sort": "title"}))
    second = soup(client.get(LIST, {"phase": "alpha", "sort": "title", "page": 2}))

    assert len(titles(first)) == PAGE_SIZE
    assert titles(second) == [f"Item {number:02d}" for number in range(PAGE_SIZE, PAGE_SIZE + 5)]
    next_link = first.select_one(".govuk-pagination__next a")["href"]
    assert parse_qs(urlsplit(next_link).query) == {
        "phase": ["alpha"],
        "sort": ["title"],
        "page": ["2"],
    }
    assert count_text(second) == f"{PAGE_SIZE + 5} items"


def test_search_results_come_in_pages_too(client, council, monkeypatch):
    items = [ItemFactory(organisation=council) for _ in range(PAGE_SIZE + 3)]
    fixed_scores(monkeypatch, {item.pk: 1.0 + index for index, item in enumerate(items)})

    second = soup(client.get(LIST, {"q": "work", "page": 2}))

    assert titles(second) == [item.title for item in reversed(items[:3])]


# Queries


def _list_queries(client, django_assert_num_queries, params, expected):
    with django_assert_num_queries(expected):
        response = client.get(LIST, params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"phase": "alpha", "region": "London", "kind": "project", "sort": "title"},
        {"q": "work", "phase": "alpha", "region": "London", "service_area": "housing"},
    ],
)
def test_the_list_makes_the_same_number_of_queries_however_many_items(
    client, council, housing, monkeypatch, django_assert_num_queries, params
):
    scores: dict[int, float] = {}
    fixed_scores(monkeypatch, scores)

    def add(count):
        for _ in range(count):
            item = ItemFactory(organisation=council, phase=Item.Phase.ALPHA, service_area=housing)
            scores[item.pk] = 0.5
        ItemFactory(organisation=OrganisationFactory())

    add(2)
    # The request's savepoint and its release; options: organisations, regions and types,
    # service areas; results: the count (or the ranked ids), then the page's items.
    _list_queries(client, django_assert_num_queries, params, 7)
    add(30)
    _list_queries(client, django_assert_num_queries, params, 7)


def test_a_signed_in_member_adds_only_the_queries_for_their_session_and_memberships(
    client, verified_client, council, member, django_assert_num_queries
):
    for _ in range(3):
        ItemFactory(organisation=council)
    verified_client(member)
    client.get(LIST)

    # Session, person, second factor; savepoint; two membership reads (the visibility rule);
    # three filter choices; count; page; unread notifications; release.
    with django_assert_num_queries(13) as context:
        client.get(LIST)
    ItemFactory.create_batch(20, organisation=council)
    with django_assert_num_queries(len(context.captured_queries)):
        client.get(LIST)


# The search as a value


def test_the_same_search_written_in_another_order_is_the_same_query_string(db):
    options = filter_options(Q())
    one = f.parse_filters("phase=beta&kind=idea&phase=alpha&q=  send   transport ", options=options)
    two = f.parse_filters("q=send+transport&phase=alpha&phase=beta&kind=idea", options=options)

    assert one.to_filters().to_query() == two.to_filters().to_query()
    assert one.to_filters().to_query() == "q=send+transport&kind=idea&phase=alpha&phase=beta"


def test_the_page_number_and_sort_are_not_part_of_a_search(db):
    filters = f.ItemFilters(q="housing", sort="title")

    assert filters.to_query() == "q=housing"
    assert f.ItemFilters(sort="title").active is False


MATCH_CASES = [
    f.ItemFilters(),
    f.ItemFilters(kinds=["idea"]),
    f.ItemFilters(kinds=["project"], phases=["alpha"]),
    f.ItemFilters(organisations=["ESS"]),
    f.ItemFilters(regions=["Yorkshire"]),
    f.ItemFilters(council_types=["CTY", "MD"]),
    f.ItemFilters(service_areas=["housing"]),
    f.ItemFilters(collaboration_levels=["share_funding"]),
    f.ItemFilters(budget_bands=["100k-250k", "unknown"]),
    f.ItemFilters(updated="7"),
    f.ItemFilters(updated="older"),
    f.ItemFilters(include_archived=True),
]


@pytest.mark.parametrize("filters", MATCH_CASES)
def test_the_python_check_of_one_item_agrees_with_the_sql_filter(varied, filters):
    now = timezone.now()
    Item.objects.filter(pk=varied["idea"].pk).update(status=Item.Status.ARCHIVED, archived_at=now)
    in_sql = set(Item.objects.filter(filters_q(filters, now=now)).values_list("pk", flat=True))
    in_python = {
        item.pk
        for item in Item.objects.select_related("organisation", "service_area")
        if item_matches_filters(item, filters, now=now)
    }

    assert in_python == in_sql


def test_feeds_are_offered_to_browsers_and_people_on_the_list_page(client, varied):
    page = soup(client.get(LIST, {"service_area": "housing"}))

    alternates = {(link["type"], link["href"]) for link in page.select("head link[rel=alternate]")}
    assert ("application/atom+xml", reverse("pipeline:feed", kwargs={"fmt": "atom"})) in alternates
    assert ("application/feed+json", "/pipeline/service-areas/housing/feed.json") in alternates
    assert page.select_one("#feeds a[href='/pipeline/feed.atom']") is not None


def test_anonymous_visitors_are_offered_to_sign_in_to_save_a_search(client, varied):
    page = soup(client.get(LIST, {"phase": "beta"}))

    link = page.select_one("#save-search a")
    assert link.get_text(strip=True) == "Sign in to save this search"
    assert QueryDict(urlsplit(link["href"]).query)["next"] == (
        reverse("pipeline:saved_search_new") + "?phase=beta"
    )


def test_signed_in_people_can_save_the_search_they_see(client, verified_client, varied, member):
    verified_client(member)

    page = soup(client.get(LIST, {"phase": "beta", "page": 1}))

    link = page.select_one("#save-search a")
    assert link.get_text(strip=True) == "Save this search"
    assert link["href"] == reverse("pipeline:saved_search_new") + "?phase=beta"


def test_plain_members_need_no_special_role_to_search(client, verified_client, council):
    person = MembershipFactory(organisation=council, role=Membership.Role.MEMBER).user
    verified_client(person)

    assert client.get(LIST).status_code == 200


def test_the_service_navigation_links_to_the_pipeline_and_marks_it_current(client, db):
    page = soup(client.get(LIST))

    link = page.select_one(".govuk-service-navigation a[href='/pipeline/']")
    assert link.get_text(strip=True) == "Pipeline"
    assert link.find_parent("li")["class"].count("govuk-service-navigation__item--active") == 1
