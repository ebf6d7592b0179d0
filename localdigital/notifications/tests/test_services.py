import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification
from localdigital.notifications.services import (
    RETENTION_TOO_SHORT,
    notification_create,
    notification_mark_all_read,
    notification_mark_read,
    notification_prune_read,
)
from localdigital.notifications.tasks import email_notification
from localdigital.notifications.tests.factories import NotificationFactory


def test_creating_a_notification_emails_it_once_after_commit(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(
            recipient=member,
            kind="membership.approved",
            title="You are now a member of Hackney",
            body="An admin approved your request.",
            url="/organisations/HCK/",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "You are now a member of Hackney"
    assert "An admin approved your request." in message.body
    assert message.body.endswith("/organisations/HCK/")
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # A retried task must not send it again.
    email_notification.call(notification.pk)
    assert len(mail.outbox) == 1


def test_nothing_is_emailed_if_the_transaction_is_rolled_back(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_create(recipient=member, kind="test", title="Hello")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_notification_can_be_created_without_email(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=member, kind="test", title="Quiet", send_email=False)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member, title="Quiet").exists()


def test_marking_a_notification_read_keeps_the_first_read_time(member):
    notification = NotificationFactory(recipient=member)
    notification_mark_read(actor=member, notification=notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    notification_mark_read(actor=member, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_nobody_can_mark_someone_elses_notification_read(member, org_admin):
    notification = NotificationFactory(recipient=member)
    with pytest.raises(ApplicationError):
        notification_mark_read(actor=org_admin, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read_changes_only_the_actors_unread_notifications(member, org_admin):
    NotificationFactory.create_batch(3, recipient=member)
    theirs = NotificationFactory(recipient=org_admin)
    assert notification_mark_all_read(actor=member) == 3
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_pruning_deletes_only_read_notifications_past_the_retention_period(member):
    now = timezone.now()
    old_read = NotificationFactory(recipient=member, read_at=now - dt.timedelta(days=181))
    recent_read = NotificationFactory(recipient=member, read_at=now - dt.timedelta(days=179))
    unread = NotificationFactory(recipient=member)
    assert notification_prune_read() == 1
    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {recent_read.pk, unread.pk}
    assert old_read.pk not in remaining
    event = AuditEvent.objects.get(action="notification.prune")
    assert event.data == {"deleted": 1, "older_than_days": 180}


def test_pruning_with_nothing_to_delete_writes_no_audit_event(db):
    assert notification_prune_read(older_than_days=30) == 0
    assert not AuditEvent.objects.filter(action="notification.prune").exists()


def test_pruning_refuses_a_retention_period_under_one_day(db):
    with pytest.raises(ApplicationError, match=RETENTION_TOO_SHORT):
        notification_prune_read(older_than_days=0)
