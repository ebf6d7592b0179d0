"""Granting and removing cyber roles: only the council's admins, only to its members."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import CyberRole
from localdigital.cyber.services import roles as services
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


@pytest.fixture
def admin(council):
    return MembershipFactory(organisation=council, role=Membership.Role.ADMIN).user


def test_an_admin_makes_a_member_contributor(admin, council, people):
    role = services.role_grant(
        actor=admin, organisation=council, user=people["plain_member"], role="contributor"
    )
    assert role.granted_by == admin
    assert AuditEvent.objects.filter(action="cyber.role_grant").count() == 1


def test_only_members_get_roles(admin, council, people):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        services.role_grant(
            actor=admin, organisation=council, user=people["other_lead"], role="lead"
        )
    assert not CyberRole.objects.filter(user=people["other_lead"], organisation=council).exists()


def test_a_role_is_held_once(admin, council, people):
    with pytest.raises(ApplicationError, match="is already CAF lead"):
        services.role_grant(actor=admin, organisation=council, user=people["lead"], role="lead")


def test_an_unknown_role_is_refused(admin, council, people):
    with pytest.raises(ApplicationError, match=services.ROLE_REQUIRED):
        services.role_grant(
            actor=admin, organisation=council, user=people["plain_member"], role="owner"
        )


@pytest.mark.parametrize("name", ["lead", "plain_member", "other_lead", "staff"])
def test_only_the_councils_admins_grant_roles(council, people, name):
    with pytest.raises(ApplicationError, match=services.NOT_AN_ADMIN):
        services.role_grant(
            actor=people[name], organisation=council, user=people["plain_member"], role="lead"
        )
    assert not CyberRole.objects.filter(user=people["plain_member"]).exists()


def test_an_admin_removes_a_role(admin, council, people):
    role = CyberRole.objects.get(user=people["contributor"])
    services.role_remove(actor=admin, role=role)
    assert not CyberRole.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action="cyber.role_remove").exists()


def test_a_lead_cannot_remove_roles(council, people):
    role = CyberRole.objects.get(user=people["contributor"])
    with pytest.raises(ApplicationError, match=services.NOT_AN_ADMIN):
        services.role_remove(actor=people["lead"], role=role)
    assert CyberRole.objects.filter(pk=role.pk).exists()
