from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from localdigital.notifications.context_processors import unread_notifications
from localdigital.notifications.tests.factories import NotificationFactory


def test_the_unread_count_counts_only_my_unread_notifications(member, org_admin):
    NotificationFactory.create_batch(2, recipient=member)
    NotificationFactory(recipient=member, read_at=timezone.now())
    NotificationFactory(recipient=org_admin)
    request = RequestFactory().get("/")
    request.user = member
    assert unread_notifications(request)["unread_notifications"] == 2


def test_the_unread_count_is_zero_without_a_query_when_signed_out(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        count = unread_notifications(request)["unread_notifications"]
        assert not count
        assert str(count) == "0"
