"""Access helpers: the one place that decides who may read or change a scoped record.

Every scoped record is fetched through one of these. They raise Http404 both when the record is
missing and when it is not the person's, so nobody can learn that a record exists.
"""

from typing import Any

from django.http import Http404

from localdigital.organisations.models import Membership, Organisation


def is_programme_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_programme_staff)


def active_membership(user: Any, organisation: Organisation) -> Membership | None:
    """The person's active membership of the organisation, or None."""
    if not (user and user.is_authenticated):
        return None
    return (
        Membership.objects.filter(
            user=user, organisation=organisation, status=Membership.Status.ACTIVE
        )
        .select_related("organisation")
        .first()
    )


def is_member(user: Any, organisation: Organisation) -> bool:
    return active_membership(user, organisation) is not None


def is_org_admin(user: Any, organisation: Organisation) -> bool:
    membership = active_membership(user, organisation)
    return membership is not None and membership.role == Membership.Role.ADMIN


def access_organisation_for_user(user: Any, code: str, *, write: bool = False) -> Organisation:
    """An organisation by code. Reading is public; writing needs an org admin or programme staff."""
    try:
        organisation = Organisation.objects.get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None
    if write and not (is_programme_staff(user) or is_org_admin(user, organisation)):
        raise Http404("No such organisation")
    return organisation


def access_membership_for_user(user: Any, pk: int, *, write: bool = False) -> Membership:
    """A membership. The person can read their own; the organisation's admins and programme
    staff can read and decide on it. Anyone else gets 404."""
    if not (user and user.is_authenticated):
        raise Http404("No such membership")
    try:
        membership = Membership.objects.select_related("user", "organisation").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such membership") from None
    if is_programme_staff(user) or is_org_admin(user, membership.organisation):
        return membership
    if not write and membership.user_id == user.pk:
        return membership
    raise Http404("No such membership")
