"""The Declaration's public pages and the programme view in a real browser: accessible
(axe-core, WCAG 2.2 AA) with and without JavaScript, with the real seeded signatories."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import TEST_PASSWORD, UserFactory
from localdigital.declaration.seed import signatories_import
from localdigital.declaration.tests.factories import CommitmentFactory, CommitmentPartnerFactory
from localdigital.organisations.models import Membership, Organisation
from localdigital.organisations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# path, the page's main heading (None: the council's name)
PAGES = {
    "the Declaration": ("/declaration/", "The Local Digital Declaration"),
    "register": ("/declaration/signatories/", "Signatories"),
    "register filtered": (
        "/declaration/signatories/?q=borough&nation=England&year=unknown&former=true",
        "Signatories",
    ),
    "growth chart": ("/declaration/signatories/growth/", "Signatories over time"),
    "map": ("/declaration/signatories/map/", "Map of signatories"),
    "a signatory's page with a commitment": ("/organisations/HCK/", None),
    "a successor whose predecessors signed": ("/organisations/BUC/", None),
}


@pytest.fixture
def signatories(transactional_db):
    """Every UK council, the 52 known signatories, and one commitment with a partner."""
    call_command("load_reference_data", verbosity=0)
    signatories_import()
    hackney = Organisation.objects.get(code="HCK")
    commitment = CommitmentFactory(
        organisation=hackney, title="Open planning data", progress_due_on=dt.date(2025, 3, 31)
    )
    CommitmentPartnerFactory(
        commitment=commitment, organisation=Organisation.objects.get(code="LBH")
    )
    admin = UserFactory(email="digital.lead@hackney.gov.uk")
    MembershipFactory(user=admin, organisation=hackney, role=Membership.Role.ADMIN)
    return hackney


@pytest.mark.parametrize("name", list(PAGES))
def test_declaration_page_is_accessible_with_and_without_javascript(signatories, open_hub, name):
    path, heading = PAGES[name]
    visitor = open_hub("visitor")
    rendering = open_hub.no_script_rendering("no-js-axe")

    page = visitor.visit(path)
    rendering.visit(path)

    assert page.locator("main h1").count() == 1
    if heading:
        assert page.locator("main h1").inner_text().strip() == heading


def test_programme_staff_send_reminders_from_an_accessible_programme_view(signatories, open_hub):
    staff = UserFactory(email="steward@localdigital.gov.uk", is_programme_staff=True)
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    hub = open_hub("staff")

    page = hub.visit("/accounts/sign-in/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_role("textbox", name="Password", exact=True).fill(TEST_PASSWORD)
    hub.submit("Sign in")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code").fill(f"{code:0{device.digits}d}")
    hub.submit("Continue")

    page = hub.visit("/declaration/programme/")
    assert "Open planning data" in page.locator("#overdue").inner_text()
    hub.submit("Send reminders")

    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Reminders sent for 1 commitment to 1 person." in banner
    assert "No commitments are due a reminder." in page.locator("main").inner_text()
