"""Reads for cycles, their assessments, the council's cyber people and systems to assess."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from localdigital.core.access import active_organisation_ids
from localdigital.cyber.access import cyber_organisation_ids
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer
from localdigital.estate.models import System
from localdigital.frameworks.models import Framework, Profile
from localdigital.organisations.models import Membership, Organisation


def assessments_with_progress() -> QuerySet[Assessment]:
    """Assessments with `outcome_count` and `completed_count` annotated."""
    return Assessment.objects.select_related("system").annotate(
        outcome_count=Count("answers"),
        completed_count=Count("answers", filter=Q(answers__status=OutcomeAnswer.Status.COMPLETED)),
    )


def cycles_for_user(user: Any) -> QuerySet[Cycle]:
    """The cycles of the councils where the person holds a cyber role, newest first, with their
    assessments and progress."""
    return (
        Cycle.objects.filter(organisation_id__in=cyber_organisation_ids(user))
        .select_related("organisation", "framework", "profile")
        .prefetch_related(Prefetch("assessments", queryset=assessments_with_progress()))
        .order_by("-year", "organisation__name")
    )


def cycles_assured_by(user: Any) -> QuerySet[Cycle]:
    """The cycles the person is the independent assurer of, newest first, with their
    assessments and progress. Never a cycle of a council they now belong to: they are not its
    independent assurer any more."""
    if not (user and user.is_authenticated):
        return Cycle.objects.none()
    return (
        Cycle.objects.filter(assurer=user)
        .exclude(organisation_id__in=active_organisation_ids(user))
        .select_related("organisation", "framework", "profile")
        .prefetch_related(Prefetch("assessments", queryset=assessments_with_progress()))
        .order_by("-year", "organisation__name")
    )


def cycle_assessments(cycle: Cycle) -> QuerySet[Assessment]:
    """The cycle's assessments, organisation first, with progress."""
    return assessments_with_progress().filter(cycle=cycle).order_by("-kind", "system_name", "pk")


def systems_to_assess(cycle: Cycle) -> QuerySet[System]:
    """The council's registered systems not yet assessed in the cycle, critical ones first."""
    return (
        System.objects.filter(organisation_id=cycle.organisation_id)
        .exclude(cyber_assessments__cycle=cycle)
        .select_related("product")
        .order_by("-critical", "product__name", "other_name", "pk")
    )


def caf_frameworks() -> QuerySet[Framework]:
    """The loaded CAF versions, newest first."""
    return Framework.objects.filter(framework_id="caf").order_by("-version_order")


def caf_profiles() -> QuerySet[Profile]:
    """Target profiles of the CAF versions."""
    return (
        Profile.objects.filter(framework__framework_id="caf")
        .select_related("framework")
        .order_by("framework__version_order", "name")
    )


def cyber_people(organisation: Organisation) -> QuerySet[Any]:
    """Active members of the council holding any cyber role, by name."""
    return (
        get_user_model()
        .objects.filter(
            cyber_roles__organisation=organisation,
            memberships__organisation=organisation,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def council_members(organisation: Organisation) -> QuerySet[Any]:
    """Active members of the council, by name."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__status=Membership.Status.ACTIVE,
        )
        .order_by("full_name", "email")
    )


def roles_at(organisation: Organisation) -> QuerySet[CyberRole]:
    """The council's cyber roles with their holders."""
    return (
        CyberRole.objects.filter(organisation=organisation)
        .select_related("user", "granted_by")
        .order_by("role", "user__full_name", "pk")
    )


def lead_organisations(user: Any) -> list[Organisation]:
    """The councils where the person is an active member and the CAF lead."""
    return list(
        Organisation.objects.filter(
            pk__in=cyber_organisation_ids(user),
            cyber_roles__user=user,
            cyber_roles__role=CyberRole.Role.LEAD,
        ).order_by("name")
    )


def admin_organisations(user: Any) -> list[Organisation]:
    """The councils where the person is an active admin (they manage its cyber roles)."""
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role=Membership.Role.ADMIN,
            memberships__status=Membership.Status.ACTIVE,
        ).order_by("name")
    )
