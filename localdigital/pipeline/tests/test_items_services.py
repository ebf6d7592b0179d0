import pytest

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item, Revision
from localdigital.pipeline.services import items as services
from localdigital.pipeline.services.updates import status_update_post
from localdigital.pipeline.tests.factories import PartnershipFactory, ServiceAreaFactory

DATA = {
    "kind": "problem",
    "title": "Families wait too long for EHC plans",
    "summary": "Our EHCP assessments take 30 weeks; has anyone made this faster?",
    "problem": "Caseworkers chase reports by email.",
    "tags": "SEND, EHCP",
    "phase": "discovery",
    "visibility": "public",
}


@pytest.fixture
def item(member, council):
    return services.item_create(actor=member, organisation=council, data=DATA)


@pytest.fixture
def partner_member(db):
    partner = OrganisationFactory(code="PRT", short_name="Partnershire")
    return MembershipFactory(organisation=partner).user


def test_a_member_creates_an_item_with_revision_one_and_an_audit_event(item, member, council):
    assert item.organisation == council
    assert item.slug == "families-wait-too-long-for-ehc-plans"
    assert sorted(t.name for t in item.tags.all()) == ["EHCP", "SEND"]
    assert item.published_at is not None
    assert (item.review_by - item.last_reviewed_at.date()).days == 90
    revision = Revision.objects.get(item=item)
    assert revision.number == 1
    assert revision.actor == member
    assert revision.changes["kind"]["new"] == "Problem"
    assert revision.changes["tags"]["new"] == "SEND, EHCP"
    assert AuditEvent.objects.filter(action="pipeline.item.create").count() == 1
    assert "ehcp" in item.search_text


def test_a_person_cannot_add_an_item_for_an_organisation_they_do_not_belong_to(
    member, other_council
):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        services.item_create(actor=member, organisation=other_council, data=DATA)
    assert not Item.objects.exists()


def test_a_summary_over_280_characters_is_refused_and_nothing_is_written(member, council):
    with pytest.raises(ApplicationError) as error:
        services.item_create(
            actor=member, organisation=council, data={**DATA, "summary": "x" * 281}
        )
    assert error.value.message == "Enter a summary of 280 characters or fewer"
    assert error.value.field == "summary"
    assert not Item.objects.exists()
    assert not Revision.objects.exists()


def test_an_end_date_before_the_start_is_refused(member, council):
    import datetime as dt

    data = {**DATA, "start_date": dt.date(2026, 5, 1), "end_date": dt.date(2026, 4, 1)}
    with pytest.raises(ApplicationError, match=services.END_BEFORE_START):
        services.item_create(actor=member, organisation=council, data=data)


def test_slugs_are_unique_and_never_a_reserved_word(member, council):
    first = services.item_create(actor=member, organisation=council, data=DATA)
    second = services.item_create(actor=member, organisation=council, data=DATA)
    reserved = services.item_create(
        actor=member, organisation=council, data={**DATA, "title": "New"}
    )
    assert second.slug == f"{first.slug}-2"
    assert reserved.slug == "new-2"


def test_an_update_records_who_changed_which_field_with_old_and_new_values(item, member):
    ServiceAreaFactory(key="education-and-send", name="Education and SEND")
    services.item_update(
        actor=member,
        item=item,
        data={"phase": "alpha", "service_area": services.service_area_by_key("education-and-send")},
    )
    revision = item.revisions.first()
    assert revision.number == 2
    assert revision.changes == {
        "phase": {"label": "Phase", "old": "Discovery", "new": "Alpha"},
        "service_area": {"label": "Service area", "old": "", "new": "Education and SEND"},
    }


def test_saving_without_changes_is_refused_and_leaves_no_revision(item, member):
    with pytest.raises(ApplicationError, match=services.NOTHING_CHANGED):
        services.item_update(
            actor=member, item=item, data={"phase": "discovery", "tags": "send, ehcp"}
        )
    assert item.revisions.count() == 1


def test_another_councils_member_cannot_change_an_item(item, other_admin):
    with pytest.raises(ApplicationError):
        services.item_update(actor=other_admin, item=item, data={"phase": "alpha"})


def test_a_collaborator_changes_agreed_fields_but_not_others(item, partner_member, member):
    PartnershipFactory(item=item, organisation=partner_member.memberships.first().organisation)
    services.item_update(actor=partner_member, item=item, data={"phase": "beta"})
    assert Item.objects.get(pk=item.pk).phase == "beta"
    assert item.revisions.first().organisation.code == "PRT"
    with pytest.raises(ApplicationError) as error:
        services.item_update(actor=partner_member, item=item, data={"visibility": "draft"})
    assert error.value.field == "visibility"
    services.item_set_partner_fields(actor=member, item=item, fields=["summary"])
    with pytest.raises(ApplicationError):
        services.item_update(actor=partner_member, item=item, data={"phase": "live"})


def test_only_the_owner_adds_partners(item, member, other_admin, other_council):
    with pytest.raises(ApplicationError):
        services.item_partner_add(actor=other_admin, item=item, organisation=other_council)
    services.item_partner_add(actor=member, item=item, organisation=other_council)
    assert list(item.partners.all()) == [other_council]
    with pytest.raises(ApplicationError):
        services.item_partner_add(actor=member, item=item, organisation=item.organisation)


def test_publishing_a_draft_sets_its_published_date_once(member, council):
    draft = services.item_create(
        actor=member, organisation=council, data={**DATA, "visibility": "draft"}
    )
    assert draft.published_at is None
    services.item_update(actor=member, item=draft, data={"visibility": "public"})
    assert draft.published_at is not None


def test_an_update_tells_each_watcher_partner_and_owner_member_once_but_not_the_author(
    item, member, council, partner_member
):
    colleague = MembershipFactory(organisation=council).user
    PartnershipFactory(item=item, organisation=partner_member.memberships.first().organisation)
    watcher = UserFactory()
    services.item_watch(actor=watcher, item=item)
    services.item_watch(actor=colleague, item=item)  # also a member: still told once
    MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    status_update_post(
        actor=member, item=item, title="Discovery done", body="We met 12 families.", phase="alpha"
    )
    told = sorted(
        Notification.objects.filter(kind="pipeline.update").values_list("recipient_id", flat=True)
    )
    assert told == sorted([colleague.pk, partner_member.pk, watcher.pk])
    item.refresh_from_db()
    assert item.phase == "alpha"
    assert item.updates.count() == 1


def test_an_update_needs_a_title_and_text(item, member):
    with pytest.raises(ApplicationError, match="Enter a title for the update"):
        status_update_post(actor=member, item=item, title=" ", body="x")
    with pytest.raises(ApplicationError, match="Enter what has happened"):
        status_update_post(actor=member, item=item, title="x", body="")
