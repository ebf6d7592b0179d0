"""Reads for people, memberships and tokens. Each returns a queryset ready for a page."""

from typing import Any

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.models import ApiToken, User
from localdigital.organisations.models import Membership, Organisation, OrganisationDomain


def candidate_domains(email: str) -> list[str]:
    """The email's domain and each parent domain with at least two labels, most specific first.

    `a@x.hackney.gov.uk` gives x.hackney.gov.uk, hackney.gov.uk, gov.uk.
    """
    domain = email.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1) if labels[i]]


def organisation_for_email(email: str) -> Organisation | None:
    """The current organisation that owns the email's domain (the longest matching domain)."""
    candidates = candidate_domains(email)
    if not candidates:
        return None
    matches = {
        d.domain: d.organisation
        for d in OrganisationDomain.objects.filter(
            domain__in=candidates, organisation__is_current=True
        ).select_related("organisation")
    }
    for domain in candidates:
        if domain in matches:
            return matches[domain]
    return None


def memberships_for_user(user: Any) -> QuerySet[Membership]:
    """The person's own memberships of any status, for their profile."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__short_name")
    )


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    """Memberships the person may read: their own, and all of the organisations they administer.

    Programme staff see every membership.
    """
    base = Membership.objects.select_related("user", "organisation", "decided_by")
    if not (user and user.is_authenticated):
        return base.none()
    if user.is_programme_staff:
        return base.order_by("organisation__short_name", "user__email")
    mine = Q(user=user)
    if user.email_verified_at is not None:
        administered = Membership.objects.filter(
            user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
        ).values("organisation_id")
        mine |= Q(organisation_id__in=administered)
    return base.filter(mine).order_by("organisation__short_name", "user__email")


def organisation_pending_requests(organisation: Organisation) -> QuerySet[Membership]:
    """Requests to join the organisation that wait for a decision, oldest first."""
    return (
        Membership.objects.filter(organisation=organisation, status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    """Active members, admins first, then by name."""
    return (
        Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def organisations_to_join(user: Any, query: str = "") -> QuerySet[Organisation]:
    """Current organisations the person is not already in or waiting for, optionally searched."""
    taken = Membership.objects.filter(
        user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
    ).values("organisation_id")
    organisations = Organisation.objects.filter(is_current=True).exclude(pk__in=taken)
    query = query.strip().lower()
    if query:
        organisations = organisations.filter(
            Q(search_text__contains=query) | Q(short_name__icontains=query) | Q(code__iexact=query)
        )
    return organisations.only("pk", "code", "short_name", "name").order_by("short_name")


def api_tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, revoked ones included so they see what they revoked."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def two_factor_status(user: Any) -> dict[str, Any]:
    """Whether the person has a confirmed authenticator, and how many backup codes are left."""
    return {
        "enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "backup_codes_left": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    }


def people_search(query: str = "") -> QuerySet[User]:
    """People for the programme team's roles page, searched by name or email."""
    people = User.objects.all()
    query = query.strip()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return people.order_by("full_name", "email")
