import pytest

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.audit.tests.factories import make_event


@pytest.fixture
def admin_client(verified_client, db):
    superuser = UserFactory(email="admin@localdigital.gov.uk", is_staff=True, is_superuser=True)
    return verified_client(superuser)


def test_staff_can_read_events_in_the_django_admin(admin_client):
    event = make_event(summary="Visible in the admin")
    changelist = admin_client.get("/django-admin/audit/auditevent/")
    assert changelist.status_code == 200
    assert b"Visible in the admin" in changelist.content
    assert admin_client.get(f"/django-admin/audit/auditevent/{event.pk}/change/").status_code == 200


def test_the_admin_cannot_add_change_or_delete_events(admin_client):
    event = make_event(summary="Original")
    assert admin_client.get("/django-admin/audit/auditevent/add/").status_code == 403
    changed = admin_client.post(
        f"/django-admin/audit/auditevent/{event.pk}/change/",
        {"summary": "Rewritten", "action": "x"},
    )
    assert changed.status_code == 403
    deleted = admin_client.post(
        f"/django-admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    bulk = admin_client.post(
        "/django-admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.get(pk=event.pk).summary == "Original"
    assert bulk.status_code in {200, 302}
