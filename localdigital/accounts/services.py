"""Writes for people, memberships, global roles, two-factor devices and API tokens.

Every function here is a service in the CONVENTIONS.md sense: keyword-only, atomic, validated
before saving, and audited. HTML views and the API call these same functions.
"""

import secrets
import string
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import tokens
from localdigital.accounts.authentication import TOKEN_PREFIX, hash_token
from localdigital.accounts.models import ApiToken, User
from localdigital.accounts.selectors import organisation_for_email
from localdigital.audit.services import event_log
from localdigital.core.access import can_manage_members, is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership, Organisation

EMAIL_TAKEN = "An account with that email address already exists"
LINK_INVALID = "That link is not valid. Sign in and ask for a new link from your account page"
LINK_EXPIRED = "That link has expired. Sign in and ask for a new link from your account page"
EMAIL_NOT_VERIFIED = "Confirm your email address before you join an organisation"
ORGANISATION_NOT_CURRENT = "Choose an organisation that exists today"
ALREADY_MEMBER = "You are already a member of {organisation}"
ALREADY_REQUESTED = "You have already asked to join {organisation}"
NOT_PENDING = "This request has already been decided"
NOT_ACTIVE = "This person is not an active member of the organisation"
LAST_ADMIN = "An organisation must have at least one admin"
ROLE_UNKNOWN = "Choose a role"
GLOBAL_ROLE_UNKNOWN = "Choose programme staff or assessor"
OWN_STAFF_ROLE = "You cannot remove your own programme staff role"
TOKEN_REVOKED = "This token has already been revoked"  # noqa: S105 - a message
CODE_WRONG = "The code is not correct. Check your authenticator app and try again"
DEVICE_CONFIRMED = "Two-factor authentication is already set up"

BACKUP_CODE_COUNT = 10
GLOBAL_ROLES = {"programme_staff": "is_programme_staff", "assessor": "is_assessor"}
GLOBAL_ROLE_NAMES = {"programme_staff": "programme staff", "assessor": "assessor"}
_TOKEN_ALPHABET = string.ascii_letters + string.digits


# People ------------------------------------------------------------------------------------


@transaction.atomic
def user_sign_up(*, full_name: str, email: str, password: str) -> User:
    """Create an account and email a link to confirm the address. The person is unverified."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(EMAIL_TAKEN, field="email")
    user = User(email=email, full_name=full_name.strip())
    user.set_password(password)
    user.full_clean()
    user.save()
    event_log(actor=user, action="account.sign_up", summary=f"{email} created an account", obj=user)
    _send_verification(user)
    return user


def _send_verification(user: User) -> None:
    from localdigital.accounts.tasks import email_verification_send

    user_id = user.pk
    transaction.on_commit(lambda: email_verification_send.enqueue(user_id))


@transaction.atomic
def user_verification_resend(*, actor: User) -> None:
    """Send the person a fresh link to confirm their email address."""
    if actor.is_email_verified:
        return
    event_log(
        actor=actor,
        action="account.verification_resend",
        summary=f"{actor.email} asked for a new confirmation link",
        obj=actor,
    )
    _send_verification(actor)


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Mark the email address in a signed link as confirmed. Following a link twice is fine."""
    try:
        user_id, email = tokens.email_verification_read(token)
    except tokens.LinkExpired:
        raise ApplicationError(LINK_EXPIRED) from None
    except tokens.LinkInvalid:
        raise ApplicationError(LINK_INVALID) from None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.email != email:
        raise ApplicationError(LINK_INVALID)
    if not user.is_email_verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        event_log(
            actor=user,
            action="account.verify_email",
            summary=f"{user.email} confirmed their email address",
            obj=user,
        )
    return user


@transaction.atomic
def user_update_profile(*, actor: User, full_name: str, job_title: str) -> User:
    """Change the person's own name and job title."""
    actor.full_name = full_name.strip()
    actor.job_title = job_title.strip()
    actor.full_clean()
    actor.save(update_fields=["full_name", "job_title"])
    event_log(
        actor=actor, action="account.update_profile", summary="Updated their profile", obj=actor
    )
    return actor


@transaction.atomic
def user_password_reset_request(*, email: str) -> None:
    """Email a reset link if the address has an account. Says nothing either way to the caller."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    from localdigital.accounts.tasks import password_reset_send

    event_log(
        actor=None,
        action="account.password_reset_request",
        summary=f"A password reset link was requested for {user.email}",
        obj=user,
    )
    user_id = user.pk
    transaction.on_commit(lambda: password_reset_send.enqueue(user_id))


@transaction.atomic
def user_password_set(*, actor: User, password: str, reason: str = "change") -> User:
    """Give the person a new password (after checking the old one, or from a reset link).

    A reset link proves the person reads mail at the address, so it also confirms the address.
    """
    actor.set_password(password)
    fields = ["password"]
    if reason == "reset" and not actor.is_email_verified:
        actor.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    actor.save(update_fields=fields)
    event_log(
        actor=actor,
        action=f"account.password_{reason}",
        summary="Reset their password" if reason == "reset" else "Changed their password",
        obj=actor,
    )
    return actor


# Memberships -------------------------------------------------------------------------------


def _admins(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.ADMIN,
        email_verified_at__isnull=False,
        is_active=True,
    )


def _members_url(organisation: Organisation) -> str:
    return reverse("organisations:members:list", kwargs={"code": organisation.code})


@transaction.atomic
def membership_request(*, actor: User, organisation: Organisation, note: str = "") -> Membership:
    """Ask to join an organisation.

    The membership is active at once when the organisation allows automatic joining and the
    person's confirmed email address is on one of its domains; otherwise it waits for an admin,
    and the organisation's admins (or programme staff, if it has none) are told.
    """
    if not actor.is_email_verified:
        raise ApplicationError(EMAIL_NOT_VERIFIED)
    if not organisation.is_current:
        raise ApplicationError(ORGANISATION_NOT_CURRENT, field="organisation")
    membership = (
        Membership.objects.select_for_update().filter(user=actor, organisation=organisation).first()
    )
    if membership is not None and membership.status == Membership.Status.ACTIVE:
        raise ApplicationError(ALREADY_MEMBER.format(organisation=organisation.short_name))
    if membership is not None and membership.status == Membership.Status.PENDING:
        raise ApplicationError(ALREADY_REQUESTED.format(organisation=organisation.short_name))
    if membership is None:
        membership = Membership(user=actor, organisation=organisation)
    automatic = organisation.allow_automatic_joining and (
        (match := organisation_for_email(actor.email)) is not None and match.pk == organisation.pk
    )
    membership.role = Membership.Role.MEMBER
    membership.request_note = note.strip()
    membership.decided_by = None
    if automatic:
        membership.status = Membership.Status.ACTIVE
        membership.decided_at = timezone.now()
    else:
        membership.status = Membership.Status.PENDING
        membership.decided_at = None
    membership.full_clean(validate_constraints=False)
    membership.save()
    if automatic:
        event_log(
            actor=actor,
            action="membership.join_automatic",
            summary=f"{actor.email} joined {organisation.short_name} by email domain",
            obj=membership,
            organisation=organisation,
        )
        return membership
    event_log(
        actor=actor,
        action="membership.request",
        summary=f"{actor.email} asked to join {organisation.short_name}",
        obj=membership,
        organisation=organisation,
    )
    recipients = list(_admins(organisation))
    if not recipients:
        # Nobody at the organisation can decide yet; the programme team picks the request up.
        recipients = list(
            User.objects.filter(is_programme_staff=True, is_active=True).order_by("pk")
        )
    for recipient in recipients:
        notification_create(
            recipient=recipient,
            kind="membership.request",
            title=f"{actor.full_name} asked to join {organisation.short_name}",
            body=note.strip(),
            url=_members_url(organisation),
            organisation=organisation,
        )
    return membership


def _require_manager(actor: User, organisation: Organisation) -> None:
    if not can_manage_members(actor, organisation):
        raise PermissionDenied


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            status=Membership.Status.ACTIVE,
            role=Membership.Role.ADMIN,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )


def _membership_decide(
    *, actor: User, membership: Membership, status: str, action: str, summary: str
) -> Membership:
    """Record an admin's decision on a pending request and log it; the caller tells the person."""
    membership = _locked(membership)
    _require_manager(actor, membership.organisation)
    if membership.status != Membership.Status.PENDING:
        raise ApplicationError(NOT_PENDING)
    membership.status = status
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    event_log(
        actor=actor,
        action=action,
        summary=summary.format(email=membership.user.email, org=membership.organisation.short_name),
        obj=membership,
        organisation=membership.organisation,
    )
    return membership


@transaction.atomic
def membership_approve(*, actor: User, membership: Membership) -> Membership:
    """Let a pending requester in as a member, and tell them."""
    membership = _membership_decide(
        actor=actor,
        membership=membership,
        status=Membership.Status.ACTIVE,
        action="membership.approve",
        summary="Approved {email} as a member of {org}",
    )
    organisation = membership.organisation
    notification_create(
        recipient=membership.user,
        kind="membership.approved",
        title=f"You have joined {organisation.short_name}",
        body=f"{organisation.short_name} approved your request to join.",
        url=organisation.get_absolute_url(),
        organisation=organisation,
    )
    return membership


@transaction.atomic
def membership_decline(*, actor: User, membership: Membership) -> Membership:
    """Turn down a pending request, and tell the requester."""
    membership = _membership_decide(
        actor=actor,
        membership=membership,
        status=Membership.Status.DECLINED,
        action="membership.decline",
        summary="Declined {email}'s request to join {org}",
    )
    organisation = membership.organisation
    notification_create(
        recipient=membership.user,
        kind="membership.declined",
        title=f"Your request to join {organisation.short_name} was declined",
        body="Contact the organisation if you think this is a mistake.",
        url=reverse("accounts:profile"),
        organisation=organisation,
    )
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Make an active member an admin, or an admin a member (never the last admin)."""
    membership = _locked(membership)
    _require_manager(actor, membership.organisation)
    if role not in Membership.Role.values:
        raise ApplicationError(ROLE_UNKNOWN, field="role")
    if membership.status != Membership.Status.ACTIVE:
        raise ApplicationError(NOT_ACTIVE)
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN and not _other_active_admins(membership):
        raise ApplicationError(LAST_ADMIN, field="role")
    previous = membership.role
    membership.role = role
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["role", "updated_at"])
    organisation = membership.organisation
    event_log(
        actor=actor,
        action="membership.change_role",
        summary=(
            f"Changed {membership.user.email}'s role at {organisation.short_name} "
            f"to {membership.get_role_display().lower()}"
        ),
        obj=membership,
        organisation=organisation,
        data={"from": previous, "to": role},
    )
    notification_create(
        recipient=membership.user,
        kind="membership.role_changed",
        title=(
            f"Your role at {organisation.short_name} is now {membership.get_role_display().lower()}"
        ),
        url=reverse("accounts:profile"),
        organisation=organisation,
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> Membership:
    """End an active membership (never the last admin's). The record is kept for the audit."""
    membership = _locked(membership)
    _require_manager(actor, membership.organisation)
    if membership.status != Membership.Status.ACTIVE:
        raise ApplicationError(NOT_ACTIVE)
    if membership.role == Membership.Role.ADMIN and not _other_active_admins(membership):
        raise ApplicationError(LAST_ADMIN)
    membership.status = Membership.Status.REMOVED
    membership.role = Membership.Role.MEMBER
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["status", "role", "decided_at", "decided_by", "updated_at"])
    organisation = membership.organisation
    event_log(
        actor=actor,
        action="membership.remove",
        summary=f"Removed {membership.user.email} from {organisation.short_name}",
        obj=membership,
        organisation=organisation,
    )
    notification_create(
        recipient=membership.user,
        kind="membership.removed",
        title=f"You are no longer a member of {organisation.short_name}",
        url=reverse("accounts:profile"),
        organisation=organisation,
    )
    return membership


# Global roles ------------------------------------------------------------------------------


@transaction.atomic
def global_role_set(*, actor: User, person: User, role: str, value: bool) -> User:
    """Grant or remove programme staff or assessor. Only programme staff may do this."""
    if not is_programme_staff(actor):
        raise PermissionDenied
    if role not in GLOBAL_ROLES:
        raise ApplicationError(GLOBAL_ROLE_UNKNOWN, field="role")
    if role == "programme_staff" and not value and person.pk == actor.pk:
        raise ApplicationError(OWN_STAFF_ROLE, field="role")
    attribute = GLOBAL_ROLES[role]
    person = User.objects.select_for_update().get(pk=person.pk)
    if bool(getattr(person, attribute)) == value:
        return person
    setattr(person, attribute, value)
    person.save(update_fields=[attribute])
    name = GLOBAL_ROLE_NAMES[role]
    event_log(
        actor=actor,
        action="account.global_role_grant" if value else "account.global_role_remove",
        summary=(f"Made {person.email} {name}" if value else f"Removed {name} from {person.email}"),
        obj=person,
        data={"role": role, "value": value},
    )
    return person


# Two-factor --------------------------------------------------------------------------------


def two_factor_device_for_setup(*, actor: User) -> TOTPDevice:
    """The person's unconfirmed authenticator device, made on first visit to the set-up page.

    Not audited: nothing is protected by it until `two_factor_confirm` succeeds.
    """
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, actor: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a new authenticator with a code from it; return fresh backup codes to show once.

    Confirming replaces any earlier authenticator and backup codes the person had.
    """
    if device.user_id != actor.pk:
        raise PermissionDenied
    if device.confirmed:
        raise ApplicationError(DEVICE_CONFIRMED)
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ApplicationError(CODE_WRONG, field="code")
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=actor).delete()
    backup = StaticDevice.objects.create(user=actor, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=c) for c in codes])
    event_log(
        actor=actor,
        action="account.two_factor_confirm",
        summary="Set up two-factor authentication",
        obj=actor,
    )
    return codes


def two_factor_verify(*, actor: User, code: str) -> Any:
    """The confirmed device (authenticator or backup code) that accepts the code, or None.

    Not atomic on purpose: a failed attempt must still count towards django-otp's throttle.
    """
    code = code.strip().replace(" ", "")
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=actor, confirmed=True):
            if device.verify_token(code):
                event_log(
                    actor=actor,
                    action="account.two_factor_verify",
                    summary=(
                        "Signed in with a backup code"
                        if model is StaticDevice
                        else "Signed in with an authenticator app"
                    ),
                    obj=actor,
                )
                return device
    return None


# API tokens --------------------------------------------------------------------------------


def _random(length: int) -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(length))


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token; return it with the full secret, which is never stored."""
    prefix = _random(8)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = _random(8)
    raw = f"{TOKEN_PREFIX}_{prefix}_{_random(40)}"
    token = ApiToken(user=actor, name=name.strip(), prefix=prefix, key_hash=hash_token(raw))
    token.full_clean()
    token.save()
    event_log(
        actor=actor,
        action="api_token.create",
        summary=f"Created the API token {token.name} ({prefix})",
        obj=token,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token working. Only its owner can revoke it."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        raise ApplicationError(TOKEN_REVOKED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    event_log(
        actor=actor,
        action="api_token.revoke",
        summary=f"Revoked the API token {token.name} ({token.prefix})",
        obj=token,
    )
    return token
