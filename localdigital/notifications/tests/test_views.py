import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from localdigital.notifications.models import Notification
from localdigital.notifications.tests.factories import NotificationFactory
from localdigital.notifications.views import PAGE_SIZE

LIST_URL = "/notifications/"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert client.post("/notifications/read-all/").status_code == 302


def test_the_list_shows_only_my_notifications_newest_first_with_unread_tags(
    member_client, member, org_admin
):
    NotificationFactory(recipient=member, title="Older and read", read_at=timezone.now())
    NotificationFactory(recipient=member, title="Newer and unread")
    NotificationFactory(recipient=org_admin, title="Not mine")
    soup = soup_of(member_client.get(LIST_URL))
    assert soup.select_one("h1").text.strip() == "Notifications"
    rows = soup.select("table.govuk-table tbody tr")
    titles = [row.select("td")[0].select_one("span").text.strip() for row in rows]
    assert titles == ["Newer and unread", "Older and read"]
    assert rows[0].select_one(".govuk-tag").text.strip() == "Unread"
    assert rows[1].select_one(".govuk-tag").text.strip() == "Read"
    button = rows[0].select_one("form button.govuk-button")
    assert button.select_one(".govuk-visually-hidden").text == ": Newer and unread"
    assert soup.select_one("#unread-summary").text.strip() == "You have 1 unread notification."


def test_the_list_makes_the_same_number_of_queries_for_any_number_of_notifications(
    member_client, member, django_assert_num_queries
):
    NotificationFactory(recipient=member)
    member_client.get(LIST_URL)
    # Session, person, two-factor role check, savepoint, count, page, unread count on the page
    # and in the navigation, release.
    with django_assert_num_queries(9) as one:
        member_client.get(LIST_URL)
    NotificationFactory.create_batch(PAGE_SIZE + 5, recipient=member)
    with django_assert_num_queries(len(one.captured_queries)):
        response = member_client.get(LIST_URL)
    soup = soup_of(response)
    assert len(soup.select("tbody tr")) == PAGE_SIZE
    assert soup.select_one(".govuk-pagination__next a")["href"] == "?page=2"


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(member_client, member):
    notification = NotificationFactory(recipient=member, url="/organisations/HCK/")
    response = member_client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/HCK/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_a_notification_never_redirects_off_the_hub(member_client, member):
    notification = NotificationFactory(recipient=member, url="https://evil.example/phish")
    response = member_client.post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == LIST_URL


def test_opening_needs_a_post(member_client, member):
    notification = NotificationFactory(recipient=member)
    assert member_client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    assert Notification.objects.get(pk=notification.pk).read_at is None


@pytest.mark.parametrize("who", ["org_admin", "other_admin", "programme_staff"])
def test_nobody_else_can_open_my_notification(who, member, verified_client, request):
    notification = NotificationFactory(recipient=member)
    other = verified_client(request.getfixturevalue(who))
    assert other.post(f"/notifications/{notification.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_as_read_marks_mine_and_says_so(member_client, member, org_admin):
    NotificationFactory.create_batch(2, recipient=member)
    theirs = NotificationFactory(recipient=org_admin)
    response = member_client.post("/notifications/read-all/", follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    soup = soup_of(response)
    assert "marked as read" in soup.select_one(".govuk-notification-banner").text
    assert (
        soup.select_one("#unread-summary").text.strip() == "You have read all your notifications."
    )
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_an_empty_list_says_there_is_nothing_yet(member_client):
    soup = soup_of(member_client.get(LIST_URL))
    assert "You have no notifications yet" in soup.select_one("main").text
    assert soup.select_one("table") is None
