"""Saved Pipeline searches: saving, listing, running, emails on and off, deleting, and telling
people once when a new item matches."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.access import access_saved_search_for_user
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item, SavedSearch, SavedSearchHit
from localdigital.pipeline.services import saved_searches as services
from localdigital.pipeline.services.hooks import item_changed
from localdigital.pipeline.tests.factories import ItemFactory, ServiceAreaFactory
from localdigital.pipeline.tests.find_support import item_pages, soup  # noqa: F401

pytestmark = pytest.mark.usefixtures("item_pages")

NEW = reverse("pipeline:saved_search_new")
LIST = reverse("pipeline:saved_searches")


@pytest.fixture
def housing(db):
    return ServiceAreaFactory(key="housing", name="Housing")


@pytest.fixture
def searcher(other_council):
    """A plain member of Cambridge, who searches for other councils' work."""
    return MembershipFactory(organisation=other_council).user


def saved(user, query="phase=alpha", name="Alpha work", email=True):
    return services.saved_search_create(actor=user, name=name, query=query, email=email)


def fixed_scores(monkeypatch, scores):
    monkeypatch.setattr(
        "localdigital.pipeline.matching.search.search_scores", lambda text: dict(scores)
    )


# Saving


def test_saving_a_search_normalises_its_query_and_audits_it(searcher, housing):
    search = saved(searcher, query="service_area=housing&q=repairs&phase=beta&phase=alpha&page=3")

    assert search.query == "q=repairs&service_area=housing&phase=alpha&phase=beta"
    assert search.email is True
    event = AuditEvent.objects.get(action="pipeline.saved_search.create")
    assert event.actor == searcher
    assert event.object_id == str(search.pk)
    assert event.data["query"] == search.query


def test_the_same_search_cannot_be_saved_twice_whatever_the_order_of_its_filters(searcher):
    saved(searcher, query="phase=alpha&kind=idea", name="First")

    with pytest.raises(ApplicationError) as error:
        saved(searcher, query="kind=idea&phase=alpha", name="Second")

    assert error.value.message == services.ALREADY_SAVED.format(name="First")


def test_two_people_can_save_the_same_search(searcher, member):
    saved(searcher)
    saved(member)

    assert SavedSearch.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "phase=alpha", services.NAME_REQUIRED),
        ("   ", "phase=alpha", services.NAME_REQUIRED),
        ("x" * 101, "phase=alpha", services.NAME_TOO_LONG),
        ("Bad", "phase=finished", services.SEARCH_INVALID),
        ("Bad", "organisation=NOWHERE", services.SEARCH_INVALID),
    ],
)
def test_a_search_needs_a_short_name_and_filters_the_list_understands(
    searcher, name, query, message
):
    with pytest.raises(ApplicationError) as error:
        saved(searcher, query=query, name=name)

    assert error.value.message == message
    assert not SavedSearch.objects.exists()


def test_a_search_with_no_words_or_filters_cannot_be_saved(searcher):
    with pytest.raises(ApplicationError, match=services.SEARCH_EMPTY):
        saved(searcher, query="sort=title&page=2")


def test_anonymous_visitors_cannot_save_a_search(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ApplicationError, match=services.SIGN_IN_REQUIRED):
        saved(AnonymousUser())


def test_a_person_can_save_only_so_many_searches(searcher, monkeypatch):
    monkeypatch.setattr(services, "MAX_SAVED_SEARCHES", 2)
    saved(searcher, query="phase=alpha", name="One")
    saved(searcher, query="phase=beta", name="Two")

    with pytest.raises(ApplicationError) as error:
        saved(searcher, query="phase=live", name="Three")

    assert "You can save up to" in error.value.message


# The pages


def test_the_save_page_describes_the_search_and_suggests_a_name(
    client, verified_client, searcher, housing
):
    verified_client(searcher)

    page = soup(client.get(NEW, {"q": "repairs", "service_area": "housing"}))

    assert [li.get_text(strip=True) for li in page.select("#search-summary li")] == [
        "Search: ‘repairs’",
        "Service area: Housing",
    ]
    assert page.select_one("#id_name")["value"] == "‘repairs’, Housing"
    assert page.select_one("input[name=query]")["value"] == "q=repairs&service_area=housing"
    assert page.select_one("input[name=email]").has_attr("checked")


def test_saving_from_the_page_goes_to_the_list_with_a_banner(
    client, verified_client, searcher, housing
):
    verified_client(searcher)

    response = client.post(
        NEW, {"name": "Housing repairs", "email": "true", "query": "service_area=housing"}
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    page = soup(client.get(LIST))
    banner = page.select_one(".govuk-notification-banner--success")
    assert "Your search ‘Housing repairs’ has been saved." in banner.get_text()
    card = page.select_one(".govuk-summary-card")
    assert card.h2.get_text(strip=True) == "Housing repairs"
    assert "Service area: Housing" in card.get_text()
    run = card.select_one(".govuk-summary-card__actions a")
    assert run["href"] == reverse("pipeline:list") + "?service_area=housing"


def test_saving_without_a_name_shows_the_error_and_keeps_the_search(
    client, verified_client, searcher
):
    verified_client(searcher)

    response = client.post(NEW, {"name": "", "query": "phase=beta"})

    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".govuk-error-summary")
    assert services.NAME_REQUIRED in summary.get_text()
    assert summary.select_one("a")["href"] == "#id_name"
    assert page.select_one("input[name=query]")["value"] == "phase=beta"
    assert not SavedSearch.objects.exists()


def test_saving_a_search_twice_from_the_page_says_which_name_it_has(
    client, verified_client, searcher
):
    saved(searcher, query="phase=beta", name="Beta things")
    verified_client(searcher)

    page = soup(client.post(NEW, {"name": "Again", "query": "phase=beta"}))

    assert "You have already saved this search as ‘Beta things’" in page.get_text()


def test_the_saved_search_pages_need_a_signed_in_person(client, db):
    for response in (client.get(NEW), client.get(LIST)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_list_shows_only_the_persons_own_searches(client, verified_client, searcher, member):
    saved(searcher, name="Mine")
    saved(member, name="Someone else’s")
    verified_client(searcher)

    page = soup(client.get(LIST))

    assert [h2.get_text(strip=True) for h2 in page.select(".govuk-summary-card h2")] == ["Mine"]


def test_a_person_with_no_saved_searches_is_told_how_to_save_one(client, verified_client, searcher):
    verified_client(searcher)

    page = soup(client.get(LIST))

    assert page.select_one("#no-saved-searches") is not None


def test_stopping_and_restarting_emails(client, verified_client, searcher):
    search = saved(searcher)
    verified_client(searcher)
    email_url = reverse("pipeline:saved_search_email", args=[search.pk])

    response = client.post(email_url, {"email": "off"})

    assert response["Location"] == LIST
    search.refresh_from_db()
    assert search.email is False
    page = soup(client.get(LIST))
    assert "We will stop emailing you about ‘Alpha work’" in page.get_text()
    assert "Email me" in page.select_one(f"#saved-search-{search.pk} form button").get_text()
    assert AuditEvent.objects.filter(action="pipeline.saved_search.email_off").count() == 1

    client.post(email_url, {"email": "on"})

    search.refresh_from_db()
    assert search.email is True
    assert AuditEvent.objects.filter(action="pipeline.saved_search.email_on").count() == 1


def test_deleting_a_saved_search(client, verified_client, searcher):
    search = saved(searcher)
    verified_client(searcher)

    response = client.post(reverse("pipeline:saved_search_delete", args=[search.pk]))

    assert response["Location"] == LIST
    assert not SavedSearch.objects.exists()
    assert "Your saved search ‘Alpha work’ has been deleted." in soup(client.get(LIST)).get_text()
    assert AuditEvent.objects.filter(action="pipeline.saved_search.delete").count() == 1


def test_nobody_can_change_or_delete_another_persons_saved_search(
    client, verified_client, searcher, member
):
    search = saved(searcher)
    verified_client(member)

    delete = client.post(reverse("pipeline:saved_search_delete", args=[search.pk]))
    email = client.post(reverse("pipeline:saved_search_email", args=[search.pk]), {"email": "off"})

    assert delete.status_code == 404
    assert email.status_code == 404
    search.refresh_from_db()
    assert search.email is True


def test_changing_a_saved_search_needs_a_post(client, verified_client, searcher):
    search = saved(searcher)
    verified_client(searcher)

    response = client.get(reverse("pipeline:saved_search_delete", args=[search.pk]))

    assert response.status_code == 405
    assert SavedSearch.objects.exists()


def test_the_services_refuse_someone_elses_search(searcher, member):
    search = saved(searcher)

    with pytest.raises(ApplicationError, match=services.NOT_YOURS):
        services.saved_search_delete(actor=member, saved_search=search)
    with pytest.raises(ApplicationError, match=services.NOT_YOURS):
        services.saved_search_set_email(actor=member, saved_search=search, email=False)


def test_the_access_helper_finds_only_the_persons_own_search(searcher, member):
    search = saved(searcher)

    assert access_saved_search_for_user(searcher, search.pk) == search
    with pytest.raises(Http404):
        access_saved_search_for_user(member, search.pk)


# Telling people about new items


def test_a_new_matching_item_tells_the_owner_once_in_the_hub_and_by_email(
    searcher, council, housing, mailoutbox, django_capture_on_commit_callbacks
):
    search = saved(searcher, query="service_area=housing", name="Housing")
    item = ItemFactory(organisation=council, title="Damp and mould", service_area=housing)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.saved_searches_notify_for_item(item_id=item.pk) == 1
    assert services.saved_searches_notify_for_item(item_id=item.pk) == 0

    notification = Notification.objects.get(recipient=searcher)
    assert notification.kind == services.NOTIFICATION_KIND
    assert notification.title == "A new project matches your saved search ‘Housing’"
    assert "Damp and mould (Hackney)" in notification.body
    assert notification.url == item.get_absolute_url()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [searcher.email]
    assert SavedSearchHit.objects.filter(saved_search=search, item=item).count() == 1
    search.refresh_from_db()
    assert search.last_notified_at is not None


def test_a_search_with_emails_stopped_still_notifies_in_the_hub(
    searcher, council, housing, mailoutbox, django_capture_on_commit_callbacks
):
    saved(searcher, query="service_area=housing", email=False)
    item = ItemFactory(organisation=council, service_area=housing)

    with django_capture_on_commit_callbacks(execute=True):
        services.saved_searches_notify_for_item(item_id=item.pk)

    assert Notification.objects.filter(recipient=searcher).count() == 1
    assert mailoutbox == []


def test_an_item_that_does_not_match_tells_nobody(searcher, council, housing):
    saved(searcher, query="service_area=housing&phase=beta")
    item = ItemFactory(organisation=council, service_area=housing, phase=Item.Phase.ALPHA)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 0
    assert not Notification.objects.exists()


def test_search_words_must_match_the_item_too(searcher, council, monkeypatch):
    saved(searcher, query="q=ehcp", name="EHCP")
    match = ItemFactory(organisation=council)
    other = ItemFactory(organisation=council)
    fixed_scores(monkeypatch, {match.pk: 0.8})

    assert services.saved_searches_notify_for_item(item_id=other.pk) == 0
    assert services.saved_searches_notify_for_item(item_id=match.pk) == 1


def test_nobody_is_told_about_their_own_organisations_items(member, council):
    saved(member, query="kind=project")
    item = ItemFactory(organisation=council)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 0


def test_nobody_is_told_about_a_draft(searcher, council):
    saved(searcher, query="kind=project")
    item = ItemFactory(organisation=council, visibility=Item.Visibility.DRAFT)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 0


def test_members_only_items_reach_sector_members_but_not_people_without_an_organisation(
    searcher, council
):
    from localdigital.accounts.tests.factories import UserFactory

    outsider = UserFactory()
    saved(searcher, query="kind=project", name="Projects")
    saved(outsider, query="kind=project", name="Projects")
    item = ItemFactory(organisation=council, visibility=Item.Visibility.MEMBERS)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 1
    assert Notification.objects.get().recipient == searcher


def test_a_person_with_two_matching_searches_is_told_once(searcher, council, housing):
    saved(searcher, query="service_area=housing", name="Housing")
    saved(searcher, query="kind=project", name="Projects")
    item = ItemFactory(organisation=council, service_area=housing)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 1
    assert Notification.objects.count() == 1
    assert SavedSearchHit.objects.filter(item=item).count() == 2


def test_a_search_whose_filters_no_longer_make_sense_tells_nobody(searcher, council):
    search = saved(searcher, query="phase=alpha")
    SavedSearch.objects.filter(pk=search.pk).update(query="phase=retired&kind=project")
    item = ItemFactory(organisation=council, phase=Item.Phase.ALPHA)

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 0


def test_each_person_told_is_counted_in_one_audit_event(searcher, council, other_admin):
    saved(searcher, query="kind=project")
    saved(other_admin, query="kind=project", name="Projects")
    item = ItemFactory(organisation=council)

    services.saved_searches_notify_for_item(item_id=item.pk)

    event = AuditEvent.objects.get(action="pipeline.saved_search.notify")
    assert event.actor is None
    assert event.data == {"people": 2}
    assert event.object_id == str(item.pk)


def test_a_search_for_last_weeks_items_matches_an_item_published_now(searcher, council):
    saved(searcher, query="updated=7")
    item = ItemFactory(organisation=council, last_activity_at=timezone.now())

    assert services.saved_searches_notify_for_item(item_id=item.pk) == 1


def test_a_missing_item_tells_nobody(db):
    assert services.saved_searches_notify_for_item(item_id=999_999) == 0


def test_publishing_an_item_runs_the_saved_searches_after_commit(
    searcher, council, django_capture_on_commit_callbacks
):
    saved(searcher, query="kind=project")
    organisation = OrganisationFactory()
    item = ItemFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        item_changed(item, newly_visible=True)

    assert Notification.objects.filter(recipient=searcher).count() == 1
    assert SavedSearchHit.objects.filter(item=item).exists()


def test_the_save_page_without_a_search_explains_what_to_do_first(
    client, verified_client, searcher
):
    verified_client(searcher)

    page = soup(client.get(NEW))

    assert "You have not searched for anything" in page.select_one("#search-summary").get_text()
    assert page.select_one("form[method=post]") is None
