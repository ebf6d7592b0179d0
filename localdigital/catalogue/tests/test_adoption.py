"""Adoption: recording, the yearly lapse and nudge (time frozen through `now`), reconfirming,
and reviews by adopters only."""

import datetime as dt

import pytest
from django.utils import timezone

from localdigital.catalogue.models import Adoption
from localdigital.catalogue.selectors import asset_page
from localdigital.catalogue.services import adoption as services
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@pytest.fixture
def start():
    return dt.date(2026, 1, 15)


@pytest.fixture
def using(asset, other_admin, other_council, start):
    return services.adoption_record(
        actor=other_admin,
        asset=asset,
        organisation=other_council,
        status="using",
        outcomes="Calls about bins fell by a third.",
        annual_saving="£12,000",
        now=at(start),
    )


def test_a_member_records_their_organisations_use_and_it_counts_as_an_adopter(using, asset):
    assert using.annual_saving == 12000
    asset.refresh_from_db()
    assert asset.adopter_count == 1


def test_only_members_record_for_their_organisation_and_only_once(
    asset, member, other_council, using, other_admin
):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        services.adoption_record(
            actor=member, asset=asset, organisation=other_council, status="using"
        )
    with pytest.raises(ApplicationError, match="already recorded"):
        services.adoption_record(
            actor=other_admin, asset=asset, organisation=other_council, status="piloting"
        )


def test_a_saving_that_is_not_a_whole_number_of_pounds_is_refused(
    asset, other_admin, other_council
):
    with pytest.raises(ApplicationError, match=services.SAVING_NOT_WHOLE):
        services.adoption_record(
            actor=other_admin,
            asset=asset,
            organisation=other_council,
            status="using",
            annual_saving="lots",
        )
    assert not Adoption.objects.exists()


def test_a_record_is_nudged_once_a_month_before_it_lapses_then_lapses_unless_confirmed(
    using, asset, other_admin, start
):
    day_before_nudge = start + dt.timedelta(days=365 - 31)
    assert services.adoption_housekeeping_run(now=at(day_before_nudge)).nudged == 0
    nudge_day = start + dt.timedelta(days=365 - 30)
    assert services.adoption_housekeeping_run(now=at(nudge_day)).nudged == 1
    assert services.adoption_housekeeping_run(now=at(nudge_day)).nudged == 0
    told = Notification.objects.get(kind="catalogue.adoption_due")
    assert told.recipient == other_admin
    last_day = start + dt.timedelta(days=365)
    assert [a.pk for a in asset_page(None, asset, today=last_day).adoptions] == [using.pk]
    lapsed_day = last_day + dt.timedelta(days=1)
    page = asset_page(None, asset, today=lapsed_day)
    assert page.adoptions == []
    assert page.lapsed_adoptions == 1
    result = services.adoption_housekeeping_run(now=at(lapsed_day))
    assert result.lapsed_assets == 1
    asset.refresh_from_db()
    assert asset.adopter_count == 0


def test_confirming_a_record_counts_it_for_another_year(using, asset, other_admin, start):
    later = start + dt.timedelta(days=400)
    services.adoption_confirm(actor=other_admin, adoption=using, now=at(later))
    using.refresh_from_db()
    assert using.confirmed_on == later
    assert using.nudged_on is None
    assert [a.pk for a in asset_page(None, asset, today=later).adoptions] == [using.pk]
    asset.refresh_from_db()
    assert asset.adopter_count == 1


def test_only_current_adopters_that_piloted_or_used_it_may_review_it(
    using, asset, other_admin, member, council, start
):
    services.adoption_review(
        actor=other_admin, adoption=using, rating=4, review="Easy to host.", now=at(start)
    )
    using.refresh_from_db()
    assert (using.rating, using.review) == (4, "Easy to host.")
    exploring = services.adoption_record(
        actor=member, asset=asset, organisation=council, status="exploring", now=at(start)
    )
    with pytest.raises(ApplicationError, match="Only organisations that have piloted or used"):
        services.adoption_review(actor=member, adoption=exploring, rating=5, review="Great")
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        services.adoption_review(actor=member, adoption=using, rating=1, review="Bad")
    with pytest.raises(ApplicationError, match=services.LAPSED):
        services.adoption_review(
            actor=other_admin,
            adoption=using,
            rating=3,
            review="Still fine.",
            now=at(start + dt.timedelta(days=400)),
        )
    with pytest.raises(ApplicationError, match=services.RATING_REQUIRED):
        services.adoption_review(actor=other_admin, adoption=using, rating=9, review="x")


def test_the_adoption_pages_are_only_for_members_of_the_adopting_organisation(
    client, verified_client, using, member
):
    assert client.post(f"/catalogue/adoption/{using.pk}/confirm/").status_code == 302
    signed_in = verified_client(member)
    assert signed_in.get(f"/catalogue/adoption/{using.pk}/").status_code == 404
    assert signed_in.post(f"/catalogue/adoption/{using.pk}/confirm/").status_code == 404
    assert signed_in.get(f"/catalogue/adoption/{using.pk}/review/").status_code == 404


def test_a_member_records_use_through_the_page(verified_client, asset, other_admin, other_council):
    client = verified_client(other_admin)
    response = client.post(
        f"/catalogue/{asset.slug}/adoption/new/",
        {"organisation": other_council.code, "status": "piloting", "annual_saving": "-5"},
    )
    assert response.status_code == 200
    assert services.SAVING_NOT_WHOLE in response.content.decode()
    response = client.post(
        f"/catalogue/{asset.slug}/adoption/new/",
        {"organisation": other_council.code, "status": "piloting", "annual_saving": "5000"},
    )
    assert response.status_code == 302
    assert Adoption.objects.get().annual_saving == 5000


def test_owners_are_asked_once_a_year_to_check_an_entry_nobody_has_verified(
    asset, org_admin, member, start
):
    from localdigital.catalogue.models import Asset
    from localdigital.catalogue.services.assets import asset_verify

    Asset.objects.filter(pk=asset.pk).update(last_verified=start)
    not_yet = start + dt.timedelta(days=365)
    assert services.adoption_housekeeping_run(now=at(not_yet)).verify_nudged == 0
    due = start + dt.timedelta(days=366)
    assert services.adoption_housekeeping_run(now=at(due)).verify_nudged == 1
    assert services.adoption_housekeeping_run(now=at(due)).verify_nudged == 0
    told = Notification.objects.get(kind="catalogue.verify_due")
    assert told.recipient == org_admin
    asset.refresh_from_db()
    asset_verify(actor=member, asset=asset, now=at(due))
    a_year_on = due + dt.timedelta(days=366)
    assert services.adoption_housekeeping_run(now=at(a_year_on)).verify_nudged == 1
