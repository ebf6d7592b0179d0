"""The Declaration's access helpers, for every kind of person, reading and writing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from localdigital.core.access import (
    access_commitment_for_user,
    access_commitment_partner_for_user,
    access_signing_for_user,
    can_act_for_declaration,
)
from localdigital.declaration.tests.factories import CommitmentFactory, CommitmentPartnerFactory
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

PERSONAS = ["anonymous", "member", "other_admin", "org_admin", "programme_staff"]
# Who may change the owning organisation's Declaration records.
WRITERS = {"org_admin", "programme_staff"}


def person(request, persona):  # noqa: ANN001, ANN201
    if persona == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(persona)


@pytest.fixture
def partner(council, signing):
    """Cambridge's place in a commitment of Hackney; Cambridge's admin answers for it."""
    return CommitmentPartnerFactory(
        commitment=CommitmentFactory(organisation=council, signing=signing),
        organisation=OrganisationFactory(code="CAM2", short_name="Cambridge"),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_can_read_a_signing(request, persona, signing):
    assert access_signing_for_user(person(request, persona), signing.pk) == signing


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_can_change_a_signing(request, persona, signing):
    user = person(request, persona)
    if persona in WRITERS:
        assert access_signing_for_user(user, signing.pk, write=True) == signing
        assert can_act_for_declaration(user, signing.organisation)
    else:
        with pytest.raises(Http404):
            access_signing_for_user(user, signing.pk, write=True)
        assert not can_act_for_declaration(user, signing.organisation)


@pytest.mark.parametrize("write", [False, True])
def test_a_missing_signing_is_404(org_admin, db, write):
    with pytest.raises(Http404):
        access_signing_for_user(org_admin, 999_999, write=write)


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_can_read_a_commitment(request, persona, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    assert access_commitment_for_user(person(request, persona), commitment.pk) == commitment


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owners_admins_and_staff_can_change_a_commitment(
    request, persona, council, signing
):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    user = person(request, persona)
    if persona in WRITERS:
        assert access_commitment_for_user(user, commitment.pk, write=True) == commitment
    else:
        with pytest.raises(Http404):
            access_commitment_for_user(user, commitment.pk, write=True)


def test_a_missing_commitment_is_404(org_admin):
    with pytest.raises(Http404):
        access_commitment_for_user(org_admin, 999_999)


def test_an_admin_whose_email_is_not_confirmed_cannot_change_a_commitment(
    org_admin, council, signing
):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    org_admin.email_verified_at = None
    org_admin.save()
    with pytest.raises(Http404):
        access_commitment_for_user(org_admin, commitment.pk, write=True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_partners_admins_reaches_a_partner_answer(request, persona, partner):
    # The owner's admin (org_admin) and programme staff included: the partner decides.
    with pytest.raises(Http404):
        access_commitment_partner_for_user(person(request, persona), partner.pk)


def test_the_partners_admin_reaches_the_partner_answer(partner):
    admin = MembershipFactory(organisation=partner.organisation, role=Membership.Role.ADMIN).user
    assert access_commitment_partner_for_user(admin, partner.pk) == partner


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Membership.Role.MEMBER, Membership.Status.ACTIVE),
        (Membership.Role.ADMIN, Membership.Status.PENDING),
        (Membership.Role.ADMIN, Membership.Status.REMOVED),
    ],
)
def test_partner_members_and_inactive_admins_do_not_reach_the_answer(partner, role, status):
    user = MembershipFactory(organisation=partner.organisation, role=role, status=status).user
    with pytest.raises(Http404):
        access_commitment_partner_for_user(user, partner.pk)


def test_a_missing_partner_is_404(org_admin):
    with pytest.raises(Http404):
        access_commitment_partner_for_user(org_admin, 999_999)
