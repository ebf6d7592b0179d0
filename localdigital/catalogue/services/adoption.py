"""Adoption ("who uses it"): record, reconfirm, review, and the yearly lapse.

A record counts in "used by" only while it is confirmed: it lapses a year after its last
confirmation. The daily housekeeping nudges the adopting organisation a month before, so the list
stays true without anyone cleaning it. Only current adopters that have piloted or used the asset
may rate it and say what worked.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from localdigital.audit.services import event_log
from localdigital.catalogue.models import LAPSE_DAYS, Adoption, Asset
from localdigital.core.access import active_organisation_ids
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership, Organisation

NOT_A_MEMBER = "You can only record adoption for an organisation you are a member of"
STATUS_REQUIRED = "Select whether your organisation is exploring, piloting, using or has stopped"
SAVING_NOT_WHOLE = "Enter the estimated annual saving as a whole number of pounds"
ALREADY_RECORDED = "{organisation} has already recorded its use of {name}: change that record"
NOT_AN_ADOPTER = "Only organisations that have piloted or used {name} can review it"
LAPSED = "Your organisation’s record has lapsed: confirm it is still true first"
RATING_REQUIRED = "Select a rating from 1 to 5"
REVIEW_REQUIRED = "Say what worked, or did not, in a few sentences"
REVIEW_TOO_LONG = "Keep your account to 2,000 characters or fewer"
# Exploring is interest, not use: only these may rate an asset.
REVIEWING_STATUSES = (Adoption.Status.PILOTING, Adoption.Status.USING, Adoption.Status.STOPPED)
NUDGE_DAYS_BEFORE = 30


def current_q(today: dt.date, prefix: str = "") -> Q:
    """Adoption records confirmed within the last year."""
    return Q(**{f"{prefix}confirmed_on__gte": today - dt.timedelta(days=LAPSE_DAYS)})


def refresh_adopter_count(asset: Asset, *, today: dt.date | None = None) -> int:
    """Keep the asset's count of current adopters (exploring excluded) for sorting."""
    today = today or timezone.localdate()
    count = (
        asset.adoptions.filter(current_q(today))
        .exclude(status=Adoption.Status.EXPLORING)
        .exclude(status=Adoption.Status.STOPPED)
        .count()
    )
    if count != asset.adopter_count:
        asset.adopter_count = count
        asset.save(update_fields=["adopter_count"])
    return count


def _require_member(actor: Any, organisation: Organisation) -> None:
    if actor is not None and organisation.pk not in active_organisation_ids(actor):
        raise ApplicationError(NOT_A_MEMBER, field="organisation")


def _checked(status: str, annual_saving: Any) -> int | None:
    if status not in Adoption.Status.values:
        raise ApplicationError(STATUS_REQUIRED, field="status")
    if annual_saving in (None, ""):
        return None
    try:
        saving = int(str(annual_saving).replace(",", "").replace("£", "").strip())
    except ValueError:
        raise ApplicationError(SAVING_NOT_WHOLE, field="annual_saving") from None
    if saving < 0:
        raise ApplicationError(SAVING_NOT_WHOLE, field="annual_saving")
    return saving


@transaction.atomic
def adoption_record(
    *,
    actor: Any,
    asset: Asset,
    organisation: Organisation,
    status: str,
    outcomes: str = "",
    annual_saving: Any = None,
    now: dt.datetime | None = None,
) -> Adoption:
    """An organisation says it explores, pilots, uses or has stopped using an asset."""
    _require_member(actor, organisation)
    saving = _checked(status, annual_saving)
    if Adoption.objects.filter(asset=asset, organisation=organisation).exists():
        raise ApplicationError(
            ALREADY_RECORDED.format(organisation=organisation.short_name, name=asset.name)
        )
    today = timezone.localdate(now or timezone.now())
    adoption = Adoption.objects.create(
        asset=asset,
        organisation=organisation,
        status=status,
        outcomes=outcomes.strip(),
        annual_saving=saving,
        confirmed_on=today,
        confirmed_by=actor,
    )
    refresh_adopter_count(asset, today=today)
    event_log(
        actor=actor,
        action="catalogue.adoption.record",
        summary=f"{organisation.short_name} is {adoption.get_status_display().lower()} "
        f"“{asset.name}”",
        obj=adoption,
        organisation=organisation,
        data={"asset": asset.slug, "status": status},
    )
    return adoption


@transaction.atomic
def adoption_update(
    *,
    actor: Any,
    adoption: Adoption,
    status: str,
    outcomes: str = "",
    annual_saving: Any = None,
    now: dt.datetime | None = None,
) -> Adoption:
    """Change a record; saving it is also a confirmation that it is true today."""
    _require_member(actor, adoption.organisation)
    adoption.annual_saving = _checked(status, annual_saving)
    adoption.status = status
    adoption.outcomes = outcomes.strip()
    adoption.confirmed_on = timezone.localdate(now or timezone.now())
    adoption.confirmed_by = actor
    adoption.nudged_on = None
    adoption.save()
    refresh_adopter_count(adoption.asset, today=adoption.confirmed_on)
    event_log(
        actor=actor,
        action="catalogue.adoption.update",
        summary=f"{adoption.organisation.short_name} updated its use of “{adoption.asset.name}”: "
        f"{adoption.get_status_display().lower()}",
        obj=adoption,
        organisation=adoption.organisation,
        data={"status": status},
    )
    return adoption


@transaction.atomic
def adoption_confirm(*, actor: Any, adoption: Adoption, now: dt.datetime | None = None) -> Adoption:
    """One click: the record is still true, so it counts for another year."""
    _require_member(actor, adoption.organisation)
    adoption.confirmed_on = timezone.localdate(now or timezone.now())
    adoption.confirmed_by = actor
    adoption.nudged_on = None
    adoption.save(update_fields=["confirmed_on", "confirmed_by", "nudged_on", "updated_at"])
    refresh_adopter_count(adoption.asset, today=adoption.confirmed_on)
    event_log(
        actor=actor,
        action="catalogue.adoption.confirm",
        summary=f"{adoption.organisation.short_name} confirmed its use of “{adoption.asset.name}”",
        obj=adoption,
        organisation=adoption.organisation,
    )
    return adoption


@transaction.atomic
def adoption_review(
    *,
    actor: Any,
    adoption: Adoption,
    rating: Any,
    review: str,
    now: dt.datetime | None = None,
) -> Adoption:
    """An adopter rates the asset (1 to 5) and says what worked. Only organisations with a
    current record of piloting, using or having stopped using it may."""
    _require_member(actor, adoption.organisation)
    now = now or timezone.now()
    if adoption.status not in REVIEWING_STATUSES:
        raise ApplicationError(NOT_AN_ADOPTER.format(name=adoption.asset.name))
    if not adoption.is_current(timezone.localdate(now)):
        raise ApplicationError(LAPSED)
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        raise ApplicationError(RATING_REQUIRED, field="rating") from None
    if not 1 <= stars <= 5:
        raise ApplicationError(RATING_REQUIRED, field="rating")
    review = (review or "").strip()
    if not review:
        raise ApplicationError(REVIEW_REQUIRED, field="review")
    if len(review) > 2000:
        raise ApplicationError(REVIEW_TOO_LONG, field="review")
    adoption.rating = stars
    adoption.review = review
    adoption.reviewed_at = now
    adoption.save(update_fields=["rating", "review", "reviewed_at", "updated_at"])
    event_log(
        actor=actor,
        action="catalogue.adoption.review",
        summary=f"{adoption.organisation.short_name} rated “{adoption.asset.name}” {stars} of 5",
        obj=adoption,
        organisation=adoption.organisation,
    )
    return adoption


@dataclass
class AdoptionHousekeeping:
    nudged: int = 0
    lapsed_assets: int = 0
    verify_nudged: int = 0

    def summary(self) -> str:
        return (
            f"{self.nudged} adoption records nudged for reconfirmation, "
            f"{self.lapsed_assets} assets' adopter counts refreshed, "
            f"{self.verify_nudged} assets' owners asked to check their entry"
        )


@transaction.atomic
def adoption_housekeeping_run(*, now: dt.datetime | None = None) -> AdoptionHousekeeping:
    """Daily: nudge organisations a month before a record lapses, and recount adopters where a
    record lapsed (so sorting by adopters stays true). Idempotent within a lapse period."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = AdoptionHousekeeping()
    lapse_from = today - dt.timedelta(days=LAPSE_DAYS)
    due = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("asset", "organisation", "confirmed_by")
        .filter(
            nudged_on__isnull=True,
            confirmed_on__lte=lapse_from + dt.timedelta(days=NUDGE_DAYS_BEFORE),
            confirmed_on__gte=lapse_from,
        )
    )
    for adoption in due:
        lapses = date_format(adoption.lapses_on(), "j F Y")
        for person in _contacts(adoption):
            notification_create(
                recipient=person,
                kind="catalogue.adoption_due",
                title=f"Is {adoption.organisation.short_name} still "
                f"{adoption.get_status_display().lower()} ‘{adoption.asset.name}’?",
                body=f"Confirm it by {lapses}, or your organisation stops being listed as an "
                "adopter. Change the record if things have moved on.",
                url=adoption.asset.get_absolute_url() + "#adoption",
                organisation=adoption.organisation,
            )
        adoption.nudged_on = today
        adoption.save(update_fields=["nudged_on"])
        result.nudged += 1
    # Assets whose count includes a record that lapsed yesterday or earlier.
    stale_assets = Asset.objects.filter(
        adopter_count__gt=0, adoptions__confirmed_on__lt=lapse_from
    ).distinct()
    for asset in stale_assets:
        before = asset.adopter_count
        if refresh_adopter_count(asset, today=today) != before:
            result.lapsed_assets += 1
    result.verify_nudged = _nudge_unverified(today)
    return result


def _nudge_unverified(today: dt.date) -> int:
    """Ask the owners of entries nobody has verified for a year to check them, once per year
    (confirming or changing the entry sets a new date)."""
    year_ago = today - dt.timedelta(days=LAPSE_DAYS)
    stale = (
        Asset.objects.select_for_update(of=("self",))
        .filter(last_verified__lt=year_ago)
        .filter(Q(verify_nudged_on__isnull=True) | Q(verify_nudged_on__lt=year_ago))
        .prefetch_related("owners")
    )
    count = 0
    for asset in stale:
        when = date_format(asset.last_verified, "j F Y") if asset.last_verified else ""
        for organisation in asset.owners.all():
            for person in _admins(organisation):
                notification_create(
                    recipient=person,
                    kind="catalogue.verify_due",
                    title=f"Is the catalogue entry for ‘{asset.name}’ still right?",
                    body=f"Nobody has checked it since {when}. Confirm it is accurate or change "
                    "what has changed, so councils can rely on it.",
                    url=asset.get_absolute_url(),
                    organisation=organisation,
                )
        asset.verify_nudged_on = today
        asset.save(update_fields=["verify_nudged_on"])
        count += 1
    return count


def _admins(organisation: Organisation) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        ).select_related("user")
    ]


def _contacts(adoption: Adoption) -> list[Any]:
    """Who confirmed the record last, else the organisation's admins."""
    person = adoption.confirmed_by
    if person is not None and adoption.organisation_id in active_organisation_ids(person):
        return [person]
    return _admins(adoption.organisation)


def catalogue_housekeeping_run(*, now: dt.datetime | None = None) -> str:
    """The catalogue's daily run: adoption nudges and recounts, unverified entries, and TCoP
    tiers that have lapsed. Returns a one-line summary."""
    from localdigital.catalogue.services.tcop import tcop_housekeeping_run

    now = now or timezone.now()
    adoption = adoption_housekeeping_run(now=now)
    lapsed = tcop_housekeeping_run(today=timezone.localdate(now))
    return f"{adoption.summary()}, {lapsed} TCoP tiers lapsed"
