from localdigital.accounts import selectors
from localdigital.accounts.tests.factories import UserFactory
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import (
    MembershipFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
)


def test_candidate_domains_walk_up_to_two_labels():
    assert selectors.candidate_domains("a@x.Hackney.gov.uk") == [
        "x.hackney.gov.uk",
        "hackney.gov.uk",
        "gov.uk",
    ]
    assert selectors.candidate_domains("a@example") == []


def test_the_email_domain_suggests_the_organisation_including_parent_domains(council):
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")
    assert selectors.organisation_for_email("a@hackney.gov.uk") == council
    assert selectors.organisation_for_email("a@digital.hackney.gov.uk") == council
    assert selectors.organisation_for_email("a@nothackney.gov.uk") is None
    assert selectors.organisation_for_email("a@gov.uk") is None


def test_the_most_specific_domain_wins_and_former_organisations_are_never_suggested(council):
    school = OrganisationFactory(short_name="Learning Trust")
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")
    OrganisationDomainFactory(organisation=school, domain="learning.hackney.gov.uk")
    assert selectors.organisation_for_email("a@learning.hackney.gov.uk") == school
    school.is_current = False
    school.save()
    assert selectors.organisation_for_email("a@learning.hackney.gov.uk") == council


def test_memberships_visible_to_a_person_admin_and_staff(
    council, other_council, member, org_admin, other_admin, programme_staff
):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    assert list(selectors.memberships_visible_to(member)) == [member.memberships.get()]
    admin_sees = set(selectors.memberships_visible_to(org_admin))
    assert admin_sees == set(Membership.objects.filter(organisation=council))
    assert pending in admin_sees
    assert set(selectors.memberships_visible_to(programme_staff)) == set(Membership.objects.all())


def test_an_unverified_admin_sees_only_their_own_membership(council, member):
    admin = MembershipFactory(
        organisation=council, role="admin", user=UserFactory(email_verified_at=None)
    ).user
    assert list(selectors.memberships_visible_to(admin)) == [admin.memberships.get()]


def test_organisations_to_join_leaves_out_current_memberships_and_former_councils(
    council, other_council, member
):
    former = OrganisationFactory(is_current=False)
    declined_at = OrganisationFactory(short_name="Kent")
    MembershipFactory(user=member, organisation=declined_at, status=Membership.Status.DECLINED)
    choices = set(selectors.organisations_to_join(member))
    assert council not in choices
    assert former not in choices
    assert {other_council, declined_at} <= choices
    assert list(selectors.organisations_to_join(member, "cambridge")) == [other_council]


def test_people_search_matches_name_or_email(db):
    ada = UserFactory(full_name="Ada Lovelace", email="ada@hackney.gov.uk")
    UserFactory(full_name="Grace Hopper", email="grace@kent.gov.uk")
    assert list(selectors.people_search("lovelace")) == [ada]
    assert list(selectors.people_search("HACKNEY")) == [ada]
