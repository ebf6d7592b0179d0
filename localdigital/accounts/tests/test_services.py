import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import services, tokens
from localdigital.accounts.authentication import hash_token
from localdigital.accounts.models import User
from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import (
    MembershipFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
)


def audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_sign_up_stores_a_lower_case_email_and_a_hashed_password(db):
    user = services.user_sign_up(
        full_name=" Ada Lovelace ", email="Ada@Hackney.GOV.uk", password="analytical-engine"
    )
    assert user.email == "ada@hackney.gov.uk"
    assert user.full_name == "Ada Lovelace"
    assert user.check_password("analytical-engine")
    assert not user.is_email_verified
    assert audited("account.sign_up") == 1


def test_sign_up_refuses_an_email_that_exists_in_any_case(db):
    UserFactory(email="ada@hackney.gov.uk")
    with pytest.raises(ApplicationError) as error:
        services.user_sign_up(full_name="Ada", email="ADA@hackney.gov.uk", password="x" * 12)
    assert error.value.message == services.EMAIL_TAKEN
    assert error.value.field == "email"


def test_verifying_twice_is_harmless_and_audited_once(db):
    user = UserFactory(email_verified_at=None)
    token = tokens.email_verification_token(user)
    services.user_verify_email(token=token)
    services.user_verify_email(token=token)
    user.refresh_from_db()
    assert user.is_email_verified
    assert audited("account.verify_email") == 1


def test_a_verification_link_for_an_old_email_address_no_longer_works(db):
    user = UserFactory(email_verified_at=None, email="old@hackney.gov.uk")
    token = tokens.email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new@hackney.gov.uk")
    with pytest.raises(ApplicationError) as error:
        services.user_verify_email(token=token)
    assert error.value.message == services.LINK_INVALID


def test_update_profile_changes_name_and_job_title_and_is_audited(member):
    services.user_update_profile(actor=member, full_name="Grace", job_title="Lead")
    member.refresh_from_db()
    assert (member.full_name, member.job_title) == ("Grace", "Lead")
    assert audited("account.update_profile") == 1


def test_a_reset_link_confirms_an_unverified_email(db):
    user = UserFactory(email_verified_at=None)
    services.user_password_set(actor=user, password="new-pass-phrase", reason="reset")
    user.refresh_from_db()
    assert user.is_email_verified
    assert audited("account.password_reset") == 1


# Memberships ---------------------------------------------------------------------------------


def test_an_unverified_person_cannot_ask_to_join(council):
    person = UserFactory(email_verified_at=None)
    with pytest.raises(ApplicationError) as error:
        services.membership_request(actor=person, organisation=council)
    assert error.value.message == services.EMAIL_NOT_VERIFIED
    assert not Membership.objects.exists()


def test_a_former_organisation_cannot_be_joined(db):
    former = OrganisationFactory(is_current=False)
    with pytest.raises(ApplicationError) as error:
        services.membership_request(actor=UserFactory(), organisation=former)
    assert error.value.message == services.ORGANISATION_NOT_CURRENT


def test_a_request_is_pending_and_notifies_each_admin_but_not_plain_members(
    council, org_admin, member
):
    second_admin = MembershipFactory(organisation=council, role=Membership.Role.ADMIN).user
    person = UserFactory()
    membership = services.membership_request(actor=person, organisation=council, note=" Hi ")
    assert membership.status == Membership.Status.PENDING
    assert membership.request_note == "Hi"
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {org_admin.pk, second_admin.pk}
    assert audited("membership.request") == 1


def test_a_request_to_an_organisation_without_admins_goes_to_programme_staff(
    council, programme_staff
):
    services.membership_request(actor=UserFactory(), organisation=council)
    assert Notification.objects.get().recipient == programme_staff


def test_automatic_joining_needs_both_the_setting_and_a_domain_match(db):
    organisation = OrganisationFactory(allow_automatic_joining=True)
    OrganisationDomainFactory(organisation=organisation, domain="auto.gov.uk")
    inside = UserFactory(email="a@team.auto.gov.uk")
    outside = UserFactory(email="b@elsewhere.gov.uk")
    assert (
        services.membership_request(actor=inside, organisation=organisation).status
        == Membership.Status.ACTIVE
    )
    assert (
        services.membership_request(actor=outside, organisation=organisation).status
        == Membership.Status.PENDING
    )
    assert audited("membership.join_automatic") == 1


def test_a_matching_domain_without_automatic_joining_still_waits(council):
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")
    person = UserFactory(email="a@hackney.gov.uk")
    membership = services.membership_request(actor=person, organisation=council)
    assert membership.status == Membership.Status.PENDING


def test_asking_twice_or_as_a_member_is_refused_but_asking_again_after_a_decline_works(
    council, org_admin, member
):
    with pytest.raises(ApplicationError) as error:
        services.membership_request(actor=member, organisation=council)
    assert error.value.message == services.ALREADY_MEMBER.format(organisation="Hackney")
    person = UserFactory()
    membership = services.membership_request(actor=person, organisation=council)
    with pytest.raises(ApplicationError) as error:
        services.membership_request(actor=person, organisation=council)
    assert error.value.message == services.ALREADY_REQUESTED.format(organisation="Hackney")
    services.membership_decline(actor=org_admin, membership=membership)
    again = services.membership_request(actor=person, organisation=council, note="Please")
    assert again.pk == membership.pk
    assert again.status == Membership.Status.PENDING
    assert again.decided_by is None


def test_approve_activates_records_who_decided_and_tells_the_requester(council, org_admin):
    person = UserFactory()
    membership = services.membership_request(actor=person, organisation=council)
    approved = services.membership_approve(actor=org_admin, membership=membership)
    assert approved.status == Membership.Status.ACTIVE
    assert approved.decided_by == org_admin
    assert approved.decided_at is not None
    assert Notification.objects.filter(recipient=person, kind="membership.approved").exists()
    assert audited("membership.approve") == 1
    with pytest.raises(ApplicationError) as error:
        services.membership_decline(actor=org_admin, membership=membership)
    assert error.value.message == services.NOT_PENDING


def test_only_managers_of_that_organisation_decide(council, member, other_admin, programme_staff):
    membership = services.membership_request(actor=UserFactory(), organisation=council)
    for outsider in (member, other_admin):
        with pytest.raises(PermissionDenied):
            services.membership_approve(actor=outsider, membership=membership)
    services.membership_approve(actor=programme_staff, membership=membership)


def test_an_unverified_admin_cannot_manage_members(council):
    admin = MembershipFactory(
        organisation=council,
        role=Membership.Role.ADMIN,
        user=UserFactory(email_verified_at=None),
    ).user
    membership = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=admin, membership=membership)


def test_change_role_promotes_and_demotes_but_never_the_last_admin(council, org_admin, member):
    mine = org_admin.memberships.get()
    theirs = member.memberships.get()
    with pytest.raises(ApplicationError) as error:
        services.membership_change_role(actor=org_admin, membership=mine, role="member")
    assert error.value.message == services.LAST_ADMIN
    services.membership_change_role(actor=org_admin, membership=theirs, role="admin")
    services.membership_change_role(actor=org_admin, membership=mine, role="member")
    mine.refresh_from_db()
    assert mine.role == Membership.Role.MEMBER
    assert audited("membership.change_role") == 2


def test_change_role_refuses_an_unknown_role_and_a_pending_membership(council, org_admin):
    pending = MembershipFactory(organisation=council, status=Membership.Status.PENDING)
    with pytest.raises(ApplicationError) as error:
        services.membership_change_role(actor=org_admin, membership=pending, role="owner")
    assert error.value.message == services.ROLE_UNKNOWN
    with pytest.raises(ApplicationError) as error:
        services.membership_change_role(actor=org_admin, membership=pending, role="admin")
    assert error.value.message == services.NOT_ACTIVE


def test_remove_keeps_the_record_and_protects_the_last_admin(council, org_admin, member):
    with pytest.raises(ApplicationError) as error:
        services.membership_remove(actor=org_admin, membership=org_admin.memberships.get())
    assert error.value.message == services.LAST_ADMIN
    removed = services.membership_remove(actor=org_admin, membership=member.memberships.get())
    assert removed.status == Membership.Status.REMOVED
    assert Membership.objects.filter(pk=removed.pk).exists()
    assert Notification.objects.filter(recipient=member, kind="membership.removed").exists()


def test_programme_staff_cannot_remove_the_last_admin_either(council, org_admin, programme_staff):
    with pytest.raises(ApplicationError):
        services.membership_remove(actor=programme_staff, membership=org_admin.memberships.get())


# Global roles --------------------------------------------------------------------------------


def test_programme_staff_grant_and_remove_global_roles_with_an_audit_trail(programme_staff):
    person = UserFactory()
    services.global_role_set(actor=programme_staff, person=person, role="assessor", value=True)
    services.global_role_set(
        actor=programme_staff, person=person, role="programme_staff", value=True
    )
    person.refresh_from_db()
    assert person.is_assessor
    assert person.is_programme_staff
    services.global_role_set(actor=programme_staff, person=person, role="assessor", value=False)
    person.refresh_from_db()
    assert not person.is_assessor
    assert audited("account.global_role_grant") == 2
    assert audited("account.global_role_remove") == 1


def test_setting_a_role_to_what_it_already_is_writes_nothing(programme_staff):
    person = UserFactory()
    services.global_role_set(actor=programme_staff, person=person, role="assessor", value=False)
    assert audited("account.global_role_remove") == 0


def test_only_programme_staff_grant_global_roles(org_admin):
    with pytest.raises(PermissionDenied):
        services.global_role_set(actor=org_admin, person=org_admin, role="assessor", value=True)


def test_global_roles_reject_unknown_roles_and_self_demotion(programme_staff):
    with pytest.raises(ApplicationError) as error:
        services.global_role_set(
            actor=programme_staff, person=programme_staff, role="superuser", value=True
        )
    assert error.value.message == services.GLOBAL_ROLE_UNKNOWN
    with pytest.raises(ApplicationError) as error:
        services.global_role_set(
            actor=programme_staff, person=programme_staff, role="programme_staff", value=False
        )
    assert error.value.message == services.OWN_STAFF_ROLE


# Two-factor and tokens -----------------------------------------------------------------------


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_two_factor_confirm_replaces_old_devices_and_makes_ten_backup_codes(org_admin):
    old = TOTPDevice.objects.create(user=org_admin, name="Old phone", confirmed=True)
    device = services.two_factor_device_for_setup(actor=org_admin)
    assert services.two_factor_device_for_setup(actor=org_admin) == device
    codes = services.two_factor_confirm(actor=org_admin, device=device, code=code_for(device))
    assert len(set(codes)) == services.BACKUP_CODE_COUNT
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticDevice.objects.get(user=org_admin).token_set.count() == 10
    assert audited("account.two_factor_confirm") == 1


def test_two_factor_confirm_refuses_a_wrong_code_and_someone_elses_device(org_admin, member):
    device = services.two_factor_device_for_setup(actor=org_admin)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    with pytest.raises(ApplicationError) as error:
        services.two_factor_confirm(actor=org_admin, device=device, code=wrong)
    assert error.value.message == services.CODE_WRONG
    with pytest.raises(PermissionDenied):
        services.two_factor_confirm(actor=member, device=device, code=code_for(device))


def test_api_token_create_stores_only_a_hash_and_returns_the_secret_once(member):
    token, raw = services.api_token_create(actor=member, name=" Export ")
    prefix, secret = raw.split("_")[1:]
    assert raw.startswith("ldh_")
    assert token.prefix == prefix
    assert len(secret) == 40
    assert token.key_hash == hash_token(raw)
    assert secret not in token.key_hash
    assert token.name == "Export"
    assert audited("api_token.create") == 1


def test_api_token_revoke_is_for_the_owner_only_and_only_once(member, org_admin):
    token, _ = services.api_token_create(actor=member, name="Export")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=org_admin, token=token)
    services.api_token_revoke(actor=member, token=token)
    token.refresh_from_db()
    assert not token.is_active
    with pytest.raises(ApplicationError) as error:
        services.api_token_revoke(actor=member, token=token)
    assert error.value.message == services.TOKEN_REVOKED
    assert audited("api_token.revoke") == 1
