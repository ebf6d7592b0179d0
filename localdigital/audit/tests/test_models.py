import pytest

from localdigital.audit.models import AppendOnlyError, AuditEvent
from localdigital.audit.tests.factories import make_event


def test_an_existing_event_cannot_be_saved_again(db):
    event = make_event(summary="Original")
    event.summary = "Rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Original"


def test_an_event_cannot_be_deleted(db):
    event = make_event()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_updates_and_deletes_are_refused(db):
    make_event()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(summary="Rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_deleting_a_person_keeps_their_events_and_email_address(member):
    event = make_event(actor=member)
    email = member.email
    member.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor is None
    assert stored.actor_email == email
