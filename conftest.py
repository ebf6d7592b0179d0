"""Fixtures shared by every app's tests."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def council(db):
    return OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")


@pytest.fixture
def other_council(db):
    return OrganisationFactory(code="CAM", short_name="Cambridge", name="Cambridge City Council")


@pytest.fixture
def member(council):
    """A plain, active member of `council`."""
    return MembershipFactory(organisation=council, role=Membership.Role.MEMBER).user


@pytest.fixture
def org_admin(council):
    """An active admin of `council`."""
    return MembershipFactory(organisation=council, role=Membership.Role.ADMIN).user


@pytest.fixture
def other_admin(other_council):
    """An admin of a different council."""
    return MembershipFactory(organisation=other_council, role=Membership.Role.ADMIN).user


@pytest.fixture
def programme_staff(db):
    return UserFactory(email="steward@localdigital.gov.uk", is_programme_staff=True)


@pytest.fixture
def verified_client(client):
    """Sign a person in with a second factor already verified (as after a TOTP sign-in)."""

    def sign_in(user):
        device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return sign_in
