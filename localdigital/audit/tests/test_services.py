from localdigital.audit.models import AuditEvent
from localdigital.audit.services import event_log


def test_event_log_records_the_person_the_record_and_the_organisation(member, council):
    event = event_log(
        actor=member,
        action="membership.approve",
        summary="Approved a membership",
        obj=council,
        organisation=council,
        data={"role": "member"},
        ip_address="192.0.2.10",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == member
    assert stored.actor_email == member.email
    assert stored.organisation == council
    assert stored.object_type == "organisations.organisation"
    assert stored.object_id == str(council.pk)
    assert stored.data == {"role": "member"}
    assert stored.ip_address == "192.0.2.10"


def test_event_log_records_system_actions_without_a_person(db):
    event = event_log(actor=None, action="reference_data.load", summary="Loaded councils")
    assert event.actor is None
    assert event.actor_email == ""


def test_event_log_shortens_a_summary_longer_than_the_column(db):
    event = event_log(actor=None, action="test.long", summary="x" * 400)
    assert len(AuditEvent.objects.get(pk=event.pk).summary) == 300
