"""TCoP profiles: self-declared -> peer-reviewed -> assured, who may do each step, the 12-month
lapse, accreditation and history."""

import datetime as dt

import pytest
from django.utils import timezone

from localdigital.catalogue.models import TcopProfile
from localdigital.catalogue.services import tcop as services
from localdigital.core.access import access_tcop_profile_for_user
from localdigital.core.exceptions import ApplicationError


def all_meet(profile, *, except_code: str = "", level: str = "meets") -> dict:
    answers = {}
    for claim in profile.claims.select_related("node"):
        key = level if claim.node.code != except_code else "partly-meets"
        answers[claim.node.code] = {
            "level": key,
            "evidence": f"Evidence for point {claim.node.code}",
            "links": "https://example.org/evidence",
        }
    return answers


@pytest.fixture
def declared(tcop, asset, member):
    profile = services.profile_start(actor=member, asset=asset)
    services.profile_save_claims(actor=member, profile=profile, answers=all_meet(profile))
    return services.profile_declare(actor=member, profile=profile)


def test_a_profile_has_a_claim_for_each_of_the_13_points(tcop, asset, member):
    profile = services.profile_start(actor=member, asset=asset)
    assert profile.claims.count() == 13
    assert services.profile_start(actor=member, asset=asset) == profile


def test_declaring_needs_every_point_answered_and_evidence_for_applicable_ones(tcop, asset, member):
    profile = services.profile_start(actor=member, asset=asset)
    answers = all_meet(profile)
    answers["5"] = {"level": "", "evidence": "", "links": ""}
    services.profile_save_claims(actor=member, profile=profile, answers=answers)
    with pytest.raises(
        ApplicationError, match="Select how Bin collection day finder meets point 5"
    ):
        services.profile_declare(actor=member, profile=profile)
    answers["5"] = {"level": "meets", "evidence": "", "links": ""}
    services.profile_save_claims(actor=member, profile=profile, answers=answers)
    with pytest.raises(ApplicationError, match="Give evidence for point 5"):
        services.profile_declare(actor=member, profile=profile)
    answers["5"] = {"level": "not-applicable", "evidence": "", "links": ""}
    services.profile_save_claims(actor=member, profile=profile, answers=answers)
    services.profile_declare(actor=member, profile=profile)
    asset.refresh_from_db()
    assert asset.tcop_tier == "declared"


def test_evidence_links_must_be_web_addresses(tcop, asset, member):
    profile = services.profile_start(actor=member, asset=asset)
    answers = all_meet(profile)
    answers["1"]["links"] = "javascript:alert(1)"
    with pytest.raises(ApplicationError, match="starting with http"):
        services.profile_save_claims(actor=member, profile=profile, answers=answers)


def test_self_declared_then_peer_reviewed_then_assured_makes_it_accredited(
    declared, asset, other_admin, programme_staff
):
    reviews = {c.node.code: {"review": "confirmed"} for c in declared.claims.select_related("node")}
    services.profile_review(actor=other_admin, profile=declared, reviews=reviews)
    asset.refresh_from_db()
    assert asset.tcop_tier == "reviewed"
    assert declared.reviewer_organisation.code == "CAM"
    services.profile_assure(actor=programme_staff, profile=declared, comment="Checked")
    asset.refresh_from_db()
    assert asset.tcop_tier == "assured"
    assert asset.tcop_accredited


def test_a_challenged_point_or_a_partly_met_one_stops_accreditation(
    tcop, asset, member, other_admin, programme_staff
):
    profile = services.profile_start(actor=member, asset=asset)
    services.profile_save_claims(
        actor=member, profile=profile, answers=all_meet(profile, except_code="3")
    )
    services.profile_declare(actor=member, profile=profile)
    reviews = {c.node.code: {"review": "confirmed"} for c in profile.claims.select_related("node")}
    services.profile_review(actor=other_admin, profile=profile, reviews=reviews)
    services.profile_assure(actor=programme_staff, profile=profile)
    asset.refresh_from_db()
    assert asset.tcop_tier == "assured"
    assert not asset.tcop_accredited


def test_a_challenge_needs_a_reason_and_every_point_needs_a_verdict(declared, other_admin):
    reviews = {c.node.code: {"review": "confirmed"} for c in declared.claims.select_related("node")}
    reviews["7"] = {"review": "challenged", "comment": ""}
    with pytest.raises(ApplicationError, match="Say why you challenge point 7"):
        services.profile_review(actor=other_admin, profile=declared, reviews=reviews)
    del reviews["7"]
    with pytest.raises(ApplicationError, match="Confirm or challenge point 7"):
        services.profile_review(actor=other_admin, profile=declared, reviews=reviews)
    declared.refresh_from_db()
    assert declared.state == TcopProfile.State.DECLARED


def test_only_another_organisation_reviews_and_only_programme_staff_assure(
    declared, member, org_admin, other_admin, programme_staff
):
    reviews = {c.node.code: {"review": "confirmed"} for c in declared.claims.select_related("node")}
    with pytest.raises(ApplicationError, match=services.OWN_ORGANISATION):
        services.profile_review(actor=org_admin, profile=declared, reviews=reviews)
    with pytest.raises(ApplicationError, match=services.NOT_REVIEWED):
        services.profile_assure(actor=programme_staff, profile=declared)
    services.profile_review(actor=other_admin, profile=declared, reviews=reviews)
    with pytest.raises(ApplicationError, match=services.NOT_STAFF):
        services.profile_assure(actor=other_admin, profile=declared)


def test_each_tier_lapses_twelve_months_after_its_date(declared, asset):
    declared_on = timezone.localdate(declared.declared_at)
    assert services.tier_of(declared, declared_on + dt.timedelta(days=365)).key == "declared"
    assert services.tier_of(declared, declared_on + dt.timedelta(days=366)).key == "lapsed"
    assert services.tcop_housekeeping_run(today=declared_on + dt.timedelta(days=366)) == 1
    asset.refresh_from_db()
    assert asset.tcop_tier == "lapsed"


def test_a_new_profile_starts_from_the_last_answers_and_keeps_the_old_as_history(
    declared, asset, member
):
    second = services.profile_start(actor=member, asset=asset)
    assert second.pk != declared.pk
    first_claim = second.claims.select_related("level", "node").get(node__code="1")
    assert first_claim.level.key == "meets"
    assert first_claim.evidence == "Evidence for point 1"
    services.profile_declare(actor=member, profile=second)
    declared.refresh_from_db()
    assert declared.state == TcopProfile.State.SUPERSEDED
    assert services.current_profile(asset) == second


def test_a_draft_is_seen_only_by_the_owners_and_reviews_need_a_declared_profile(
    tcop, asset, member, other_admin, programme_staff
):
    from django.http import Http404

    draft = services.profile_start(actor=member, asset=asset)
    assert access_tcop_profile_for_user(member, asset, draft.pk, action="edit") == draft
    for person, action in [
        (other_admin, "read"),
        (other_admin, "review"),
        (programme_staff, "assure"),
        (None, "read"),
    ]:
        with pytest.raises(Http404):
            access_tcop_profile_for_user(person, asset, draft.pk, action=action)


def test_the_review_page_is_refused_to_the_owners_and_to_visitors(
    client, verified_client, declared, asset, member
):
    url = f"/catalogue/{asset.slug}/tcop/{declared.pk}/review/"
    assert client.get(url).status_code == 302
    assert verified_client(member).get(url).status_code == 404


def test_the_asset_page_shows_the_tier_and_the_point_by_point_profile(client, declared, asset):
    page = client.get(asset.get_absolute_url()).content.decode()
    assert "Self-declared" in page
    assert "Evidence for point 13" in page
