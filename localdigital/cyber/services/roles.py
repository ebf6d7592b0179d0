"""Cyber roles at a council: granted and removed by the council's admins.

A role is held by an active member of the council. Who may do what with a role is described in
cyber/access.py.
"""

from typing import Any

from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.access import active_membership, is_org_admin
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import CyberRole
from localdigital.organisations.models import Organisation

NOT_AN_ADMIN = "Only the council’s admins can grant or remove cyber roles"
NOT_A_MEMBER = "Choose an active member of the council"
ROLE_REQUIRED = "Select a role"
ALREADY_HOLDS = "{person} is already {role} of {organisation}"


def _require_admin(actor: Any, organisation: Organisation) -> None:
    if not is_org_admin(actor, organisation):
        raise ApplicationError(NOT_AN_ADMIN)


@transaction.atomic
def role_grant(*, actor: Any, organisation: Organisation, user: Any, role: str) -> CyberRole:
    """Give a member of the council a cyber role (CAF lead, contributor or approver)."""
    _require_admin(actor, organisation)
    if role not in CyberRole.Role.values:
        raise ApplicationError(ROLE_REQUIRED, field="role")
    if user is None or active_membership(user, organisation) is None:
        raise ApplicationError(NOT_A_MEMBER, field="user")
    if CyberRole.objects.filter(organisation=organisation, user=user, role=role).exists():
        raise ApplicationError(
            ALREADY_HOLDS.format(
                person=str(user),
                role=CyberRole.Role(role).label,
                organisation=organisation.short_name or organisation.name,
            ),
            field="user",
        )
    granted = CyberRole(organisation=organisation, user=user, role=role, granted_by=actor)
    granted.full_clean()
    granted.save()
    event_log(
        actor=actor,
        action="cyber.role_grant",
        summary=f"Made {user.email} {granted.get_role_display()} of {organisation}",
        obj=granted,
        organisation=organisation,
        data={"user": user.pk, "role": role},
    )
    return granted


@transaction.atomic
def role_remove(*, actor: Any, role: CyberRole) -> None:
    """Take a cyber role away."""
    _require_admin(actor, role.organisation)
    event_log(
        actor=actor,
        action="cyber.role_remove",
        summary=f"Removed {role.user.email} as {role.get_role_display()} of {role.organisation}",
        obj=role,
        organisation=role.organisation,
        data={"user": role.user_id, "role": role.role},
    )
    role.delete()
