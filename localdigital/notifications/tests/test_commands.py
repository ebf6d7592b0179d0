import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from localdigital.notifications.models import Notification
from localdigital.notifications.services import RETENTION_TOO_SHORT
from localdigital.notifications.tests.factories import NotificationFactory


def test_prune_notifications_deletes_read_notifications_older_than_180_days(member):
    now = timezone.now()
    NotificationFactory(recipient=member, read_at=now - dt.timedelta(days=200))
    kept = NotificationFactory(recipient=member, read_at=now - dt.timedelta(days=10))
    out = StringIO()
    call_command("prune_notifications", stdout=out)
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "Deleted 1 read notifications older than 180 days." in out.getvalue()


def test_prune_notifications_takes_the_number_of_days(member):
    NotificationFactory(recipient=member, read_at=timezone.now() - dt.timedelta(days=10))
    call_command("prune_notifications", "--days", "7", stdout=StringIO())
    assert not Notification.objects.exists()


def test_prune_notifications_rejects_zero_days(db):
    with pytest.raises(CommandError, match=RETENTION_TOO_SHORT):
        call_command("prune_notifications", "--days", "0", stdout=StringIO())
