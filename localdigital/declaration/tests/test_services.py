"""Declaration write services: the rules, the history they keep and the audit log they write."""

import datetime

import pytest
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.declaration import services
from localdigital.declaration.models import Commitment, CommitmentPartner, Signing
from localdigital.declaration.tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    SigningFactory,
)
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

SIGNED_ON = datetime.date(2025, 6, 2)


def sign(actor, organisation, principles, **overrides):  # noqa: ANN001, ANN201
    values = {
        "signed_on": SIGNED_ON,
        "senior_officer_name": "Sam Patel",
        "senior_officer_role": "Chief Executive",
        "political_lead_name": "Councillor Jo Evans",
        "political_lead_role": "Leader of the Council",
        "principles": principles,
        "statement": "We will work in the open.",
    }
    values.update(overrides)
    return services.signing_create(actor=actor, organisation=organisation, **values)


def commit(actor, organisation, **overrides):  # noqa: ANN001, ANN201
    values = {
        "year": 2025,
        "title": "Open bulky waste booking",
        "mission": "Launch a shared booking service for bulky waste.",
        "impact": "Residents book in minutes.",
    }
    values.update(overrides)
    return services.commitment_create(actor=actor, organisation=organisation, **values)


def test_an_org_admin_signs_for_their_organisation(org_admin, council, principles):
    signing = sign(org_admin, council, principles)

    assert signing.status == Signing.Status.ACTIVE
    assert signing.method == Signing.Method.ONLINE
    assert signing.signed_on == SIGNED_ON
    assert signing.signed_by == org_admin
    assert signing.senior_officer_role == "Chief Executive"
    assert set(signing.principles_agreed.all()) == set(principles)
    event = AuditEvent.objects.get(action="declaration.sign")
    assert event.actor == org_admin
    assert event.organisation == council
    assert event.object_id == str(signing.pk)
    assert event.data["signed_on"] == "2025-06-02"


def test_programme_staff_can_sign_for_an_organisation(programme_staff, council, principles):
    assert sign(programme_staff, council, principles).signed_by == programme_staff


@pytest.mark.parametrize("persona", ["member", "other_admin"])
def test_a_member_or_another_councils_admin_cannot_sign(request, persona, council, principles):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ApplicationError) as caught:
        sign(actor, council, principles)
    assert caught.value.message == services.NOT_ALLOWED.format(organisation="Hackney")
    assert not Signing.objects.exists()


def test_an_admin_whose_email_is_not_confirmed_cannot_sign(org_admin, council, principles):
    org_admin.email_verified_at = None
    org_admin.save()
    with pytest.raises(ApplicationError):
        sign(org_admin, council, principles)


def test_an_organisation_that_has_signed_cannot_sign_again(org_admin, council, principles):
    sign(org_admin, council, principles)
    with pytest.raises(ApplicationError) as caught:
        sign(org_admin, council, principles)
    assert caught.value.message == (
        "Hackney has already signed the Declaration. Withdraw first if you need to sign again."
    )
    assert Signing.objects.count() == 1


def test_a_former_organisation_cannot_sign(programme_staff, principles):
    former = OrganisationFactory(short_name="Allerdale", is_current=False)
    with pytest.raises(ApplicationError) as caught:
        sign(programme_staff, former, principles)
    assert caught.value.message == services.NOT_CURRENT.format(organisation="Allerdale")


def test_the_date_signed_cannot_be_in_the_future(org_admin, council, principles):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as caught:
        sign(org_admin, council, principles, signed_on=tomorrow)
    assert caught.value.message == "Date signed must be today or in the past"
    assert caught.value.field == "signed_on"


def test_today_is_an_allowed_date(org_admin, council, principles):
    assert sign(org_admin, council, principles, signed_on=timezone.localdate()).pk


def test_the_date_cannot_be_before_the_declaration_existed(org_admin, council, principles):
    with pytest.raises(ApplicationError, match="on or after 4 July 2018"):
        sign(org_admin, council, principles, signed_on=datetime.date(2017, 12, 1))


def test_every_principle_must_be_agreed(org_admin, council, principles):
    with pytest.raises(ApplicationError) as caught:
        sign(org_admin, council, principles[:4])
    assert caught.value.message == "Confirm that your organisation agrees to every principle"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("senior_officer_name", services.SENIOR_OFFICER_NAME_REQUIRED),
        ("senior_officer_role", services.SENIOR_OFFICER_ROLE_REQUIRED),
        ("political_lead_name", services.POLITICAL_LEAD_NAME_REQUIRED),
        ("political_lead_role", services.POLITICAL_LEAD_ROLE_REQUIRED),
    ],
)
def test_the_endorsers_names_and_roles_are_required(org_admin, council, principles, field, message):
    with pytest.raises(ApplicationError) as caught:
        sign(org_admin, council, principles, **{field: "   "})
    assert (caught.value.field, caught.value.message) == (field, message)


def test_withdrawing_keeps_the_signing_and_re_signing_opens_a_new_one(
    org_admin, council, principles
):
    first = sign(org_admin, council, principles)
    services.signing_withdraw(actor=org_admin, signing=first, reason="New administration")
    second = sign(org_admin, council, principles, signed_on=timezone.localdate())

    first.refresh_from_db()
    assert first.status == Signing.Status.WITHDRAWN
    assert first.withdrawn_on == timezone.localdate()
    assert first.withdrawn_by == org_admin
    assert first.withdrawal_reason == "New administration"
    assert second.status == Signing.Status.ACTIVE
    assert list(council.declaration_signings.order_by("pk")) == [first, second]
    assert list(
        AuditEvent.objects.filter(organisation=council)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["declaration.sign", "declaration.withdraw", "declaration.sign"]


def test_withdrawing_needs_a_reason(org_admin, signing):
    with pytest.raises(ApplicationError) as caught:
        services.signing_withdraw(actor=org_admin, signing=signing, reason=" ")
    assert caught.value.message == "Enter the reason for withdrawing"
    signing.refresh_from_db()
    assert signing.is_active


def test_a_withdrawn_signing_cannot_be_withdrawn_again(org_admin, signing):
    services.signing_withdraw(actor=org_admin, signing=signing, reason="Merged")
    with pytest.raises(ApplicationError, match="already withdrawn"):
        services.signing_withdraw(actor=org_admin, signing=signing, reason="Again")


def test_a_member_cannot_withdraw(member, signing):
    with pytest.raises(ApplicationError):
        services.signing_withdraw(actor=member, signing=signing, reason="No")


def test_programme_staff_record_an_offline_signing(programme_staff, council, principles):
    signing = services.signing_record_offline(
        actor=programme_staff,
        organisation=council,
        signed_on=datetime.date(2019, 5, 1),
        evidence="Signed letter from the chief executive",
    )
    assert signing.method == Signing.Method.OFFLINE
    assert signing.signed_on == datetime.date(2019, 5, 1)
    assert signing.principles_agreed.count() == 5
    assert AuditEvent.objects.filter(action="declaration.record_offline").count() == 1


def test_an_org_admin_cannot_record_an_offline_signing(org_admin, council, principles):
    with pytest.raises(ApplicationError) as caught:
        services.signing_record_offline(
            actor=org_admin, organisation=council, signed_on=datetime.date(2019, 5, 1)
        )
    assert caught.value.message == services.ONLY_STAFF


def test_an_offline_signing_cannot_be_in_the_future(programme_staff, council, principles):
    with pytest.raises(ApplicationError, match="today or in the past"):
        services.signing_record_offline(
            actor=programme_staff,
            organisation=council,
            signed_on=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_a_correction_records_the_old_and_new_values(programme_staff, signing):
    services.signing_correct(
        actor=programme_staff,
        signing=signing,
        signed_on=datetime.date(2024, 3, 1),
        signed_on_precision=Signing.DatePrecision.MONTH,
        senior_officer_name="Sam Patel",
        political_lead_name="Councillor Jo Evans-Smith",
    )
    signing.refresh_from_db()
    assert signing.signed_on == datetime.date(2024, 3, 1)
    assert signing.political_lead_name == "Councillor Jo Evans-Smith"
    event = AuditEvent.objects.get(action="declaration.correct")
    assert event.data["changes"] == {
        "signed_on": {"old": "2024-03-14", "new": "2024-03-01"},
        "signed_on_precision": {"old": "day", "new": "month"},
        "political_lead_name": {"old": "Councillor Jo Evans", "new": "Councillor Jo Evans-Smith"},
    }


def test_a_correction_can_mark_the_date_as_not_known(programme_staff, signing):
    services.signing_correct(
        actor=programme_staff,
        signing=signing,
        signed_on=None,
        signed_on_precision=Signing.DatePrecision.UNKNOWN,
    )
    signing.refresh_from_db()
    assert signing.signed_on is None


def test_a_correction_that_changes_nothing_is_refused(programme_staff, signing):
    with pytest.raises(ApplicationError, match=services.NOTHING_CHANGED):
        services.signing_correct(
            actor=programme_staff, signing=signing, senior_officer_name="Sam Patel"
        )
    assert not AuditEvent.objects.filter(action="declaration.correct").exists()


def test_only_programme_staff_correct_signings(org_admin, signing):
    with pytest.raises(ApplicationError, match=services.ONLY_STAFF):
        services.signing_correct(actor=org_admin, signing=signing, statement="Changed")


def test_a_correction_cannot_move_the_withdrawal_before_the_signing(
    programme_staff, org_admin, signing
):
    services.signing_withdraw(actor=org_admin, signing=signing, reason="Merged")
    with pytest.raises(ApplicationError, match=services.WITHDRAWN_BEFORE_SIGNED):
        services.signing_correct(
            actor=programme_staff, signing=signing, withdrawn_on=datetime.date(2024, 1, 1)
        )


def test_an_active_signatory_adds_a_commitment_and_partners_are_asked(
    org_admin, council, signing, principles
):
    partner = OrganisationFactory(code="MAN", short_name="Manchester")
    partner_admin = MembershipFactory(organisation=partner, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=partner, role=Membership.Role.MEMBER)

    commitment = commit(org_admin, council, principles=principles[:2], partners=[partner])

    assert commitment.signing == signing
    assert commitment.progress_due_on == datetime.date(2025, 12, 31)
    assert list(commitment.principles.all()) == principles[:2]
    named = commitment.partners.get()
    assert (named.organisation, named.status) == (partner, CommitmentPartner.Status.AWAITING)
    notification = Notification.objects.get()
    assert notification.recipient == partner_admin
    assert notification.title == "Hackney named Manchester as a partner"
    assert notification.url == f"/declaration/commitment-partners/{named.pk}/respond/"
    event = AuditEvent.objects.get(action="declaration.commitment_create")
    assert event.data["partners"] == ["MAN"]


def test_an_organisation_that_has_not_signed_cannot_add_a_commitment(org_admin, council):
    with pytest.raises(ApplicationError) as caught:
        commit(org_admin, council)
    assert caught.value.message == (
        "Hackney has not signed the Declaration. Sign it before adding a commitment."
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Enter the title of your commitment"),
        ("mission", "Enter the mission of your commitment"),
        ("impact", "Enter the impact of your commitment"),
    ],
)
def test_a_commitment_needs_a_title_mission_and_impact(org_admin, council, signing, field, message):
    with pytest.raises(ApplicationError) as caught:
        commit(org_admin, council, **{field: ""})
    assert (caught.value.field, caught.value.message) == (field, message)
    assert not Commitment.objects.exists()


def test_a_commitment_year_must_be_sensible(org_admin, council, signing):
    with pytest.raises(ApplicationError, match="Year must be between 2018"):
        commit(org_admin, council, year=2017)
    with pytest.raises(ApplicationError, match="Year must be between 2018"):
        commit(org_admin, council, year=timezone.localdate().year + 2)


def test_a_partner_must_be_a_current_organisation(org_admin, council, signing):
    former = OrganisationFactory(name="Allerdale Borough Council", is_current=False)
    with pytest.raises(ApplicationError) as caught:
        commit(org_admin, council, partners=[former])
    assert caught.value.message == "Allerdale Borough Council is not a current organisation"
    assert caught.value.field == "partners"


def test_you_cannot_name_yourself_as_a_partner(org_admin, council, signing):
    with pytest.raises(ApplicationError) as caught:
        commit(org_admin, council, partners=[council])
    assert caught.value.message == services.PARTNER_SELF


def test_a_member_cannot_add_a_commitment(member, council, signing):
    with pytest.raises(ApplicationError):
        commit(member, council)


def test_partners_are_found_by_code_or_name_preferring_the_current_council(db):
    current = OrganisationFactory(
        code="MAN", short_name="Manchester", name="Manchester City Council"
    )
    OrganisationFactory(code="OLD", short_name="Manchester", is_current=False)
    kent = OrganisationFactory(code="KEN", short_name="Kent", name="Kent County Council")

    found = services.resolve_partners(["man", "  kent county council ", "", "Manchester"])

    assert found == [current, kent]


def test_an_unknown_partner_name_is_named_in_the_error(db):
    with pytest.raises(ApplicationError, match="^Atlantis is not a current organisation$"):
        services.resolve_partners(["Atlantis"])


def test_updating_a_commitment_records_changes_and_asks_new_partners_only(
    org_admin, council, signing
):
    kept = OrganisationFactory(code="MAN", short_name="Manchester")
    dropped = OrganisationFactory(code="KEN", short_name="Kent")
    added = OrganisationFactory(code="LDS", short_name="Leeds")
    added_admin = MembershipFactory(organisation=added, role=Membership.Role.ADMIN).user
    commitment = commit(org_admin, council, partners=[kept, dropped])
    CommitmentPartner.objects.filter(organisation=kept).update(status="confirmed")
    Notification.objects.all().delete()

    services.commitment_update(
        actor=org_admin, commitment=commitment, year=2026, partners=[kept, added]
    )

    commitment.refresh_from_db()
    assert commitment.year == 2026
    assert commitment.progress_due_on == datetime.date(2026, 12, 31)
    statuses = dict(commitment.partners.values_list("organisation__code", "status"))
    assert statuses == {"MAN": "confirmed", "LDS": "awaiting"}
    assert list(Notification.objects.values_list("recipient", flat=True)) == [added_admin.pk]
    event = AuditEvent.objects.get(action="declaration.commitment_update")
    assert event.data["changes"]["year"] == {"old": 2025, "new": 2026}
    assert event.data["changes"]["partners"] == {"old": ["KEN", "MAN"], "new": ["LDS", "MAN"]}


def test_updating_with_an_empty_mission_is_refused(org_admin, council, signing):
    commitment = commit(org_admin, council)
    with pytest.raises(ApplicationError, match="Enter the mission of your commitment"):
        services.commitment_update(actor=org_admin, commitment=commitment, mission="")


def test_another_councils_admin_cannot_update_a_commitment(
    other_admin, org_admin, council, signing
):
    commitment = commit(org_admin, council)
    with pytest.raises(ApplicationError):
        services.commitment_update(actor=other_admin, commitment=commitment, title="Mine now")


def test_the_owner_reports_progress_with_a_note(org_admin, council, signing):
    commitment = commit(org_admin, council)
    services.commitment_progress_report(
        actor=org_admin, commitment=commitment, progress="partly_done", note="Beta is live."
    )
    commitment.refresh_from_db()
    assert commitment.progress == Commitment.Progress.PARTLY_DONE
    assert commitment.progress_note == "Beta is live."
    assert commitment.progress_reported_by == org_admin
    assert commitment.progress_reported_at is not None
    assert AuditEvent.objects.filter(action="declaration.commitment_progress").count() == 1


@pytest.mark.parametrize(
    ("progress", "note", "message"),
    [("", "A note", services.PROGRESS_REQUIRED), ("done", " ", services.PROGRESS_NOTE_REQUIRED)],
)
def test_progress_needs_a_status_and_a_note(org_admin, council, signing, progress, note, message):
    commitment = commit(org_admin, council)
    with pytest.raises(ApplicationError, match=message):
        services.commitment_progress_report(
            actor=org_admin, commitment=commitment, progress=progress, note=note
        )


def test_a_partner_admin_confirms_and_the_owner_is_told(org_admin, council, signing):
    partner_org = OrganisationFactory(short_name="Manchester")
    partner_admin = MembershipFactory(organisation=partner_org, role=Membership.Role.ADMIN).user
    commitment = CommitmentFactory(organisation=council, signing=signing)
    partner = CommitmentPartnerFactory(commitment=commitment, organisation=partner_org)

    services.commitment_partner_respond(actor=partner_admin, partner=partner, status="confirmed")

    partner.refresh_from_db()
    assert partner.status == CommitmentPartner.Status.CONFIRMED
    assert partner.responded_by == partner_admin
    told = Notification.objects.get(recipient=org_admin)
    assert told.title == "Manchester confirmed being named as a partner"
    event = AuditEvent.objects.get(action="declaration.partner_respond")
    assert event.data == {"commitment": commitment.pk, "old": "awaiting", "new": "confirmed"}


@pytest.mark.parametrize("persona", ["org_admin", "programme_staff", "member"])
def test_only_the_partners_own_admins_answer_for_it(request, persona, council, signing):
    actor = request.getfixturevalue(persona)
    partner = CommitmentPartnerFactory(
        commitment=CommitmentFactory(organisation=council), organisation=OrganisationFactory()
    )
    with pytest.raises(ApplicationError):
        services.commitment_partner_respond(actor=actor, partner=partner, status="declined")


def test_a_partner_answer_must_be_confirm_or_decline(council):
    partner_org = OrganisationFactory()
    admin = MembershipFactory(organisation=partner_org, role=Membership.Role.ADMIN).user
    partner = CommitmentPartnerFactory(organisation=partner_org)
    with pytest.raises(ApplicationError, match=services.RESPONSE_REQUIRED):
        services.commitment_partner_respond(actor=admin, partner=partner, status="awaiting")


def test_one_active_signing_is_enforced_by_the_database_too(council, signing):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SigningFactory(organisation=council)
