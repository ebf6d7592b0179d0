"""Writes for the Declaration: signing, withdrawing, corrections, commitments and their partners.

Views and the API fetch records through `localdigital.core.access` first; every service checks
again who may act, so a caller that forgets cannot let the wrong person sign. Every change is
written to the audit log.

A commitment's `year` is the calendar year it starts. Its year-end progress report is due on
31 December of that year (`progress_due_on`), the end of the year its mission must be delivered
in. Owners may report earlier when they finish early.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.access import can_act_for_declaration, is_org_admin, is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership, Organisation

# The Declaration was launched in July 2018: no commitment or signing can be older.
FIRST_YEAR = 2018

NOT_ALLOWED = "Only an admin of {organisation} or the programme team can do this"
ONLY_STAFF = "Only the programme team can do this"
NOT_CURRENT = "{organisation} is not a current organisation, so it cannot sign the Declaration"
ALREADY_SIGNED = (
    "{organisation} has already signed the Declaration. Withdraw first if you need to sign again."
)
DATE_REQUIRED = "Enter the date signed"
DATE_FUTURE = "Date signed must be today or in the past"
DATE_TOO_EARLY = "Date signed must be on or after 4 July 2018, when the Declaration was launched"
SENIOR_OFFICER_NAME_REQUIRED = "Enter the name of the senior officer"
SENIOR_OFFICER_ROLE_REQUIRED = "Enter the role of the senior officer"
POLITICAL_LEAD_NAME_REQUIRED = "Enter the name of the political lead"
POLITICAL_LEAD_ROLE_REQUIRED = "Enter the role of the political lead"
PRINCIPLES_REQUIRED = "Confirm that your organisation agrees to every principle"
ALREADY_WITHDRAWN = "{organisation} has already withdrawn this signature"
WITHDRAWAL_REASON_REQUIRED = "Enter the reason for withdrawing"
WITHDRAWN_ON_FUTURE = "Date withdrawn must be today or in the past"
WITHDRAWN_BEFORE_SIGNED = "Date withdrawn must be on or after the date signed"
NOTHING_CHANGED = "You have not changed anything"
NOT_SIGNED = "{organisation} has not signed the Declaration. Sign it before adding a commitment."
TITLE_REQUIRED = "Enter the title of your commitment"
MISSION_REQUIRED = "Enter the mission of your commitment"
IMPACT_REQUIRED = "Enter the impact of your commitment"
YEAR_REQUIRED = "Enter the year of your commitment"
YEAR_RANGE = "Year must be between {first} and {last}"
PARTNER_NOT_CURRENT = "{name} is not a current organisation"
PARTNER_SELF = "You cannot name your own organisation as a partner"
PROGRESS_REQUIRED = "Select how much of the commitment was done"
PROGRESS_NOTE_REQUIRED = "Enter a note about your progress"
RESPONSE_REQUIRED = "Select whether you confirm or decline being named"
NOT_PARTNER_ADMIN = "Only an admin of {organisation} can answer for it"

WITHDRAW_ACTION = "declaration.withdraw"
SIGNATORY_FIELDS = (
    "senior_officer_name",
    "senior_officer_role",
    "political_lead_name",
    "political_lead_role",
)
# Fields programme staff may correct on any signing, with the type the audit log records.
CORRECTABLE_FIELDS = (
    "signed_on",
    "signed_on_precision",
    *SIGNATORY_FIELDS,
    "statement",
    "evidence",
    "source_url",
    "withdrawn_on",
    "withdrawal_reason",
)


def progress_due_date(year: int) -> datetime.date:
    """The day a commitment's progress report is due: the last day of its year."""
    return datetime.date(year, 12, 31)


def _require_actor(actor: Any, organisation: Organisation) -> None:
    if not can_act_for_declaration(actor, organisation):
        raise ApplicationError(NOT_ALLOWED.format(organisation=organisation.short_name))


def _require_staff(actor: Any) -> None:
    if not is_programme_staff(actor):
        raise ApplicationError(ONLY_STAFF)


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean_text(value: str | None) -> str:
    """Multi-line text: trimmed, but paragraphs kept."""
    return (value or "").strip()


def _check_signed_on(signed_on: datetime.date | None) -> datetime.date:
    if signed_on is None:
        raise ApplicationError(DATE_REQUIRED, field="signed_on")
    if signed_on > timezone.localdate():
        raise ApplicationError(DATE_FUTURE, field="signed_on")
    if signed_on.year < FIRST_YEAR:
        raise ApplicationError(DATE_TOO_EARLY, field="signed_on")
    return signed_on


def _lock_organisation(organisation: Organisation) -> Organisation:
    """Lock the organisation's row so two people signing at once cannot both get past the
    already-signed check (the database constraint would stop the second, less kindly)."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check_can_sign(organisation: Organisation) -> None:
    if not organisation.is_current:
        raise ApplicationError(NOT_CURRENT.format(organisation=organisation.short_name))
    if Signing.objects.filter(organisation=organisation, status=Signing.Status.ACTIVE).exists():
        raise ApplicationError(ALREADY_SIGNED.format(organisation=organisation.short_name))


def active_signing(organisation: Organisation) -> Signing | None:
    """The organisation's active signing, or None. Used by the pages before they offer actions."""
    return Signing.objects.filter(organisation=organisation, status=Signing.Status.ACTIVE).first()


@transaction.atomic
def signing_create(
    *,
    actor: Any,
    organisation: Organisation,
    signed_on: datetime.date | None,
    senior_officer_name: str,
    senior_officer_role: str,
    political_lead_name: str,
    political_lead_role: str,
    principles: Iterable[Principle],
    statement: str = "",
) -> Signing:
    """Sign the Declaration for an organisation, online, as one of its admins (or programme staff).

    The organisation must be current and not already signed; the date cannot be in the future;
    the senior officer and the political lead who endorse it are named; and the organisation
    agrees to every principle.
    """
    _require_actor(actor, organisation)
    organisation = _lock_organisation(organisation)
    _check_can_sign(organisation)
    names = {
        name: _clean(value)
        for name, value in zip(
            SIGNATORY_FIELDS,
            (senior_officer_name, senior_officer_role, political_lead_name, political_lead_role),
            strict=True,
        )
    }
    for name, message in zip(
        SIGNATORY_FIELDS,
        (
            SENIOR_OFFICER_NAME_REQUIRED,
            SENIOR_OFFICER_ROLE_REQUIRED,
            POLITICAL_LEAD_NAME_REQUIRED,
            POLITICAL_LEAD_ROLE_REQUIRED,
        ),
        strict=True,
    ):
        if not names[name]:
            raise ApplicationError(message, field=name)
    signed_on = _check_signed_on(signed_on)
    agreed = {p.pk for p in principles}
    every = set(Principle.objects.values_list("pk", flat=True))
    if not every or agreed != every:
        raise ApplicationError(PRINCIPLES_REQUIRED, field="principles")
    signing = Signing(
        organisation=organisation,
        status=Signing.Status.ACTIVE,
        method=Signing.Method.ONLINE,
        signed_on=signed_on,
        signed_on_precision=Signing.DatePrecision.DAY,
        statement=_clean_text(statement),
        signed_by=actor,
        **names,
    )
    signing.full_clean()
    signing.save()
    signing.principles_agreed.set(sorted(every))
    event_log(
        actor=actor,
        action="declaration.sign",
        summary=f"{organisation.short_name} signed the Local Digital Declaration",
        obj=signing,
        organisation=organisation,
        data={"signed_on": signed_on.isoformat(), "method": signing.method, **names},
    )
    return signing


@transaction.atomic
def signing_record_offline(
    *,
    actor: Any,
    organisation: Organisation,
    signed_on: datetime.date | None,
    senior_officer_name: str = "",
    senior_officer_role: str = "",
    political_lead_name: str = "",
    political_lead_role: str = "",
    statement: str = "",
    evidence: str = "",
    source_url: str = "",
) -> Signing:
    """Record a signing made outside the Hub (on paper, by email), for programme staff only.

    The organisation agreed to the whole Declaration, so every principle is recorded as agreed.
    The names are optional: an offline signature does not always name both people.
    """
    _require_staff(actor)
    organisation = _lock_organisation(organisation)
    _check_can_sign(organisation)
    signed_on = _check_signed_on(signed_on)
    names = {
        "senior_officer_name": _clean(senior_officer_name),
        "senior_officer_role": _clean(senior_officer_role),
        "political_lead_name": _clean(political_lead_name),
        "political_lead_role": _clean(political_lead_role),
    }
    signing = Signing(
        organisation=organisation,
        status=Signing.Status.ACTIVE,
        method=Signing.Method.OFFLINE,
        signed_on=signed_on,
        signed_on_precision=Signing.DatePrecision.DAY,
        statement=_clean_text(statement),
        evidence=_clean(evidence),
        source_url=source_url.strip(),
        signed_by=actor,
        **names,
    )
    signing.full_clean()
    signing.save()
    signing.principles_agreed.set(list(Principle.objects.values_list("pk", flat=True)))
    event_log(
        actor=actor,
        action="declaration.record_offline",
        summary=f"Recorded that {organisation.short_name} signed the Declaration offline",
        obj=signing,
        organisation=organisation,
        data={"signed_on": signed_on.isoformat(), "method": signing.method, "evidence": evidence},
    )
    return signing


@transaction.atomic
def signing_withdraw(*, actor: Any, signing: Signing, reason: str) -> Signing:
    """Withdraw an organisation's signature. The signing is kept, closed, with the reason; the
    organisation can sign again later, which opens a new signing."""
    organisation = signing.organisation
    _require_actor(actor, organisation)
    signing = Signing.objects.select_for_update().get(pk=signing.pk)
    if signing.status != Signing.Status.ACTIVE:
        raise ApplicationError(ALREADY_WITHDRAWN.format(organisation=organisation.short_name))
    reason = _clean_text(reason)
    if not reason:
        raise ApplicationError(WITHDRAWAL_REASON_REQUIRED, field="reason")
    signing.status = Signing.Status.WITHDRAWN
    signing.withdrawn_on = timezone.localdate()
    signing.withdrawn_by = actor
    signing.withdrawal_reason = reason
    signing.full_clean()
    signing.save(
        update_fields=[
            "status",
            "withdrawn_on",
            "withdrawn_by",
            "withdrawal_reason",
            "updated_at",
        ]
    )
    event_log(
        actor=actor,
        action=WITHDRAW_ACTION,
        summary=f"{organisation.short_name} withdrew from the Local Digital Declaration",
        obj=signing,
        organisation=organisation,
        data={"withdrawn_on": signing.withdrawn_on.isoformat(), "reason": reason},
    )
    return signing


def _audit_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def signing_correct(*, actor: Any, signing: Signing, **changes: Any) -> Signing:
    """Correct a signing's recorded details (programme staff only). Only the fields given are
    changed; the audit log keeps each changed field's old and new value.

    Raises ApplicationError when nothing would change, so a correction is never recorded empty.
    """
    _require_staff(actor)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"These fields cannot be corrected: {', '.join(sorted(unknown))}")
    signing = Signing.objects.select_for_update().select_related("organisation").get(pk=signing.pk)
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in SIGNATORY_FIELDS or name in ("evidence", "source_url"):
            value = _clean(value)
        elif name in ("statement", "withdrawal_reason"):
            value = _clean_text(value)
        cleaned[name] = value
    precision = cleaned.get("signed_on_precision", signing.signed_on_precision)
    signed_on = cleaned.get("signed_on", signing.signed_on)
    if precision != Signing.DatePrecision.UNKNOWN:
        _check_signed_on(signed_on)
    elif signed_on is not None and signed_on > timezone.localdate():
        raise ApplicationError(DATE_FUTURE, field="signed_on")
    if signing.status == Signing.Status.WITHDRAWN:
        withdrawn_on = cleaned.get("withdrawn_on", signing.withdrawn_on)
        if withdrawn_on is None:
            raise ApplicationError("Enter the date withdrawn", field="withdrawn_on")
        if withdrawn_on > timezone.localdate():
            raise ApplicationError(WITHDRAWN_ON_FUTURE, field="withdrawn_on")
        if signed_on is not None and withdrawn_on < signed_on:
            raise ApplicationError(WITHDRAWN_BEFORE_SIGNED, field="withdrawn_on")
    else:
        cleaned.pop("withdrawn_on", None)
        cleaned.pop("withdrawal_reason", None)
    diff = {
        name: {"old": _audit_value(getattr(signing, name)), "new": _audit_value(value)}
        for name, value in cleaned.items()
        if getattr(signing, name) != value
    }
    if not diff:
        raise ApplicationError(NOTHING_CHANGED)
    for name in diff:
        setattr(signing, name, cleaned[name])
    signing.full_clean()
    signing.save(update_fields=[*diff, "updated_at"])
    event_log(
        actor=actor,
        action="declaration.correct",
        summary=f"Corrected the Declaration signing of {signing.organisation.short_name}",
        obj=signing,
        organisation=signing.organisation,
        data={"changes": diff},
    )
    return signing


def resolve_partners(values: Iterable[str]) -> list[Organisation]:
    """Organisations named by code or by name (any letter case), in the order given.

    Forms and the API both name partners as text. Raises ApplicationError on the `partners`
    field, naming the first entry that is not a current organisation.
    """
    wanted = [_clean(value) for value in values if _clean(value)]
    if not wanted:
        return []
    query = Q()
    for value in wanted:
        query |= Q(code__iexact=value) | Q(short_name__iexact=value) | Q(name__iexact=value)
    candidates = list(Organisation.objects.filter(query))
    found: list[Organisation] = []
    for value in wanted:
        lower = value.lower()
        matches = [
            o for o in candidates if lower in (o.code.lower(), o.short_name.lower(), o.name.lower())
        ]
        # A former council may share a name with its successor: prefer the current one.
        current = [o for o in matches if o.is_current]
        if not current:
            name = matches[0].name if matches else value
            raise ApplicationError(PARTNER_NOT_CURRENT.format(name=name), field="partners")
        if current[0] not in found:
            found.append(current[0])
    return found


def _check_partners(organisation: Organisation, partners: Iterable[Organisation]) -> list:
    chosen: list[Organisation] = []
    for partner in partners:
        if partner.pk == organisation.pk:
            raise ApplicationError(PARTNER_SELF, field="partners")
        if not partner.is_current:
            raise ApplicationError(PARTNER_NOT_CURRENT.format(name=partner.name), field="partners")
        if partner not in chosen:
            chosen.append(partner)
    return chosen


def _check_commitment_fields(*, year: int | None, title: str, mission: str, impact: str) -> int:
    if not title:
        raise ApplicationError(TITLE_REQUIRED, field="title")
    if not mission:
        raise ApplicationError(MISSION_REQUIRED, field="mission")
    if not impact:
        raise ApplicationError(IMPACT_REQUIRED, field="impact")
    return check_year(year)


def check_year(year: int | None) -> int:
    """A commitment year: from the Declaration's launch to next year (councils plan ahead)."""
    last = timezone.localdate().year + 1
    if year is None:
        raise ApplicationError(YEAR_REQUIRED, field="year")
    if not FIRST_YEAR <= year <= last:
        raise ApplicationError(YEAR_RANGE.format(first=FIRST_YEAR, last=last), field="year")
    return year


def _admins_of(organisation: Organisation) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        ).select_related("user")
    ]


def _notify_partner(partner: CommitmentPartner) -> None:
    commitment = partner.commitment
    owner = commitment.organisation.short_name
    url = reverse("declaration:partner_respond", kwargs={"pk": partner.pk})
    for admin in _admins_of(partner.organisation):
        notification_create(
            recipient=admin,
            kind="declaration.partner_named",
            title=f"{owner} named {partner.organisation.short_name} as a partner",
            body=(
                f"{owner} named {partner.organisation.short_name} as a partner in its Declaration "
                f"commitment “{commitment.title}”. Confirm or decline being named."
            ),
            url=url,
            organisation=partner.organisation,
        )


def _add_partners(commitment: Commitment, partners: list[Organisation]) -> list[CommitmentPartner]:
    added = []
    for organisation in partners:
        partner = CommitmentPartner(commitment=commitment, organisation=organisation)
        partner.full_clean()
        partner.save()
        added.append(partner)
    for partner in added:
        _notify_partner(partner)
    return added


@transaction.atomic
def commitment_create(
    *,
    actor: Any,
    organisation: Organisation,
    year: int | None,
    title: str,
    mission: str,
    impact: str,
    principles: Iterable[Principle] = (),
    partners: Iterable[Organisation] = (),
) -> Commitment:
    """Add a yearly commitment for an organisation that has signed the Declaration.

    Each partner organisation's admins are notified and asked to confirm or decline being named;
    until they answer the partner shows as awaiting confirmation.
    """
    _require_actor(actor, organisation)
    signing = active_signing(organisation)
    if signing is None:
        raise ApplicationError(NOT_SIGNED.format(organisation=organisation.short_name))
    title, mission, impact = _clean(title), _clean_text(mission), _clean_text(impact)
    year = _check_commitment_fields(year=year, title=title, mission=mission, impact=impact)
    chosen = _check_partners(organisation, partners)
    commitment = Commitment(
        organisation=organisation,
        signing=signing,
        year=year,
        title=title,
        mission=mission,
        impact=impact,
        progress_due_on=progress_due_date(year),
        created_by=actor,
    )
    commitment.full_clean()
    commitment.save()
    principle_list = list(principles)
    commitment.principles.set(principle_list)
    _add_partners(commitment, chosen)
    event_log(
        actor=actor,
        action="declaration.commitment_create",
        summary=f"{organisation.short_name} added the Declaration commitment “{title}”",
        obj=commitment,
        organisation=organisation,
        data={
            "year": year,
            "title": title,
            "principles": sorted(p.key for p in principle_list),
            "partners": [p.code for p in chosen],
        },
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: Any,
    commitment: Commitment,
    year: int | None = None,
    title: str | None = None,
    mission: str | None = None,
    impact: str | None = None,
    principles: Iterable[Principle] | None = None,
    partners: Iterable[Organisation] | None = None,
) -> Commitment:
    """Change a commitment. Arguments left as None stay as they are.

    Partners newly named are notified; partners no longer named are removed; partners kept keep
    their answer. The audit log records each change's old and new value.
    """
    organisation = commitment.organisation
    _require_actor(actor, organisation)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    new_values: dict[str, Any] = {
        "year": commitment.year if year is None else year,
        "title": commitment.title if title is None else _clean(title),
        "mission": commitment.mission if mission is None else _clean_text(mission),
        "impact": commitment.impact if impact is None else _clean_text(impact),
    }
    new_values["year"] = _check_commitment_fields(**new_values)
    new_values["progress_due_on"] = progress_due_date(new_values["year"])
    diff: dict[str, Any] = {
        name: {"old": _audit_value(getattr(commitment, name)), "new": _audit_value(value)}
        for name, value in new_values.items()
        if getattr(commitment, name) != value
    }
    if principles is not None:
        old_keys = sorted(commitment.principles.values_list("key", flat=True))
        principle_list = list(principles)
        new_keys = sorted(p.key for p in principle_list)
        if old_keys != new_keys:
            commitment.principles.set(principle_list)
            diff["principles"] = {"old": old_keys, "new": new_keys}
    if partners is not None:
        chosen = _check_partners(organisation, partners)
        current = {p.organisation_id: p for p in commitment.partners.select_related("organisation")}
        wanted = {o.pk for o in chosen}
        removed = [p for pk, p in current.items() if pk not in wanted]
        added = [o for o in chosen if o.pk not in current]
        if removed or added:
            CommitmentPartner.objects.filter(pk__in=[p.pk for p in removed]).delete()
            _add_partners(commitment, added)
            diff["partners"] = {
                "old": sorted(p.organisation.code for p in current.values()),
                "new": sorted(o.code for o in chosen),
            }
    scalar = [name for name in new_values if name in diff]
    if scalar:
        for name in scalar:
            setattr(commitment, name, new_values[name])
        commitment.full_clean()
        commitment.save(update_fields=[*scalar, "updated_at"])
    if diff:
        event_log(
            actor=actor,
            action="declaration.commitment_update",
            summary=f"{organisation.short_name} changed the Declaration commitment "
            f"“{commitment.title}”",
            obj=commitment,
            organisation=organisation,
            data={"changes": diff},
        )
    return commitment


@transaction.atomic
def commitment_progress_report(
    *, actor: Any, commitment: Commitment, progress: str, note: str
) -> Commitment:
    """Record how much of a commitment was done (done, partly done, not done) with a note.

    A later report replaces an earlier one; the audit log keeps both.
    """
    organisation = commitment.organisation
    _require_actor(actor, organisation)
    reportable = {c for c in Commitment.Progress.values if c}
    if progress not in reportable:
        raise ApplicationError(PROGRESS_REQUIRED, field="progress")
    note = _clean_text(note)
    if not note:
        raise ApplicationError(PROGRESS_NOTE_REQUIRED, field="note")
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    previous = commitment.progress
    commitment.progress = progress
    commitment.progress_note = note
    commitment.progress_reported_at = timezone.now()
    commitment.progress_reported_by = actor
    commitment.full_clean()
    commitment.save(
        update_fields=[
            "progress",
            "progress_note",
            "progress_reported_at",
            "progress_reported_by",
            "updated_at",
        ]
    )
    event_log(
        actor=actor,
        action="declaration.commitment_progress",
        summary=f"{organisation.short_name} reported progress on “{commitment.title}”: "
        f"{commitment.get_progress_display()}",
        obj=commitment,
        organisation=organisation,
        data={"old": previous, "new": progress, "note": note},
    )
    return commitment


@transaction.atomic
def commitment_partner_respond(
    *, actor: Any, partner: CommitmentPartner, status: str
) -> CommitmentPartner:
    """A partner organisation's admin confirms or declines being named in a commitment.

    They may change their answer later. The owner's admins are told the answer.
    """
    if not is_org_admin(actor, partner.organisation):
        raise ApplicationError(
            NOT_PARTNER_ADMIN.format(organisation=partner.organisation.short_name)
        )
    if status not in (CommitmentPartner.Status.CONFIRMED, CommitmentPartner.Status.DECLINED):
        raise ApplicationError(RESPONSE_REQUIRED, field="status")
    partner = CommitmentPartner.objects.select_for_update().get(pk=partner.pk)
    commitment = Commitment.objects.select_related("organisation").get(pk=partner.commitment_id)
    previous = partner.status
    partner.status = status
    partner.responded_at = timezone.now()
    partner.responded_by = actor
    partner.full_clean()
    partner.save(update_fields=["status", "responded_at", "responded_by", "updated_at"])
    verb = "confirmed" if status == CommitmentPartner.Status.CONFIRMED else "declined"
    name = partner.organisation.short_name
    event_log(
        actor=actor,
        action="declaration.partner_respond",
        summary=f"{name} {verb} being named in “{commitment.title}”",
        obj=partner,
        organisation=partner.organisation,
        data={"commitment": commitment.pk, "old": previous, "new": status},
    )
    url = reverse("declaration:commitment_detail", kwargs={"pk": commitment.pk})
    for admin in _admins_of(commitment.organisation):
        notification_create(
            recipient=admin,
            kind="declaration.partner_response",
            title=f"{name} {verb} being named as a partner",
            body=f"{name} {verb} being named as a partner in “{commitment.title}”.",
            url=url,
            organisation=commitment.organisation,
        )
    return partner
