"""The Declaration write API: signing, withdrawing, commitments and partner answers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from localdigital.accounts import services as account_services
from localdigital.audit.models import AuditEvent
from localdigital.declaration import services
from localdigital.declaration.models import Commitment, CommitmentPartner, Signing
from localdigital.declaration.tests.factories import CommitmentFactory, CommitmentPartnerFactory
from localdigital.organisations.tests.factories import OrganisationFactory

PERSONAS = ["anonymous", "member", "other_admin", "org_admin", "programme_staff"]
ALLOWED = {"org_admin", "programme_staff"}
SIGNINGS = reverse("api:declaration-signing-list")
COMMITMENTS = reverse("api:declaration-commitment-list")


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _, raw = account_services.api_token_create(actor=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def headers_for(request):
    """Token headers for a persona; none for anonymous."""

    def make(persona: str) -> dict[str, str]:
        if persona == "anonymous":
            return {}
        return bearer(request.getfixturevalue(persona))

    return make


def signing_body(**overrides) -> dict:
    body = {
        "organisation": "HCK",
        "signed_on": "2025-06-02",
        "senior_officer_name": "Sam Patel",
        "senior_officer_role": "Chief Executive",
        "political_lead_name": "Councillor Jo Evans",
        "political_lead_role": "Leader of the Council",
        "principles": ["user-needs", "fix-plumbing", "safe-sharing", "leadership", "open-culture"],
    }
    body.update(overrides)
    return body


def commitment_body(**overrides) -> dict:
    body = {
        "organisation": "HCK",
        "year": 2025,
        "title": "Open bulky waste booking",
        "mission": "Launch a shared booking service.",
        "impact": "Residents book in minutes.",
    }
    body.update(overrides)
    return body


def detail(name: str, pk: int) -> str:
    return reverse(f"api:{name}", kwargs={"pk": pk})


def _expected(persona: str, allowed: set[str], ok: int, refused: int) -> int:
    if persona == "anonymous":
        return 401
    return ok if persona in allowed else refused


# Permissions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_sign_through_the_api(
    client, headers_for, persona, council, other_council, principles
):
    response = client.post(
        SIGNINGS, signing_body(), content_type="application/json", **headers_for(persona)
    )
    assert response.status_code == _expected(persona, ALLOWED, 201, 403)
    assert Signing.objects.exists() == (persona in ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_withdraw(
    client, headers_for, persona, signing, other_council
):
    response = client.post(
        detail("declaration-signing-withdraw", signing.pk),
        {"reason": "Merged"},
        content_type="application/json",
        **headers_for(persona),
    )
    assert response.status_code == _expected(persona, ALLOWED, 200, 404)
    signing.refresh_from_db()
    assert signing.is_active == (persona not in ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_add_commitments(
    client, headers_for, persona, signing, other_council
):
    response = client.post(
        COMMITMENTS, commitment_body(), content_type="application/json", **headers_for(persona)
    )
    assert response.status_code == _expected(persona, ALLOWED, 201, 403)
    assert Commitment.objects.exists() == (persona in ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owners_admins_and_staff_change_a_commitment_or_report_progress(
    client, headers_for, persona, council, signing, other_council
):
    commitment = CommitmentFactory(organisation=council, signing=signing, title="Before")
    headers = headers_for(persona)
    response = client.patch(
        detail("declaration-commitment-detail", commitment.pk),
        {"title": "After"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == _expected(persona, ALLOWED, 200, 404)
    response = client.post(
        detail("declaration-commitment-progress", commitment.pk),
        {"progress": "done", "note": "Live."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == _expected(persona, ALLOWED, 200, 404)
    commitment.refresh_from_db()
    assert (commitment.title == "After") == (persona in ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_partners_admins_answer_through_the_api(
    client, headers_for, persona, council, other_council
):
    partner = CommitmentPartnerFactory(
        commitment=CommitmentFactory(organisation=council), organisation=other_council
    )
    response = client.post(
        detail("declaration-commitment-partner-respond", partner.pk),
        {"status": "confirmed"},
        content_type="application/json",
        **headers_for(persona),
    )
    assert response.status_code == _expected(persona, {"other_admin"}, 200, 404)


def test_a_session_without_two_factor_cannot_sign_but_the_admins_token_can(
    client, org_admin, council, principles
):
    client.force_login(org_admin)
    response = client.post(SIGNINGS, signing_body(), content_type="application/json")
    assert response.status_code == 403
    client.logout()
    response = client.post(
        SIGNINGS, signing_body(), content_type="application/json", **bearer(org_admin)
    )
    assert response.status_code == 201


def test_reading_commitments_stays_public(client, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    assert client.get(COMMITMENTS).status_code == 200
    response = client.get(detail("declaration-commitment-detail", commitment.pk))
    assert response.status_code == 200
    assert response.json()["title"] == commitment.title


def test_put_and_delete_are_not_offered(client, org_admin, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    url = detail("declaration-commitment-detail", commitment.pk)
    headers = bearer(org_admin)
    assert client.put(url, {}, content_type="application/json", **headers).status_code == 405
    assert client.delete(url, **headers).status_code == 405


# Signing ----------------------------------------------------------------------------------------


def test_signing_through_the_api_returns_the_record_and_audits_it(
    client, org_admin, council, principles
):
    response = client.post(
        SIGNINGS,
        signing_body(organisation="hck", statement="In the open."),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"] == "HCK"
    assert body["status"] == "active"
    assert body["method"] == "online"
    assert body["signed_on"] == "2025-06-02"
    assert sorted(body["principles_agreed"]) == sorted(p.key for p in principles)
    assert AuditEvent.objects.filter(action="declaration.sign", organisation=council).exists()


def test_signing_twice_is_a_400_naming_the_rule(client, org_admin, signing):
    response = client.post(
        SIGNINGS, signing_body(), content_type="application/json", **bearer(org_admin)
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Hackney has already signed the Declaration. "
        "Withdraw first if you need to sign again."
    }


def test_missing_fields_are_400s_with_the_pages_messages(client, org_admin, council, principles):
    response = client.post(
        SIGNINGS, {"organisation": "HCK"}, content_type="application/json", **bearer(org_admin)
    )
    assert response.status_code == 400
    assert response.json() == {
        "signed_on": [services.DATE_REQUIRED],
        "senior_officer_name": [services.SENIOR_OFFICER_NAME_REQUIRED],
        "senior_officer_role": [services.SENIOR_OFFICER_ROLE_REQUIRED],
        "political_lead_name": [services.POLITICAL_LEAD_NAME_REQUIRED],
        "political_lead_role": [services.POLITICAL_LEAD_ROLE_REQUIRED],
        "principles": [services.PRINCIPLES_REQUIRED],
    }


def test_a_future_date_is_a_field_error(client, org_admin, council, principles):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        SIGNINGS,
        signing_body(signed_on=tomorrow),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 400
    assert response.json() == {"signed_on": ["Date signed must be today or in the past"]}


def test_some_principles_or_an_unknown_one_are_refused(client, org_admin, council, principles):
    headers = bearer(org_admin)
    response = client.post(
        SIGNINGS,
        signing_body(principles=["user-needs"]),
        content_type="application/json",
        **headers,
    )
    assert response.json() == {"principles": [services.PRINCIPLES_REQUIRED]}
    response = client.post(
        SIGNINGS,
        signing_body(principles=["user-needs", "world-peace"]),
        content_type="application/json",
        **headers,
    )
    assert response.json() == {"principles": ["There is no principle with the key world-peace"]}


def test_an_unknown_organisation_is_a_field_error(client, org_admin, principles):
    response = client.post(
        SIGNINGS,
        signing_body(organisation="NOPE"),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["There is no organisation with the code NOPE"]}


def test_withdrawing_needs_a_reason_and_keeps_history(client, org_admin, signing):
    url = detail("declaration-signing-withdraw", signing.pk)
    headers = bearer(org_admin)
    response = client.post(url, {}, content_type="application/json", **headers)
    assert response.json() == {"reason": [services.WITHDRAWAL_REASON_REQUIRED]}
    response = client.post(url, {"reason": "Merged"}, content_type="application/json", **headers)
    assert response.json()["status"] == "withdrawn"
    again = client.post(
        SIGNINGS,
        signing_body(signed_on=timezone.localdate().isoformat()),
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 201
    assert Signing.objects.filter(organisation=signing.organisation).count() == 2


# Commitments ------------------------------------------------------------------------------------


def test_adding_a_commitment_names_partners_who_await_confirmation(client, org_admin, signing):
    OrganisationFactory(code="MAN", short_name="Manchester", name="Manchester City Council")
    response = client.post(
        COMMITMENTS,
        commitment_body(partners=["man"], principles=["user-needs", "open-culture"]),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"] == "HCK"
    assert body["progress_due_on"] == "2025-12-31"
    assert body["principles"] == ["user-needs", "open-culture"]
    assert body["partners"] == [
        {"code": "MAN", "name": "Manchester City Council", "status": "awaiting"}
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"mission": ""}, {"mission": ["Enter the mission of your commitment"]}),
        ({"title": "  "}, {"title": ["Enter the title of your commitment"]}),
        ({"impact": None}, {"impact": ["Enter the impact of your commitment"]}),
        ({"partners": ["HCK"]}, {"partners": [services.PARTNER_SELF]}),
        ({"partners": ["Atlantis"]}, {"partners": ["Atlantis is not a current organisation"]}),
    ],
)
def test_bad_commitments_are_400s_with_the_pages_messages(
    client, org_admin, signing, change, expected
):
    response = client.post(
        COMMITMENTS, commitment_body(**change), content_type="application/json", **bearer(org_admin)
    )
    assert response.status_code == 400
    assert response.json() == expected
    assert not Commitment.objects.exists()


def test_a_former_partner_is_refused_by_name(client, org_admin, signing):
    OrganisationFactory(code="ALL", name="Allerdale Borough Council", is_current=False)
    response = client.post(
        COMMITMENTS,
        commitment_body(partners=["ALL"]),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.json() == {
        "partners": ["Allerdale Borough Council is not a current organisation"]
    }


def test_an_organisation_that_has_not_signed_cannot_add_a_commitment(client, org_admin, council):
    response = client.post(
        COMMITMENTS, commitment_body(), content_type="application/json", **bearer(org_admin)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": services.NOT_SIGNED.format(organisation="Hackney")}


def test_patch_changes_only_what_is_sent(client, org_admin, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing, year=2025)
    response = client.patch(
        detail("declaration-commitment-detail", commitment.pk),
        {"year": 2026, "principles": ["leadership"]},
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 200
    assert response.json()["progress_due_on"] == "2026-12-31"
    commitment.refresh_from_db()
    assert commitment.title.startswith("Shared booking service")
    assert [p.key for p in commitment.principles.all()] == ["leadership"]
    event = AuditEvent.objects.get(action="declaration.commitment_update")
    assert event.data["changes"]["year"] == {"old": 2025, "new": 2026}


def test_patch_with_an_empty_mission_is_refused(client, org_admin, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    response = client.patch(
        detail("declaration-commitment-detail", commitment.pk),
        {"mission": ""},
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.json() == {"mission": ["Enter the mission of your commitment"]}


def test_progress_needs_a_known_status(client, org_admin, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    response = client.post(
        detail("declaration-commitment-progress", commitment.pk),
        {"progress": "nearly", "note": ""},
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.json() == {
        "progress": [services.PROGRESS_REQUIRED],
        "note": [services.PROGRESS_NOTE_REQUIRED],
    }


def test_a_partner_declines_through_the_api(client, other_admin, other_council, council):
    partner = CommitmentPartnerFactory(
        commitment=CommitmentFactory(organisation=council), organisation=other_council
    )
    response = client.post(
        detail("declaration-commitment-partner-respond", partner.pk),
        {"status": "declined"},
        content_type="application/json",
        **bearer(other_admin),
    )
    assert response.json()["status"] == "declined"
    partner.refresh_from_db()
    assert partner.status == CommitmentPartner.Status.DECLINED
    bad = client.post(
        detail("declaration-commitment-partner-respond", partner.pk),
        {"status": "maybe"},
        content_type="application/json",
        **bearer(other_admin),
    )
    assert bad.json() == {"status": [services.RESPONSE_REQUIRED]}
