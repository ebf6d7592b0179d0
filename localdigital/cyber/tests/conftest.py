"""Fixtures for cyber health: CAF 4.0 loaded, a council with people in each cyber role, another
council with its own CAF lead, an assurer from a third council, programme staff, and a cycle with
an organisation assessment."""

import pytest

from localdigital.accounts.tests.factories import UserFactory
from localdigital.cyber.models import Assessment, CyberRole, Cycle
from localdigital.frameworks.models import Framework
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def caf(db):
    """CAF 4.0 (and every other shipped framework), loaded from the shipped files."""
    from localdigital.frameworks.reference_data import load_frameworks

    load_frameworks()
    return Framework.objects.get(framework_id="caf", version="4.0")


@pytest.fixture
def council(db):
    return OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")


@pytest.fixture
def other_council(db):
    return OrganisationFactory(code="LDS", short_name="Leeds", name="Leeds City Council")


def person_with_role(organisation, role):
    user = MembershipFactory(organisation=organisation).user
    if role:
        CyberRole.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def people(council, other_council):
    assurer_council = OrganisationFactory(code="KEN", short_name="Kent", name="Kent County Council")
    return {
        "lead": person_with_role(council, CyberRole.Role.LEAD),
        "contributor": person_with_role(council, CyberRole.Role.CONTRIBUTOR),
        "approver": person_with_role(council, CyberRole.Role.APPROVER),
        "plain_member": person_with_role(council, None),
        "other_lead": person_with_role(other_council, CyberRole.Role.LEAD),
        "assurer": person_with_role(assurer_council, None),
        "other_assurer": person_with_role(assurer_council, None),
        "staff": UserFactory(is_programme_staff=True),
        "no_council": UserFactory(),
    }


@pytest.fixture
def cycle(caf, council, people):
    return Cycle.objects.create(
        organisation=council, year=2026, framework=caf, assurer=people["assurer"]
    )


@pytest.fixture
def other_cycle(caf, other_council, people):
    return Cycle.objects.create(
        organisation=other_council, year=2026, framework=caf, assurer=people["other_assurer"]
    )


@pytest.fixture
def assessment(cycle):
    return Assessment.objects.create(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
