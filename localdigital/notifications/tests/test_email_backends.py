import uuid
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from localdigital.notifications.email_backends import NotifyEmailBackend
from localdigital.notifications.services import notification_create

TEMPLATE_ID = str(uuid.uuid4())
# Notify keys are "<name>-<service id>-<secret>"; the client parses them, so the shape matters.
FAKE_KEY = f"hub_test-{uuid.uuid4()}-{uuid.uuid4()}"

notify = override_settings(
    EMAIL_BACKEND="localdigital.notifications.email_backends.NotifyEmailBackend",
    NOTIFY_API_KEY=FAKE_KEY,
    NOTIFY_EMAIL_TEMPLATE_ID=TEMPLATE_ID,
)


@pytest.fixture
def notify_post():
    """Stop at the network edge: the client builds the real request, nothing leaves."""
    with mock.patch.object(
        NotificationsAPIClient, "post", return_value={"id": str(uuid.uuid4())}
    ) as post:
        yield post


@notify
def test_each_recipient_gets_one_notify_request_with_subject_and_body(notify_post):
    sent = mail.send_mail(
        subject="Your membership",
        message="An admin approved it.",
        from_email=None,
        recipient_list=["ada@hackney.gov.uk", "grace@hackney.gov.uk"],
    )
    assert sent == 1
    assert notify_post.call_count == 2
    (url,) = notify_post.call_args_list[0].args
    payload = notify_post.call_args_list[0].kwargs["data"]
    assert url == "/v2/notifications/email"
    assert payload == {
        "email_address": "ada@hackney.gov.uk",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Your membership", "body": "An admin approved it."},
    }
    assert notify_post.call_args_list[1].kwargs["data"]["email_address"] == "grace@hackney.gov.uk"


@notify
def test_a_notification_is_emailed_through_notify_when_a_key_is_set(
    member, notify_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=member, kind="test", title="Hello from the Hub")
    assert notify_post.call_count == 1
    payload = notify_post.call_args.kwargs["data"]
    assert payload["email_address"] == member.email
    assert payload["personalisation"]["subject"] == "Hello from the Hub"


@notify
def test_a_notify_failure_is_raised_unless_told_to_fail_silently(notify_post):
    notify_post.side_effect = HTTPError(message="Service unavailable")
    message = mail.EmailMessage("Subject", "Body", to=["ada@hackney.gov.uk"])
    with pytest.raises(HTTPError):
        NotifyEmailBackend().send_messages([message])
    assert NotifyEmailBackend(fail_silently=True).send_messages([message]) == 0


@override_settings(NOTIFY_API_KEY=FAKE_KEY, NOTIFY_EMAIL_TEMPLATE_ID="")
def test_the_backend_refuses_to_start_without_a_template_id():
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend()
