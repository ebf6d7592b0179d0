"""TCoP profiles: self-declared by the owner, peer-reviewed by another organisation, assured by
programme staff. Each tier lapses 12 months after its date; "accredited" means a current assured
profile with every applicable point met and none challenged.

The 13 points come from the loaded `tcop` framework (the frameworks engine), and each profile
keeps the framework version it answered. A profile never changes after it is declared except by
its review and assurance; changing a claim means starting a new profile (which begins as a copy
of the last), so the history shows what was claimed and confirmed when.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.catalogue.models import LAPSE_DAYS, Asset, TcopClaim, TcopProfile
from localdigital.core.access import active_organisation_ids, is_asset_owner, is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.frameworks.models import Framework, Level, Node

TCOP = "tcop"
NOT_APPLICABLE = "not-applicable"
MEETS = "meets"
NO_FRAMEWORK = "The Technology Code of Practice is not loaded: run load_reference_data"
NOT_AN_OWNER = "Only people from the organisations that own this solution can declare its profile"
NOT_A_DRAFT = "This profile has been declared, so it can no longer be changed: start a new one"
CLAIM_REQUIRED = "Select how {asset} meets point {code}: {title}"
EVIDENCE_REQUIRED = "Give evidence for point {code}: {title}"
UNKNOWN_LEVEL = "Select one of the answers for point {code}"
LINK_SCHEME = "Enter evidence links starting with http:// or https:// (point {code})"
OWN_ORGANISATION = "A peer review must come from an organisation that does not own the solution"
NOT_DECLARED = "Only a declared profile can be peer-reviewed"
REVIEW_REQUIRED = "Confirm or challenge point {code}: {title}"
CHALLENGE_REASON = "Say why you challenge point {code}"
NOT_STAFF = "Only programme staff can assure a profile"
NOT_REVIEWED = "Only a peer-reviewed profile can be assured"


def tcop_framework() -> Framework:
    """The newest loaded version of the Technology Code of Practice."""
    framework = Framework.objects.filter(framework_id=TCOP).order_by("-version_order").first()
    if framework is None:
        raise ApplicationError(NO_FRAMEWORK)
    return framework


def points(framework: Framework) -> list[Node]:
    """The framework's assessable points in order, with their levels (two queries)."""
    return list(
        Node.objects.filter(framework=framework, assessable=True)
        .order_by("position")
        .prefetch_related("levels")
    )


def _copy_claims(profile: TcopProfile, previous: TcopProfile | None) -> None:
    nodes = points(profile.framework)
    earlier: dict[str, TcopClaim] = {}
    if previous is not None:
        earlier = {c.node.node_id: c for c in previous.claims.select_related("node", "level").all()}
    claims = []
    for node in nodes:
        old = earlier.get(node.node_id)
        level = None
        if old is not None and old.level is not None:
            # Through the level key, so a profile on a newer TCoP version keeps its answers.
            level = next((lv for lv in node.levels.all() if lv.key == old.level.key), None)
        claims.append(
            TcopClaim(
                profile=profile,
                node=node,
                level=level,
                evidence=old.evidence if old else "",
                links=list(old.links) if old else [],
            )
        )
    TcopClaim.objects.bulk_create(claims)


def current_profile(asset: Asset) -> TcopProfile | None:
    """The newest declared (or reviewed, or assured) profile: the one the tier comes from."""
    return (
        asset.tcop_profiles.exclude(
            state__in=[TcopProfile.State.DRAFT, TcopProfile.State.SUPERSEDED]
        )
        .order_by("-declared_at", "-pk")
        .first()
    )


@transaction.atomic
def profile_start(*, actor: Any, asset: Asset) -> TcopProfile:
    """The owner's draft profile: the open draft if there is one, else a new one copying the
    claims and evidence of the current profile (so a revision starts from the last answers)."""
    if not is_asset_owner(actor, asset):
        raise ApplicationError(NOT_AN_OWNER)
    draft = asset.tcop_profiles.filter(state=TcopProfile.State.DRAFT).first()
    if draft is not None:
        return draft
    profile = TcopProfile.objects.create(asset=asset, framework=tcop_framework(), created_by=actor)
    _copy_claims(profile, current_profile(asset))
    event_log(
        actor=actor,
        action="catalogue.tcop.start",
        summary=f"Started a TCoP profile of “{asset.name}”",
        obj=profile,
        organisation=asset.owners.first(),
    )
    return profile


def _claims(profile: TcopProfile) -> list[TcopClaim]:
    return list(
        profile.claims.select_related("node", "level")
        .prefetch_related("node__levels")
        .order_by("node__position")
    )


def _links(value: Any, code: str) -> list[str]:
    raw = value.split() if isinstance(value, str) else list(value or [])
    links = []
    for link in raw:
        link = str(link).strip()
        if not link:
            continue
        if not link.lower().startswith(("http://", "https://")):
            raise ApplicationError(LINK_SCHEME.format(code=code), field=f"links-{code}")
        links.append(link)
    return links


@transaction.atomic
def profile_save_claims(
    *, actor: Any, profile: TcopProfile, answers: Mapping[str, Mapping[str, Any]]
) -> TcopProfile:
    """Save the owner's answers to a draft: `answers` maps a node's code (1 to 13) to
    {"level": key or "", "evidence": text, "links": list or whitespace-separated text}.
    Answers may be partial; declaring checks they are complete."""
    if not is_asset_owner(actor, profile.asset):
        raise ApplicationError(NOT_AN_OWNER)
    if profile.state != TcopProfile.State.DRAFT:
        raise ApplicationError(NOT_A_DRAFT)
    for claim in _claims(profile):
        answer = answers.get(claim.node.code)
        if answer is None:
            continue
        key = (answer.get("level") or "").strip()
        level: Level | None = None
        if key:
            level = next((lv for lv in claim.node.levels.all() if lv.key == key), None)
            if level is None:
                raise ApplicationError(
                    UNKNOWN_LEVEL.format(code=claim.node.code), field=f"level-{claim.node.code}"
                )
        claim.level = level
        claim.evidence = (answer.get("evidence") or "").strip()
        claim.links = _links(answer.get("links"), claim.node.code)
        claim.save(update_fields=["level", "evidence", "links"])
    return profile


@transaction.atomic
def profile_declare(
    *, actor: Any, profile: TcopProfile, now: dt.datetime | None = None
) -> TcopProfile:
    """The owner declares the draft: every point answered, evidence for every applicable one.
    It becomes the asset's current profile (tier: self-declared); earlier ones become history."""
    if not is_asset_owner(actor, profile.asset):
        raise ApplicationError(NOT_AN_OWNER)
    if profile.state != TcopProfile.State.DRAFT:
        raise ApplicationError(NOT_A_DRAFT)
    asset = profile.asset
    for claim in _claims(profile):
        node = claim.node
        if claim.level is None:
            raise ApplicationError(
                CLAIM_REQUIRED.format(asset=asset.name, code=node.code, title=node.title),
                field=f"level-{node.code}",
            )
        if claim.level.key != NOT_APPLICABLE and not claim.evidence:
            raise ApplicationError(
                EVIDENCE_REQUIRED.format(code=node.code, title=node.title),
                field=f"evidence-{node.code}",
            )
    now = now or timezone.now()
    asset.tcop_profiles.exclude(pk=profile.pk).exclude(state=TcopProfile.State.DRAFT).update(
        state=TcopProfile.State.SUPERSEDED
    )
    profile.state = TcopProfile.State.DECLARED
    profile.declared_at = now
    profile.declared_by = actor
    profile.save(update_fields=["state", "declared_at", "declared_by", "updated_at"])
    refresh_asset_tier(asset, today=timezone.localdate(now))
    event_log(
        actor=actor,
        action="catalogue.tcop.declare",
        summary=f"Declared the TCoP profile of “{asset.name}”",
        obj=profile,
        organisation=asset.owners.first(),
    )
    return profile


@transaction.atomic
def profile_review(
    *,
    actor: Any,
    profile: TcopProfile,
    reviews: Mapping[str, Mapping[str, str]],
    now: dt.datetime | None = None,
) -> TcopProfile:
    """A reviewer from an organisation that does not own the asset confirms or challenges
    every point (`reviews` maps a point's code to {"review": confirmed|challenged, "comment"});
    a challenge needs a reason. The profile becomes peer-reviewed."""
    asset = profile.asset
    own = active_organisation_ids(actor)
    owners = {o.pk for o in asset.owners.all()}
    others = sorted(own - owners)
    if not others or (own & owners):
        raise ApplicationError(OWN_ORGANISATION)
    if profile.state != TcopProfile.State.DECLARED:
        raise ApplicationError(NOT_DECLARED)
    claims = _claims(profile)
    for claim in claims:
        node = claim.node
        answer = reviews.get(node.code) or {}
        verdict = answer.get("review", "")
        comment = (answer.get("comment") or "").strip()
        if verdict not in TcopClaim.Review.values:
            raise ApplicationError(
                REVIEW_REQUIRED.format(code=node.code, title=node.title),
                field=f"review-{node.code}",
            )
        if verdict == TcopClaim.Review.CHALLENGED and not comment:
            raise ApplicationError(
                CHALLENGE_REASON.format(code=node.code), field=f"comment-{node.code}"
            )
        claim.review, claim.review_comment = verdict, comment
    TcopClaim.objects.bulk_update(claims, ["review", "review_comment"])
    now = now or timezone.now()
    from localdigital.organisations.models import Organisation

    profile.state = TcopProfile.State.REVIEWED
    profile.reviewed_at = now
    profile.reviewer = actor
    profile.reviewer_organisation = Organisation.objects.get(pk=others[0])
    profile.save(
        update_fields=["state", "reviewed_at", "reviewer", "reviewer_organisation", "updated_at"]
    )
    refresh_asset_tier(asset, today=timezone.localdate(now))
    challenged = sum(1 for c in claims if c.review == TcopClaim.Review.CHALLENGED)
    event_log(
        actor=actor,
        action="catalogue.tcop.review",
        summary=f"{profile.reviewer_organisation.short_name} peer-reviewed the TCoP profile of "
        f"“{asset.name}” ({challenged} points challenged)",
        obj=profile,
        organisation=profile.reviewer_organisation,
        data={"challenged": challenged},
    )
    _tell_owners(
        profile,
        f"{profile.reviewer_organisation.short_name} peer-reviewed the TCoP "
        f"profile of ‘{asset.name}’",
        challenged,
    )
    return profile


@transaction.atomic
def profile_assure(
    *, actor: Any, profile: TcopProfile, comment: str = "", now: dt.datetime | None = None
) -> TcopProfile:
    """Programme staff sign off a peer-reviewed profile: it becomes assured."""
    if not is_programme_staff(actor):
        raise ApplicationError(NOT_STAFF)
    if profile.state != TcopProfile.State.REVIEWED:
        raise ApplicationError(NOT_REVIEWED)
    now = now or timezone.now()
    profile.state = TcopProfile.State.ASSURED
    profile.assured_at = now
    profile.assured_by = actor
    profile.assurance_comment = comment.strip()
    profile.save(
        update_fields=["state", "assured_at", "assured_by", "assurance_comment", "updated_at"]
    )
    asset = refresh_asset_tier(profile.asset, today=timezone.localdate(now))
    event_log(
        actor=actor,
        action="catalogue.tcop.assure",
        summary=f"Assured the TCoP profile of “{asset.name}”"
        + (" (accredited)" if asset.tcop_accredited else ""),
        obj=profile,
        organisation=asset.owners.first(),
        data={"accredited": asset.tcop_accredited},
    )
    _tell_owners(profile, f"The TCoP profile of ‘{asset.name}’ is assured", 0)
    return profile


def _tell_owners(profile: TcopProfile, title: str, challenged: int) -> None:
    from localdigital.notifications.services import notification_create

    people = [profile.declared_by] if profile.declared_by else []
    body = (
        f"{challenged} points were challenged: see the reviewer’s comments."
        if challenged
        else "See the profile for the details."
    )
    for person in people:
        notification_create(
            recipient=person,
            kind="catalogue.tcop",
            title=title,
            body=body,
            url=profile.asset.get_absolute_url() + "#tcop",
            organisation=profile.asset.owners.first(),
        )


@dataclass(frozen=True)
class Tier:
    key: str  # "", "declared", "reviewed", "assured" or "lapsed"
    label: str
    until: dt.date | None
    accredited: bool


TIER_LABELS = {
    "": "No TCoP profile",
    "declared": "Self-declared",
    "reviewed": "Peer-reviewed",
    "assured": "Assured",
    "lapsed": "Lapsed",
}


def tier_of(profile: TcopProfile | None, today: dt.date, claims: list | None = None) -> Tier:
    """The tier a profile holds today. Tier dates only move forward (declared, then reviewed,
    then assured), so the highest tier reached lapses last; when it lapses, all have."""
    if profile is None or profile.declared_at is None:
        return Tier("", TIER_LABELS[""], None, False)
    key, moment = "declared", profile.declared_at
    if profile.state == TcopProfile.State.ASSURED and profile.assured_at:
        key, moment = "assured", profile.assured_at
    elif profile.state == TcopProfile.State.REVIEWED and profile.reviewed_at:
        key, moment = "reviewed", profile.reviewed_at
    until = timezone.localdate(moment) + dt.timedelta(days=LAPSE_DAYS)
    if until < today:
        return Tier("lapsed", TIER_LABELS["lapsed"], until, False)
    accredited = False
    if key == "assured":
        claims = claims if claims is not None else list(profile.claims.select_related("level"))
        accredited = all(
            c.level is not None
            and (c.level.key == NOT_APPLICABLE or c.level.key == MEETS)
            and c.review != TcopClaim.Review.CHALLENGED
            for c in claims
        )
    return Tier(key, TIER_LABELS[key], until, accredited)


def refresh_asset_tier(asset: Asset, *, today: dt.date | None = None) -> Asset:
    """Store the current tier on the asset, for the catalogue's filter and badge."""
    today = today or timezone.localdate()
    tier = tier_of(current_profile(asset), today)
    asset.tcop_tier, asset.tcop_tier_until = tier.key, tier.until
    asset.tcop_accredited = tier.accredited
    asset.save(update_fields=["tcop_tier", "tcop_tier_until", "tcop_accredited"])
    return asset


def tcop_housekeeping_run(*, today: dt.date | None = None) -> int:
    """Daily: drop tiers that lapsed (their badge and the filter must not claim them)."""
    today = today or timezone.localdate()
    lapsed = Asset.objects.filter(tcop_tier_until__lt=today).exclude(tcop_tier="lapsed")
    count = 0
    for asset in lapsed:
        refresh_asset_tier(asset, today=today)
        count += 1
    return count
