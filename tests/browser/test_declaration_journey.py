"""The Declaration's journeys in a real browser: a council admin signs and adds a commitment, the
partner council confirms, the public sees both; progress reports and withdrawal; and the same
forms without JavaScript. Every page reached is checked with axe-core (WCAG 2.2 AA)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import TEST_PASSWORD, UserFactory
from localdigital.declaration import services
from localdigital.declaration.models import (
    Commitment,
    CommitmentPartner,
    Principle,
    Signing,
)
from localdigital.organisations.models import Membership, Organisation
from localdigital.organisations.tests.factories import MembershipFactory
from tests.browser.test_membership_journey import authenticator_code, table_text, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_ON = dt.date(2025, 3, 14)
SENIOR_OFFICER = ("Mark Golding", "Chief Executive")
POLITICAL_LEAD = ("Councillor Caroline Woodley", "Mayor of Hackney")
COMMITMENT_TITLE = "Shared housing repairs reporting"
MISSION = "Launch one open repairs reporting service for council tenants in both boroughs."
IMPACT = "Tenants report a repair in minutes and can see when it will be fixed."


@pytest.fixture
def councils(transactional_db) -> dict[str, Organisation]:
    """Every UK council and the five principles, from the project's reference data."""
    call_command("load_reference_data", verbosity=0)
    assert Principle.objects.count() == 5
    return {code: Organisation.objects.get(code=code) for code in ("HCK", "ISL")}


def admin_of(organisation: Organisation, email: str, name: str):
    """An admin of the organisation who has set up an authenticator app, as admins must."""
    admin = UserFactory(email=email, full_name=name)
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    return admin


@pytest.fixture
def hackney_admin(councils):
    return admin_of(councils["HCK"], "digital.lead@hackney.gov.uk", "Sam Adeyemi")


@pytest.fixture
def islington_admin(councils):
    return admin_of(councils["ISL"], "digital.lead@islington.gov.uk", "Priya Shah")


def sign_in(hub, user) -> None:
    """Sign in with a password, then the code from the person's authenticator app."""
    page = hub.visit("/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password", exact=True).fill(TEST_PASSWORD)
    hub.submit("Sign in")
    assert "/accounts/two-factor/" in page.url
    page.get_by_label("Code").fill(authenticator_code(user))
    hub.submit("Continue")
    assert "/accounts/profile/" in page.url


def fill_signing_form(page, *, political_lead_role: str = POLITICAL_LEAD[1]) -> None:
    page.get_by_label("Name of the senior officer").fill(SENIOR_OFFICER[0])
    page.get_by_label("Role of the senior officer").fill(SENIOR_OFFICER[1])
    page.get_by_label("Name of the political lead").fill(POLITICAL_LEAD[0])
    page.get_by_label("Role of the political lead").fill(political_lead_role)
    date = page.get_by_role("group", name="Date signed")
    date.get_by_label("Day").fill(str(SIGNED_ON.day))
    date.get_by_label("Month").fill(str(SIGNED_ON.month))
    date.get_by_label("Year").fill(str(SIGNED_ON.year))
    principles = page.get_by_role("group", name="Principles your organisation agrees to")
    boxes = principles.get_by_role("checkbox")
    assert boxes.count() == 5
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_label("Statement (optional)").fill("We want services residents can rely on.")


def error_summary_links(page) -> list[tuple[str, str]]:
    links = page.locator(".govuk-error-summary a")
    return [
        (" ".join(links.nth(i).inner_text().split()), links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    ]


def assert_error_summary(page, message: str, field_id: str) -> None:
    """The GOV.UK error summary names the problem and links to the field that has it."""
    assert page.title().startswith("Error: ")
    assert error_summary_links(page) == [(message, f"#{field_id}")]
    assert page.locator(f"#{field_id}").count() == 1
    assert message in text_of(page, ".govuk-error-message")


def test_a_council_admin_signs_adds_a_commitment_and_the_partner_council_confirms(
    councils, hackney_admin, islington_admin, open_hub
):
    hackney, islington = councils["HCK"], councils["ISL"]
    admin = open_hub("hackney-admin")
    sign_in(admin, hackney_admin)

    # From Hackney's page, start signing; the first try leaves out the political lead's role.
    page = admin.visit("/organisations/HCK/")
    assert "Not signed" in text_of(page, "#declaration-status")
    admin.follow("Sign the Declaration")
    assert page.url.endswith("/declaration/organisations/HCK/sign/")
    assert text_of(page, "main h1") == "Sign the Local Digital Declaration"
    fill_signing_form(page, political_lead_role="")
    admin.submit("Continue")
    assert page.url.endswith("/declaration/organisations/HCK/sign/")
    assert_error_summary(page, services.POLITICAL_LEAD_ROLE_REQUIRED, "id_political_lead_role")
    # Following the summary's link puts the cursor in the field at fault; the answers are kept.
    page.get_by_role("link", name=services.POLITICAL_LEAD_ROLE_REQUIRED).click()
    assert page.evaluate("document.activeElement.id") == "id_political_lead_role"
    admin.check()
    assert page.get_by_label("Name of the senior officer").input_value() == SENIOR_OFFICER[0]
    page.get_by_label("Role of the political lead").fill(POLITICAL_LEAD[1])
    admin.submit("Continue")

    # Check the answers, then sign.
    assert page.url.endswith("/declaration/organisations/HCK/sign/check/")
    assert text_of(page, "main h1") == "Check your answers before signing"
    answers = text_of(page, ".govuk-summary-list")
    assert f"{SENIOR_OFFICER[0]}, {SENIOR_OFFICER[1]}" in answers
    assert f"{POLITICAL_LEAD[0]}, {POLITICAL_LEAD[1]}" in answers
    assert "14 March 2025" in answers
    assert page.locator(".govuk-summary-list ul li").count() == 5
    assert not Signing.objects.filter(organisation=hackney).exists()
    admin.submit("Sign the Declaration")

    assert page.url.endswith("/declaration/organisations/HCK/sign/confirmation/")
    panel = text_of(page, ".govuk-panel")
    assert "Hackney has signed the Local Digital Declaration" in panel
    assert "Signed on 14 March 2025" in panel
    signing = Signing.objects.get(organisation=hackney)
    assert signing.status == Signing.Status.ACTIVE
    assert signing.signed_by == hackney_admin
    assert signing.principles_agreed.count() == 5

    # Add the first commitment, naming Islington; the first try leaves out the mission.
    admin.follow("Add a commitment")
    assert text_of(page, "main h1") == "Add a commitment"
    assert page.get_by_label("Year").input_value() == str(timezone.localdate().year)
    page.get_by_label("Title").fill(COMMITMENT_TITLE)
    page.get_by_label("Impact").fill(IMPACT)
    page.get_by_label("Partner organisations (optional)").fill("Islington")
    page.get_by_role("group", name="Principles this commitment advances (optional)").get_by_role(
        "checkbox"
    ).first.check()
    admin.submit("Add commitment")
    assert_error_summary(page, services.MISSION_REQUIRED, "id_mission")
    assert page.get_by_label("Partner organisations (optional)").input_value() == "Islington"
    page.get_by_label("Mission").fill(MISSION)
    admin.submit("Add commitment")

    commitment = Commitment.objects.get(organisation=hackney)
    assert page.url.endswith(f"/declaration/commitments/{commitment.pk}/")
    assert text_of(page, "main h1") == COMMITMENT_TITLE
    assert "Each partner has been asked to confirm." in text_of(page, ".govuk-notification-banner")
    partners = table_text(page, "Partners in this commitment")
    assert "London Borough of Islington" in partners
    assert "Awaiting confirmation" in partners

    # Islington's admin is told, opens the notification and confirms the partnership.
    partner = open_hub("islington-admin")
    sign_in(partner, islington_admin)
    partner_page = partner.visit("/notifications/")
    notification = partner_page.get_by_role(
        "button", name=re.compile(r"^Open\W+Hackney named Islington as a partner$")
    )
    with partner_page.expect_navigation(wait_until="load"):
        notification.click()
    partner.check()
    link = CommitmentPartner.objects.get(commitment=commitment, organisation=islington)
    assert partner_page.url.endswith(f"/declaration/commitment-partners/{link.pk}/respond/")
    assert text_of(partner_page, "main h1") == "Hackney named Islington as a partner"
    assert MISSION in text_of(partner_page, ".govuk-summary-list")
    partner.submit("Save answer")
    assert_error_summary(partner_page, services.RESPONSE_REQUIRED, "id_status")
    partner_page.get_by_label("Yes, confirm that we are a partner").check()
    partner.submit("Save answer")
    assert partner_page.url.endswith(f"/declaration/commitments/{commitment.pk}/")
    banner = text_of(partner_page, ".govuk-notification-banner")
    assert "You confirmed that Islington is a partner." in banner
    link.refresh_from_db()
    assert link.status == CommitmentPartner.Status.CONFIRMED

    # Anyone can see the confirmed partnership, Hackney's signing and the register entry.
    visitor = open_hub("visitor")
    public = visitor.visit(f"/declaration/commitments/{commitment.pk}/")
    partners = table_text(public, "Partners in this commitment")
    assert "London Borough of Islington" in partners
    assert "Confirmed" in partners
    assert "Awaiting confirmation" not in partners
    assert public.get_by_role("link", name="Confirm or decline").count() == 0

    visitor.follow("London Borough of Hackney")
    assert public.url.endswith("/organisations/HCK/")
    signed = text_of(public, "#declaration")
    assert "Hackney has signed the Local Digital Declaration" in signed
    assert f"{POLITICAL_LEAD[0]}, {POLITICAL_LEAD[1]}" in signed
    assert COMMITMENT_TITLE in signed
    assert "(awaiting confirmation)" not in signed

    visitor.visit("/declaration/signatories/")
    public.get_by_label("Search").fill("Hackney")
    visitor.submit("Apply filters")
    assert text_of(public, "#results-count") == "1 signatory matching ‘Hackney’"
    row = table_text(public, "Signatories, page 1 of 1")
    assert "Hackney" in row
    assert "London" in row
    assert "14 March 2025" in row
    assert "Signed on the Hub" in row


@pytest.fixture
def hackney_signed(councils, hackney_admin) -> Commitment:
    """Hackney signed on the Hub in 2025 and committed to one piece of work with Islington."""
    hackney = councils["HCK"]
    principles = list(Principle.objects.order_by("position"))
    services.signing_create(
        actor=hackney_admin,
        organisation=hackney,
        signed_on=SIGNED_ON,
        senior_officer_name=SENIOR_OFFICER[0],
        senior_officer_role=SENIOR_OFFICER[1],
        political_lead_name=POLITICAL_LEAD[0],
        political_lead_role=POLITICAL_LEAD[1],
        principles=principles,
    )
    return services.commitment_create(
        actor=hackney_admin,
        organisation=hackney,
        year=2025,
        title=COMMITMENT_TITLE,
        mission=MISSION,
        impact=IMPACT,
        principles=principles[:2],
        partners=[councils["ISL"]],
    )


def test_the_admin_reports_progress_then_withdraws_and_the_council_page_shows_it(
    hackney_signed, hackney_admin, open_hub
):
    commitment = hackney_signed
    admin = open_hub("hackney-admin")
    sign_in(admin, hackney_admin)

    # Report progress on the year's commitment, first forgetting to say how much was done.
    page = admin.visit(f"/declaration/commitments/{commitment.pk}/")
    assert "Not reported yet" in text_of(page, ".govuk-summary-list")
    admin.follow("Report progress")
    assert text_of(page, "main h1") == "Report progress"
    page.get_by_label("Progress note").fill(
        "The service is live in Hackney; Islington joins in May."
    )
    admin.submit("Save progress report")
    options = page.get_by_role("group", name="How much of the commitment was done?")
    first_id = options.get_by_role("radio").first.get_attribute("id")
    assert_error_summary(page, services.PROGRESS_REQUIRED, first_id)
    page.get_by_label("Partly done").check()
    admin.submit("Save progress report")
    assert page.url.endswith(f"/declaration/commitments/{commitment.pk}/")
    assert "Your progress report has been saved." in text_of(page, ".govuk-notification-banner")
    progress = text_of(page, ".govuk-summary-list")
    assert "Partly done" in progress
    assert "Islington joins in May." in progress

    # Withdraw from Hackney's page: the confirmation page asks why.
    admin.follow("Back to Hackney")
    admin.follow("Withdraw from the Declaration")
    assert page.url.endswith("/declaration/organisations/HCK/withdraw/")
    assert text_of(page, "main h1") == "Are you sure you want to withdraw from the Declaration?"
    admin.submit("Withdraw from the Declaration")
    assert_error_summary(page, services.WITHDRAWAL_REASON_REQUIRED, "id_reason")
    page.get_by_label("Why is your organisation withdrawing?").fill(
        "The council is reviewing its digital strategy."
    )
    admin.submit("Withdraw from the Declaration")

    assert page.url.endswith("/organisations/HCK/")
    banner = text_of(page, ".govuk-notification-banner")
    assert "Hackney has withdrawn from the Local Digital Declaration." in banner
    status = text_of(page, "#declaration-status")
    assert "Not signed" in status
    assert "since it last withdrew" in status
    history = text_of(page, "#declaration-history")
    assert "Signed 14 March 2025" in history
    assert "The council is reviewing its digital strategy." in history
    # The admin can sign again, and the register no longer lists Hackney.
    assert page.locator("a[role=button]").get_by_text("Sign the Declaration").count() == 1
    signing = Signing.objects.get(organisation=commitment.organisation)
    assert signing.status == Signing.Status.WITHDRAWN

    visitor = open_hub("visitor")
    public = visitor.visit("/declaration/signatories/?q=Hackney")
    assert text_of(public, "#results-count") == "0 signatories matching ‘Hackney’"


def test_an_admin_signs_and_adds_a_commitment_without_javascript(councils, hackney_admin, open_hub):
    admin = open_hub("no-js-admin", javascript=False)
    sign_in(admin, hackney_admin)

    page = admin.visit("/declaration/organisations/HCK/sign/")
    fill_signing_form(page)
    page.get_by_role("group", name="Date signed").get_by_label("Year").fill("")
    admin.submit("Continue")
    # The shared date adapter links a date's errors to its first input, the day.
    assert error_summary_links(page) == [("Date signed must include a year", "#id_signed_on-year")]
    page.get_by_role("group", name="Date signed").get_by_label("Year").fill(str(SIGNED_ON.year))
    admin.submit("Continue")
    assert text_of(page, "main h1") == "Check your answers before signing"
    admin.submit("Sign the Declaration")
    assert "Hackney has signed the Local Digital Declaration" in text_of(page, ".govuk-panel")

    admin.follow("Add a commitment")
    page.get_by_label("Title").fill(COMMITMENT_TITLE)
    page.get_by_label("Mission").fill(MISSION)
    page.get_by_label("Impact").fill(IMPACT)
    page.get_by_label("Partner organisations (optional)").fill("ISL")
    admin.submit("Add commitment")
    assert text_of(page, "main h1") == COMMITMENT_TITLE
    assert "Awaiting confirmation" in table_text(page, "Partners in this commitment")
    assert (
        Signing.objects.filter(organisation=councils["HCK"], status=Signing.Status.ACTIVE).count()
        == 1
    )

    # axe-core needs script, so the same forms are checked as served without their scripts, in
    # the admin's session (that rendering cannot follow the sign-in form's redirects).
    rendering = open_hub.no_script_rendering("no-js-axe")
    rendering.context.add_cookies(admin.context.cookies())
    forms = {
        f"/declaration/commitments/{Commitment.objects.get().pk}/progress/": "Report progress",
        "/declaration/organisations/HCK/withdraw/": (
            "Are you sure you want to withdraw from the Declaration?"
        ),
        "/declaration/organisations/HCK/commitments/new/": "Add a commitment",
    }
    for path, heading in forms.items():
        rendered = rendering.visit(path)
        assert text_of(rendered, "main h1") == heading
        assert rendered.locator("script").count() == 0


def test_programme_staff_record_an_offline_signing_and_correct_it_and_the_admin_edits_a_commitment(
    hackney_signed, hackney_admin, councils, open_hub
):
    staff_person = UserFactory(email="steward@localdigital.gov.uk", full_name="Alex Morgan")
    staff_person.is_programme_staff = True
    staff_person.save(update_fields=["is_programme_staff"])
    TOTPDevice.objects.create(user=staff_person, name="Authenticator app", confirmed=True)
    staff = open_hub("programme-staff")
    sign_in(staff, staff_person)

    # A paper signing from Islington, first sent without the organisation.
    page = staff.visit("/declaration/signings/record/")
    assert text_of(page, "main h1") == "Record a signing made offline"
    date = page.get_by_role("group", name="Date signed")
    date.get_by_label("Day").fill("2")
    date.get_by_label("Month").fill("9")
    date.get_by_label("Year").fill("2025")
    staff.submit("Record signing")
    assert_error_summary(page, "Enter the organisation's code or name", "id_organisation")
    page.get_by_label("Organisation").fill("ISL")
    page.get_by_label("How we know (optional)").fill("Signed letter from the chief executive")
    staff.submit("Record signing")
    assert page.url.endswith("/organisations/ISL/")
    islington = Signing.objects.get(organisation=councils["ISL"], status=Signing.Status.ACTIVE)
    assert islington.method == Signing.Method.OFFLINE
    assert islington.signed_on == dt.date(2025, 9, 2)

    # The date on the letter was wrong: staff correct it.
    page = staff.visit(f"/declaration/signings/{islington.pk}/correct/")
    assert text_of(page, "main h1") == "Correct the signing record"
    date = page.get_by_role("group", name="Date signed")
    date.get_by_label("Day").fill("3")
    staff.submit("Save correction")
    islington.refresh_from_db()
    assert islington.signed_on == dt.date(2025, 9, 3)

    # Hackney's admin changes the commitment's title.
    commitment = hackney_signed
    admin = open_hub("hackney-admin")
    sign_in(admin, hackney_admin)
    page = admin.visit(f"/declaration/commitments/{commitment.pk}/edit/")
    page.get_by_label("Title").fill("Shared repairs reporting for tenants")
    admin.submit("Save changes")
    assert page.url.endswith(f"/declaration/commitments/{commitment.pk}/")
    assert text_of(page, "main h1") == "Shared repairs reporting for tenants"
