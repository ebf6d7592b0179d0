"""The signing journey and commitment pages: permissions, GOV.UK markup, errors and outcomes."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.declaration import services
from localdigital.declaration.models import Commitment, CommitmentPartner, Signing
from localdigital.declaration.tests.factories import CommitmentFactory, CommitmentPartnerFactory
from localdigital.declaration.views.manage import admin_actions
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory

PERSONAS = ["anonymous", "member", "other_admin", "org_admin", "programme_staff"]
ALLOWED = {"org_admin", "programme_staff"}


@pytest.fixture
def as_persona(request, client, verified_client):
    """A client signed in as the named persona (privileged people with two-factor done)."""

    def sign_in(persona: str):  # noqa: ANN202
        if persona == "anonymous":
            return client
        user = request.getfixturevalue(persona)
        if persona == "member":
            client.force_login(user)
            return client
        return verified_client(user)

    return sign_in


def soup(response) -> BeautifulSoup:  # noqa: ANN001
    return BeautifulSoup(response.content, "html.parser")


def error_links(response) -> list[tuple[str, str]]:  # noqa: ANN001
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary on the page"
    links = [(a.get_text(strip=True), a["href"]) for a in summary.select("a")]
    for _, href in links:
        # Each link must land on a field of this page.
        if href.startswith("#"):
            assert page.find(id=href[1:]) is not None, f"nothing on the page has the id {href}"
    return links


def sign_data(principles, **overrides) -> dict:  # noqa: ANN001
    data = {
        "senior_officer_name": "Sam Patel",
        "senior_officer_role": "Chief Executive",
        "political_lead_name": "Councillor Jo Evans",
        "political_lead_role": "Leader of the Council",
        "signed_on-day": "2",
        "signed_on-month": "6",
        "signed_on-year": "2025",
        "principles": [p.key for p in principles],
        "statement": "",
    }
    data.update(overrides)
    return data


def commitment_data(**overrides) -> dict:
    data = {
        "year": "2025",
        "title": "Open bulky waste booking",
        "mission": "Launch a shared booking service.",
        "impact": "Residents book in minutes.",
        "partners": "",
    }
    data.update(overrides)
    return data


def url(name: str, *args: object) -> str:
    return reverse(f"declaration:{name}", args=args)


# Permissions ------------------------------------------------------------------------------------


def _expect(response, persona, allowed=ALLOWED):  # noqa: ANN001, ANN202
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_reach_the_signing_page(
    as_persona, persona, council, principles
):
    _expect(as_persona(persona).get(url("sign", "HCK")), persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_reach_the_withdraw_page(
    as_persona, persona, signing
):
    _expect(as_persona(persona).get(url("withdraw", "HCK")), persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_member_cannot_sign_by_posting_either(as_persona, persona, council, principles):
    response = as_persona(persona).post(url("sign", "HCK"), sign_data(principles))
    if persona in ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 404)
        assert response.status_code == 404 or "sign-in" in response["Location"]
    assert not Signing.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_and_staff_reach_the_new_commitment_page(
    as_persona, persona, signing
):
    _expect(as_persona(persona).get(url("commitment_new", "HCK")), persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owners_admins_and_staff_change_or_report_on_a_commitment(
    as_persona, persona, council, signing
):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    client = as_persona(persona)
    _expect(client.get(url("commitment_edit", commitment.pk)), persona)
    _expect(client.get(url("commitment_progress", commitment.pk)), persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_programme_staff_record_offline_signings_and_correct_records(
    as_persona, persona, signing
):
    client = as_persona(persona)
    _expect(client.get(url("signing_record")), persona, allowed={"programme_staff"})
    _expect(client.get(url("signing_correct", signing.pk)), persona, allowed={"programme_staff"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_partners_admins_reach_the_partner_answer_page(
    as_persona, persona, council, other_council
):
    # other_admin is Cambridge's admin: make Cambridge the partner, so it is the one allowed.
    partner = CommitmentPartnerFactory(
        commitment=CommitmentFactory(organisation=council), organisation=other_council
    )
    _expect(as_persona(persona).get(url("partner_respond", partner.pk)), persona, {"other_admin"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_can_read_a_commitment(as_persona, persona, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing, title="Open waste")
    response = as_persona(persona).get(url("commitment_detail", commitment.pk))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Open waste"
    change = page.select_one(f"a[href='{url('commitment_edit', commitment.pk)}']")
    assert (change is not None) == (persona in ALLOWED)


def test_a_missing_commitment_is_404(client, db):
    assert client.get(url("commitment_detail", 999_999)).status_code == 404


# Signing journey --------------------------------------------------------------------------------


def test_an_admin_signs_through_check_your_answers_to_a_confirmation_panel(
    as_persona, council, principles
):
    client = as_persona("org_admin")
    page = soup(client.get(url("sign", "HCK")))
    assert page.select_one("h1").get_text(strip=True) == "Sign the Local Digital Declaration"
    assert len(page.select("input[name=principles]")) == 5
    assert page.select_one("input[name='signed_on-day']") is not None

    response = client.post(url("sign", "HCK"), sign_data(principles, statement="We are in."))
    assert response.status_code == 302
    assert response["Location"] == url("sign_check", "HCK")
    assert not Signing.objects.exists()

    check = soup(client.get(url("sign_check", "HCK")))
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row
        for row in check.select(".govuk-summary-list__row")
    }
    assert list(rows) == [
        "Senior officer",
        "Political lead",
        "Date signed",
        "Principles agreed",
        "Statement",
    ]
    assert rows["Date signed"].select_one(".govuk-summary-list__value").get_text(strip=True) == (
        "2 June 2025"
    )
    change = rows["Senior officer"].select_one(".govuk-summary-list__actions a")
    assert change["href"] == url("sign", "HCK") + "#id_senior_officer_name"
    assert "senior officer" in change.select_one(".govuk-visually-hidden").get_text()

    response = client.post(url("sign_check", "HCK"))
    assert response["Location"] == url("sign_done", "HCK")
    signing = Signing.objects.get()
    assert (signing.organisation, signing.statement) == (council, "We are in.")

    panel = soup(client.get(url("sign_done", "HCK"))).select_one(".govuk-panel")
    assert panel.select_one(".govuk-panel__title").get_text(strip=True) == (
        "Hackney has signed the Local Digital Declaration"
    )


def test_change_links_bring_back_the_answers_given(as_persona, council, principles):
    client = as_persona("org_admin")
    client.post(url("sign", "HCK"), sign_data(principles))
    page = soup(client.get(url("sign", "HCK")))
    assert page.select_one("#id_senior_officer_name")["value"] == "Sam Patel"
    assert page.select_one("input[name='signed_on-year']")["value"] == "2025"
    assert len(page.select("input[name=principles][checked]")) == 5


def test_the_check_page_without_answers_goes_back_to_the_questions(as_persona, council, principles):
    response = as_persona("org_admin").get(url("sign_check", "HCK"))
    assert response["Location"] == url("sign", "HCK")


def test_an_empty_signing_form_shows_an_error_summary_linked_to_each_field(
    as_persona, council, principles
):
    response = as_persona("org_admin").post(url("sign", "HCK"), {})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: ")
    assert error_links(response) == [
        ("Enter the name of the senior officer", "#id_senior_officer_name"),
        ("Enter the role of the senior officer", "#id_senior_officer_role"),
        ("Enter the name of the political lead", "#id_political_lead_name"),
        ("Enter the role of the political lead", "#id_political_lead_role"),
        ("Enter the date signed", "#id_signed_on-day"),
        ("Confirm that your organisation agrees to every principle", "#id_principles"),
    ]


def test_a_future_date_is_refused(as_persona, council, principles):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = as_persona("org_admin").post(
        url("sign", "HCK"),
        sign_data(
            principles,
            **{
                "signed_on-day": str(tomorrow.day),
                "signed_on-month": str(tomorrow.month),
                "signed_on-year": str(tomorrow.year),
            },
        ),
    )
    assert error_links(response) == [
        ("Date signed must be today or in the past", "#id_signed_on-day")
    ]


def test_agreeing_to_only_some_principles_is_refused(as_persona, council, principles):
    response = as_persona("org_admin").post(url("sign", "HCK"), sign_data(principles[:3]))
    assert error_links(response) == [
        ("Confirm that your organisation agrees to every principle", "#id_principles")
    ]


def test_an_organisation_that_has_signed_is_told_to_withdraw_first(as_persona, signing):
    response = as_persona("org_admin").get(url("sign", "HCK"))
    page = soup(response)
    assert page.select_one("#blocked-reason").get_text(strip=True) == (
        "Hackney has already signed the Declaration. Withdraw first if you need to sign again."
    )
    button = page.select_one(f"a.govuk-button[href='{url('withdraw', 'HCK')}']")
    assert button.get_text(strip=True) == "Withdraw from the Declaration"
    assert page.select_one("form input[name=senior_officer_name]") is None


def test_if_someone_signs_meanwhile_the_check_page_says_so(as_persona, council, principles):
    client = as_persona("org_admin")
    client.post(url("sign", "HCK"), sign_data(principles))
    services.signing_record_offline(
        actor=staff_person(), organisation=council, signed_on=datetime.date(2025, 1, 1)
    )
    response = client.post(url("sign_check", "HCK"))
    assert response.status_code == 200
    assert error_links(response)[0][0].startswith("Hackney has already signed")
    assert Signing.objects.count() == 1


def staff_person():  # noqa: ANN201
    from localdigital.accounts.tests.factories import UserFactory

    return UserFactory(email="recorder@localdigital.gov.uk", is_programme_staff=True)


def test_a_former_council_cannot_sign(as_persona, principles):
    OrganisationFactory(code="ALL", short_name="Allerdale", is_current=False)
    response = as_persona("programme_staff").get(url("sign", "ALL"))
    assert "Allerdale is not a current organisation" in response.content.decode()


def test_withdrawing_needs_a_reason_then_keeps_history(as_persona, signing):
    client = as_persona("org_admin")
    page = soup(client.get(url("withdraw", "HCK")))
    assert page.select_one(".govuk-warning-text") is not None

    response = client.post(url("withdraw", "HCK"), {"reason": ""})
    assert error_links(response) == [("Enter the reason for withdrawing", "#id_reason")]

    response = client.post(url("withdraw", "HCK"), {"reason": "We merged"})
    assert response["Location"] == reverse("organisations:detail", kwargs={"code": "HCK"})
    signing.refresh_from_db()
    assert (signing.status, signing.withdrawal_reason) == (Signing.Status.WITHDRAWN, "We merged")
    assert AuditEvent.objects.filter(action="declaration.withdraw").count() == 1

    # And signing again opens a new record beside the old one.
    client.post(url("sign", "HCK"), sign_data(signing.principles_agreed.all()))
    client.post(url("sign_check", "HCK"))
    assert Signing.objects.filter(organisation=signing.organisation).count() == 2


def test_withdrawing_when_not_signed_says_there_is_nothing_to_withdraw(as_persona, council):
    response = as_persona("org_admin").get(url("withdraw", "HCK"))
    assert soup(response).select_one("h1").get_text(strip=True) == "There is nothing to withdraw"


# Programme staff --------------------------------------------------------------------------------


def test_staff_record_an_offline_signing_by_organisation_code(as_persona, council, principles):
    client = as_persona("programme_staff")
    page = soup(client.get(url("signing_record") + "?organisation=HCK"))
    assert page.select_one("#id_organisation")["value"] == "HCK"
    response = client.post(
        url("signing_record"),
        {
            "organisation": "hck",
            "signed_on-day": "1",
            "signed_on-month": "5",
            "signed_on-year": "2019",
            "evidence": "Letter from the chief executive",
        },
    )
    assert response.status_code == 302
    signing = Signing.objects.get()
    assert (signing.method, signing.signed_on) == ("offline", datetime.date(2019, 5, 1))


def test_recording_for_an_unknown_or_signed_organisation_shows_the_error(
    as_persona, signing, principles
):
    client = as_persona("programme_staff")
    base = {"signed_on-day": "1", "signed_on-month": "5", "signed_on-year": "2019"}
    response = client.post(url("signing_record"), {"organisation": "Atlantis", **base})
    assert error_links(response) == [("Atlantis is not a current organisation", "#id_organisation")]
    response = client.post(url("signing_record"), {"organisation": "HCK", **base})
    assert error_links(response)[0][0].startswith("Hackney has already signed")


def test_staff_correct_a_signing_and_the_audit_log_keeps_both_values(as_persona, signing):
    client = as_persona("programme_staff")
    page = soup(client.get(url("signing_correct", signing.pk)))
    assert page.select_one("#id_senior_officer_name")["value"] == "Sam Patel"
    assert page.select_one("#id_withdrawal_reason") is None
    response = client.post(
        url("signing_correct", signing.pk),
        {
            "signed_on-day": "14",
            "signed_on-month": "3",
            "signed_on-year": "2024",
            "signed_on_precision": "day",
            "senior_officer_name": "Samira Patel",
            "senior_officer_role": "Chief Executive",
            "political_lead_name": "Councillor Jo Evans",
            "political_lead_role": "Leader of the Council",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="declaration.correct")
    assert event.data["changes"] == {
        "senior_officer_name": {"old": "Sam Patel", "new": "Samira Patel"}
    }


# Commitments ------------------------------------------------------------------------------------


def test_an_admin_adds_a_commitment_with_partners_who_show_as_awaiting(
    as_persona, council, signing, principles
):
    OrganisationFactory(code="MAN", short_name="Manchester", name="Manchester City Council")
    OrganisationFactory(code="KEN", short_name="Kent", name="Kent County Council")
    client = as_persona("org_admin")
    form = soup(client.get(url("commitment_new", "HCK")))
    assert form.select_one("#id_year")["value"] == str(timezone.localdate().year)

    response = client.post(
        url("commitment_new", "HCK"),
        commitment_data(partners="MAN\nkent county council", principles=["user-needs"]),
    )
    commitment = Commitment.objects.get()
    assert response["Location"] == url("commitment_detail", commitment.pk)
    assert [p.key for p in commitment.principles.all()] == ["user-needs"]

    page = soup(client.get(response["Location"]))
    banner = page.select_one(".govuk-notification-banner")
    assert "Each partner has been asked to confirm" in banner.get_text()
    rows = page.select("#partners + table tbody tr, .govuk-table tbody tr")
    assert [
        (r.select("td")[0].get_text(strip=True), r.select_one(".govuk-tag").get_text(strip=True))
        for r in rows
    ] == [
        ("Kent County Council", "Awaiting confirmation"),
        ("Manchester City Council", "Awaiting confirmation"),
    ]


def test_a_commitment_without_a_mission_shows_the_gov_uk_error(as_persona, signing):
    response = as_persona("org_admin").post(
        url("commitment_new", "HCK"), commitment_data(mission="")
    )
    assert error_links(response) == [("Enter the mission of your commitment", "#id_mission")]
    assert not Commitment.objects.exists()


def test_a_partner_that_is_not_current_is_refused(as_persona, signing):
    OrganisationFactory(code="ALL", name="Allerdale Borough Council", is_current=False)
    response = as_persona("org_admin").post(
        url("commitment_new", "HCK"), commitment_data(partners="ALL")
    )
    assert error_links(response) == [
        ("Allerdale Borough Council is not a current organisation", "#id_partners")
    ]


def test_naming_yourself_as_a_partner_is_refused(as_persona, signing):
    response = as_persona("org_admin").post(
        url("commitment_new", "HCK"), commitment_data(partners="Hackney")
    )
    assert error_links(response) == [(services.PARTNER_SELF, "#id_partners")]


def test_an_organisation_that_has_not_signed_is_told_to_sign_first(as_persona, council):
    response = as_persona("org_admin").get(url("commitment_new", "HCK"))
    assert soup(response).select_one("#blocked-reason").get_text(strip=True) == (
        services.NOT_SIGNED.format(organisation="Hackney")
    )


def test_the_owner_edits_a_commitment_from_its_current_values(as_persona, council, signing):
    partner = OrganisationFactory(code="MAN", short_name="Manchester")
    commitment = CommitmentFactory(organisation=council, signing=signing, year=2025)
    CommitmentPartnerFactory(commitment=commitment, organisation=partner)
    client = as_persona("org_admin")
    page = soup(client.get(url("commitment_edit", commitment.pk)))
    assert page.select_one("#id_partners").get_text(strip=True) == "Manchester"

    response = client.post(
        url("commitment_edit", commitment.pk),
        commitment_data(title="Renamed", partners="Manchester"),
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title == "Renamed"
    assert commitment.partners.count() == 1


def test_the_owner_reports_progress(as_persona, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    client = as_persona("org_admin")
    response = client.post(url("commitment_progress", commitment.pk), {})
    assert error_links(response) == [
        (services.PROGRESS_REQUIRED, "#id_progress"),
        (services.PROGRESS_NOTE_REQUIRED, "#id_note"),
    ]
    client.post(url("commitment_progress", commitment.pk), {"progress": "done", "note": "Live."})
    page = soup(client.get(url("commitment_detail", commitment.pk)))
    assert [t.get_text(strip=True) for t in page.select(".govuk-summary-list .govuk-tag")] == [
        "Done"
    ]


def test_a_partner_admin_confirms_from_the_commitment_page(
    as_persona, council, signing, other_council
):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    partner = CommitmentPartnerFactory(commitment=commitment, organisation=other_council)
    client = as_persona("other_admin")
    detail = soup(client.get(url("commitment_detail", commitment.pk)))
    link = detail.select_one(f"a[href='{url('partner_respond', partner.pk)}']")
    assert "Confirm or decline" in link.get_text()

    response = client.post(url("partner_respond", partner.pk), {})
    assert error_links(response) == [(services.RESPONSE_REQUIRED, "#id_status")]

    response = client.post(url("partner_respond", partner.pk), {"status": "confirmed"})
    assert response["Location"] == url("commitment_detail", commitment.pk)
    partner.refresh_from_db()
    assert partner.status == CommitmentPartner.Status.CONFIRMED


def test_a_declined_partner_is_not_shown_to_the_public(client, council, signing):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    CommitmentPartnerFactory(
        commitment=commitment,
        organisation=OrganisationFactory(name="Declining Council"),
        status=CommitmentPartner.Status.DECLINED,
    )
    CommitmentPartnerFactory(
        commitment=commitment, organisation=OrganisationFactory(name="Confirmed Council")
    )
    text = client.get(url("commitment_detail", commitment.pk)).content.decode()
    assert "Confirmed Council" in text
    assert "Declining Council" not in text


def test_the_commitment_page_makes_a_constant_number_of_queries(
    client, council, signing, django_assert_num_queries
):
    commitment = CommitmentFactory(organisation=council, signing=signing)
    for _ in range(5):
        CommitmentPartnerFactory(commitment=commitment)
    # Commitment, principles, partners, their organisations, plus the savepoint and release of
    # the request's atomic block.
    with django_assert_num_queries(6):
        assert client.get(url("commitment_detail", commitment.pk)).status_code == 200


# The council page's action buttons ------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_actions_offer_signing_only_to_admins_and_staff(request, persona, council):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    texts = [a["text"] for a in admin_actions(user, council, None)]
    if persona == "org_admin":
        assert texts == ["Sign the Declaration"]
    elif persona == "programme_staff":
        assert texts == ["Sign the Declaration", "Record an offline signing"]
    else:
        assert texts == []


def test_admin_actions_for_a_signatory_offer_commitments_and_withdrawal(org_admin, signing):
    actions = admin_actions(org_admin, signing.organisation, signing)
    assert [(a["text"], a["href"]) for a in actions] == [
        ("Add a commitment", url("commitment_new", "HCK")),
        ("Withdraw from the Declaration", url("withdraw", "HCK")),
    ]


def test_the_actions_partial_draws_buttons_and_nothing_when_empty(org_admin, signing):
    template = engines["jinja2"].get_template("declaration/manage/_actions.html")
    html = template.render({"actions": admin_actions(org_admin, signing.organisation, signing)})
    buttons = BeautifulSoup(html, "html.parser").select("a.govuk-button")
    assert [b.get_text(strip=True) for b in buttons] == [
        "Add a commitment",
        "Withdraw from the Declaration",
    ]
    assert "govuk-button--warning" in buttons[1]["class"]
    assert template.render({"actions": []}).strip() == ""


def test_only_an_admin_membership_counts_for_actions(council, signing):
    pending = MembershipFactory(
        organisation=council, role=Membership.Role.ADMIN, status=Membership.Status.PENDING
    ).user
    assert admin_actions(pending, council, signing) == []
