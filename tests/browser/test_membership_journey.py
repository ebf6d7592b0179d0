"""The journey every council officer takes: sign up, confirm the email address, ask to join the
council, an admin of that council approves, and the new member acts for the council."""

import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import TEST_PASSWORD, UserFactory
from localdigital.organisations.models import Membership, Organisation
from localdigital.organisations.tests.factories import (
    MembershipFactory,
    OrganisationDomainFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER_NAME = "Nia Okafor"
NEWCOMER_EMAIL = "nia.okafor@hackney.gov.uk"
NEWCOMER_PASSWORD = "a long and unusual passphrase 42"
LINK = re.compile(r"https?://\S+/accounts/verify/\S+/")


@pytest.fixture
def hackney(transactional_db, settings, live_server) -> Organisation:
    """Hackney from the real reference data, with its email domain and one admin."""
    # Links in emails point at the server the browser is using.
    settings.SITE_URL = live_server.url
    call_command("load_reference_data", verbosity=0)
    council = Organisation.objects.get(code="HCK")
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")
    return council


@pytest.fixture
def hackney_admin(hackney):
    """An admin of Hackney who has set up an authenticator app, as admins must."""
    admin = UserFactory(email="digital.lead@hackney.gov.uk", full_name="Sam Adeyemi")
    MembershipFactory(user=admin, organisation=hackney, role=Membership.Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    return admin


def authenticator_code(user) -> str:
    """The six digits the person's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def text_of(page, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def table_text(page, caption: str) -> str:
    return " ".join(page.get_by_role("table", name=caption).inner_text().split())


def test_a_newcomer_signs_up_joins_their_council_and_an_admin_approves(
    hackney, hackney_admin, open_hub, mailoutbox
):
    newcomer = open_hub("newcomer")

    # Sign up from the start page.
    page = newcomer.visit("/")
    newcomer.follow("Create an account")
    page.get_by_label("Full name").fill(NEWCOMER_NAME)
    page.get_by_label("Email address").fill(NEWCOMER_EMAIL)
    page.get_by_label("Create a password").fill(NEWCOMER_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEWCOMER_PASSWORD)
    newcomer.submit("Create account")
    assert "/accounts/check-your-email/" in page.url

    # Follow the link in the confirmation email.
    assert [email.to for email in mailoutbox] == [[NEWCOMER_EMAIL]]
    link = LINK.search(mailoutbox[0].body)
    assert link is not None, mailoutbox[0].body
    newcomer.visit(link.group(0))

    # The email domain suggests Hackney; ask to join it with a note for the admins.
    assert "/accounts/join/" in page.url
    assert text_of(page, "main h1") == "Join Hackney"
    page.get_by_label("Organisation", exact=True).select_option(label="Hackney")
    page.get_by_label("Note to the organisation's admins (optional)").fill(
        "I run the digital team's user research."
    )
    newcomer.submit("Ask to join")
    assert "/accounts/profile/" in page.url
    assert "You have asked to join Hackney" in text_of(page, ".govuk-notification-banner")
    assert "Awaiting approval" in table_text(page, "Your organisations")

    # Hackney's admin signs in with a password and the code from their authenticator app.
    admin = open_hub("admin")
    admin_page = admin.visit("/accounts/sign-in/")
    admin_page.get_by_label("Email address").fill(hackney_admin.email)
    admin_page.get_by_role("textbox", name="Password", exact=True).fill(TEST_PASSWORD)
    admin.submit("Sign in")
    assert "/accounts/two-factor/" in admin_page.url
    admin_page.get_by_label("Code").fill(authenticator_code(hackney_admin))
    admin.submit("Continue")
    assert "/accounts/profile/" in admin_page.url

    # The request is waiting on the members page, with the note; the admin approves it.
    admin.follow("manage members")
    assert "/organisations/HCK/members/" in admin_page.url
    requests = table_text(admin_page, "Requests to join")
    assert NEWCOMER_NAME in requests
    assert "I run the digital team's user research." in requests
    admin.submit(f"Approve {NEWCOMER_NAME}")
    assert f"{NEWCOMER_NAME} is now a member" in text_of(admin_page, ".govuk-notification-banner")
    assert "There are no requests waiting for a decision." in text_of(admin_page, "main")
    assert NEWCOMER_NAME in table_text(admin_page, "Members")

    # The new member sees the membership on their account and opens their council's page.
    page = newcomer.visit("/accounts/profile/")
    organisations = table_text(page, "Your organisations")
    assert "Hackney" in organisations
    assert "Active" in organisations
    newcomer.follow("Hackney")
    assert page.url.endswith("/organisations/HCK/")
    assert text_of(page, "main h1") == "London Borough of Hackney"

    membership = Membership.objects.get(user__email=NEWCOMER_EMAIL, organisation=hackney)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_by == hackney_admin
