import datetime as dt
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Interest, Item, Partnership
from localdigital.pipeline.services import freshness
from localdigital.pipeline.services import interest as services
from localdigital.pipeline.services.items import item_create

PROBLEM = {
    "kind": "problem",
    "title": "Families wait for EHC plans",
    "summary": "Our EHCP assessments are late.",
    "visibility": "public",
}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def item(member, council):
    return item_create(actor=member, organisation=council, data=PROBLEM)


@pytest.fixture
def interest(item, other_admin, other_council):
    return services.interest_express(
        actor=other_admin,
        item=item,
        organisation=other_council,
        kind=Interest.Kind.SAME_PROBLEM,
        message="We have the same backlog.",
    )


def test_expressing_interest_tells_the_owners_contacts_at_once(interest, member):
    told = Notification.objects.filter(kind=services.KIND, recipient=member)
    assert told.count() == 1
    assert interest.organisation.short_name in told.get().title
    assert AuditEvent.objects.filter(action="pipeline.interest.express").exists()


def test_a_person_cannot_express_interest_in_their_own_organisations_item(item, member, council):
    with pytest.raises(ApplicationError, match=services.OWN_ITEM):
        services.interest_express(
            actor=member, item=item, organisation=council, kind="talk", message="Hi"
        )


def test_one_pending_interest_per_organisation(interest, other_admin, other_council, item):
    with pytest.raises(ApplicationError, match="already expressed interest"):
        services.interest_express(
            actor=other_admin, item=item, organisation=other_council, kind="talk", message="Again"
        )


def test_no_interest_in_drafts(member, council, other_admin, other_council):
    draft = item_create(actor=member, organisation=council, data={**PROBLEM, "visibility": "draft"})
    with pytest.raises(ApplicationError, match=services.NOT_OPEN):
        services.interest_express(
            actor=other_admin, item=draft, organisation=other_council, kind="talk", message="Hi"
        )


def test_accepting_makes_the_organisation_a_partner_and_its_people_collaborators(
    interest, member, other_admin, item
):
    services.interest_accept(actor=member, interest=interest)
    assert Partnership.objects.filter(
        item=item, organisation=interest.organisation, source="interest"
    ).exists()
    from localdigital.core.access import can_edit_item

    assert can_edit_item(other_admin, item)
    assert Notification.objects.filter(recipient=other_admin, kind=services.KIND).exists()


def test_only_the_owner_accepts_or_declines(interest, other_admin):
    with pytest.raises(ApplicationError):
        services.interest_accept(actor=other_admin, interest=interest)
    with pytest.raises(ApplicationError):
        services.interest_decline(actor=other_admin, interest=interest, reason="No")


def test_declining_needs_a_reason_the_other_side_sees(interest, member, other_admin):
    with pytest.raises(ApplicationError, match=services.REASON_REQUIRED):
        services.interest_decline(actor=member, interest=interest, reason=" ")
    services.interest_decline(actor=member, interest=interest, reason="We have stopped this work.")
    told = Notification.objects.filter(recipient=other_admin, kind=services.KIND).last()
    assert "stopped this work" in told.body


def test_the_owners_reply_counts_as_an_answer(interest, member):
    services.interest_reply(actor=member, interest=interest, body="Let's talk next week.")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.REPLIED
    assert interest.first_response_at is not None


def test_both_sides_see_the_state_and_a_third_council_sees_nothing(
    interest, verified_client, member, other_admin
):
    url = f"/pipeline/interest/{interest.pk}/"
    assert "Awaiting a response" in soup(verified_client(member).get(url)).text
    assert "Awaiting a response" in soup(verified_client(other_admin).get(url)).text
    stranger = MembershipFactory(organisation=OrganisationFactory(code="THD")).user
    assert verified_client(stranger).get(url).status_code == 404


def test_the_owner_accepts_on_the_page_and_the_interested_side_sees_accepted(
    interest, verified_client, member, other_admin
):
    url = f"/pipeline/interest/{interest.pk}/"
    response = verified_client(member).post(url, {"action": "accept"})
    assert response.status_code == 302
    assert "Accepted" in soup(verified_client(other_admin).get(url)).text


def test_the_interested_side_cannot_accept_its_own_interest(interest, verified_client, other_admin):
    url = f"/pipeline/interest/{interest.pk}/"
    assert verified_client(other_admin).post(url, {"action": "accept"}).status_code == 404
    interest.refresh_from_db()
    assert interest.status == Interest.Status.OPEN


def test_unanswered_interest_is_reminded_after_10_and_escalated_after_20_working_days(
    interest, member, org_admin
):
    sent = timezone.localdate(interest.created_at)
    from localdigital.core.working_days import add_working_days

    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))

    result = freshness.pipeline_housekeeping_run(now=at(add_working_days(sent, 9)))
    assert result.interest_reminded == 0
    result = freshness.pipeline_housekeeping_run(now=at(add_working_days(sent, 10)))
    assert result.interest_reminded == 1
    assert (
        Notification.objects.filter(kind="pipeline.interest_reminder", recipient=member).count()
        == 1
    )
    again = freshness.pipeline_housekeeping_run(now=at(add_working_days(sent, 11)))
    assert again.interest_reminded == 0
    result = freshness.pipeline_housekeeping_run(now=at(add_working_days(sent, 20)))
    assert result.interest_escalated == 1
    assert Notification.objects.filter(
        kind="pipeline.interest_escalated", recipient=org_admin
    ).exists()
    interest.refresh_from_db()
    assert freshness.awaiting_response(interest, add_working_days(sent, 20))


def test_answered_interest_is_not_escalated(interest, member):
    services.interest_reply(actor=member, interest=interest, body="Thanks, we will call.")
    later = timezone.now() + dt.timedelta(days=60)
    result = freshness.pipeline_housekeeping_run(now=later)
    assert (result.interest_reminded, result.interest_escalated) == (0, 0)


def test_items_are_nudged_before_review_then_marked_stale_then_archived(item, member, client):
    review_by = item.review_by

    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))

    assert (
        freshness.pipeline_housekeeping_run(now=at(review_by - dt.timedelta(days=15))).nudged == 0
    )
    assert (
        freshness.pipeline_housekeeping_run(now=at(review_by - dt.timedelta(days=14))).nudged == 1
    )
    assert (
        freshness.pipeline_housekeeping_run(now=at(review_by - dt.timedelta(days=13))).nudged == 0
    )
    assert Notification.objects.filter(kind="pipeline.review_due", recipient=member).count() == 1
    assert freshness.is_stale(item, review_by + dt.timedelta(days=1))
    kept = freshness.pipeline_housekeeping_run(now=at(review_by + dt.timedelta(days=180)))
    assert kept.archived == 0
    gone = freshness.pipeline_housekeeping_run(now=at(review_by + dt.timedelta(days=181)))
    assert gone.archived == 1
    item.refresh_from_db()
    assert item.status == Item.Status.ARCHIVED
    assert Item.objects.filter(pk=item.pk).exists()
    assert client.get(item.get_absolute_url()).status_code == 200


def test_a_stale_item_says_when_it_was_last_reviewed(item, client):
    Item.objects.filter(pk=item.pk).update(review_by=timezone.localdate() - dt.timedelta(days=1))
    page = soup(client.get(item.get_absolute_url()))
    assert f"Not reviewed since {item.last_reviewed_at:%-d %B %Y}" in page.text


def test_one_click_confirms_an_item_is_still_current(item, verified_client, member):
    Item.objects.filter(pk=item.pk).update(review_by=timezone.localdate() - dt.timedelta(days=1))
    response = verified_client(member).post(f"/pipeline/{item.slug}/confirm-current/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_by == timezone.localdate() + dt.timedelta(days=90)


def test_archived_items_can_be_restored_by_the_owner_only(
    item, verified_client, member, other_admin
):
    freshness.item_archive(actor=member, item=item)
    assert (
        verified_client(other_admin)
        .post(f"/pipeline/{item.slug}/archive/", {"restore": "1"})
        .status_code
        == 404
    )
    verified_client(member).post(f"/pipeline/{item.slug}/archive/", {"restore": "1"})
    item.refresh_from_db()
    assert item.status == Item.Status.ACTIVE
    with pytest.raises(ApplicationError, match=freshness.NOT_ARCHIVED):
        freshness.item_restore(actor=member, item=item)


def test_the_housekeeping_command_prints_what_it_did(db):
    out = StringIO()
    call_command("pipeline_housekeeping", "--now", "2026-11-22T09:00:00+00:00", stdout=out)
    assert "items nudged for review" in out.getvalue()
