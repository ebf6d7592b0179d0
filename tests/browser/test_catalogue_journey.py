"""The catalogue in a real browser: a council imports a publiccode.yml (after a broken one is
rejected at its line), declares a TCoP profile, another council peer-reviews it and records its
use, and programme staff assure it. Every page reached is checked with axe-core (WCAG 2.2 AA)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.catalogue.models import Adoption, Asset
from localdigital.catalogue.publiccode.examples import read
from localdigital.frameworks.reference_data import load_frameworks
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.reference_data import load_service_areas
from tests.browser.test_declaration_journey import sign_in as sign_in_with_code
from tests.browser.test_membership_journey import text_of
from tests.browser.test_pipeline_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    load_service_areas()
    load_frameworks()
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    leeds = OrganisationFactory(code="LDS", short_name="Leeds", name="Leeds City Council")
    staff = UserFactory(email="steward@localdigital.gov.uk", is_programme_staff=True)
    TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    return {
        "owner": MembershipFactory(organisation=hackney).user,
        "reviewer": MembershipFactory(organisation=leeds).user,
        "staff": staff,
    }


def import_lynis(hub, owner):
    page = sign_in(hub, owner, "/accounts/sign-in/?next=/catalogue/import/")
    assert text_of(page, "main h1") == "Import a publiccode.yml"
    broken = read("CISOfy__lynis.yml").replace("AGPL-3.0-only", "NOT-A-LICENCE")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "NOT-A-LICENCE" in text)
    page.get_by_label("Or paste its contents").fill(broken)
    hub.submit("Import")
    assert "nothing was saved" in text_of(page, ".govuk-error-summary")
    assert str(line) in text_of(page, "#errors + table")
    assert not Asset.objects.exists()
    page.get_by_label("Or paste its contents").fill(read("CISOfy__lynis.yml"))
    hub.submit("Import")
    assert text_of(page, "main h1") == "Lynis"
    return page


def test_a_profile_goes_from_self_declared_to_peer_reviewed_to_assured(people, open_hub):
    hackney = open_hub("hackney")
    page = import_lynis(hackney, people["owner"])
    asset = Asset.objects.get()

    # Hackney declares the profile: an error first, then every point answered.
    hackney.submit("Declare a TCoP profile")
    assert text_of(page, "main h1") == "Technology Code of Practice profile"
    hackney.submit("Declare this profile")
    assert "Select how Lynis meets point 1" in text_of(page, ".govuk-error-summary")
    for point in range(1, 14):
        group = page.locator(f"#point-{point}")
        group.get_by_label("Meets", exact=True).check()
        group.get_by_label(f"Evidence for point {point}").fill(f"See our report, section {point}")
    hackney.submit("Declare this profile")
    assert "self-declared" in text_of(page, ".govuk-notification-banner")
    assert "Self-declared" in text_of(page, "#tcop + p")

    # Leeds reviews it, challenging nothing, then records that it uses Lynis.
    leeds = open_hub("leeds")
    sign_in(leeds, people["reviewer"], f"/accounts/sign-in/?next={asset.get_absolute_url()}")
    leeds.follow("Peer-review this profile")
    for point in range(1, 14):
        leeds.page.locator(f"#point-{point}").get_by_label("Confirm", exact=True).check()
    leeds.submit("Submit your review")
    assert "Peer-reviewed" in text_of(leeds.page, "#tcop + p")
    leeds.follow("Record that your organisation uses this")
    leeds.page.get_by_label("Using", exact=True).check()
    leeds.page.get_by_label("Estimated annual saving in pounds (optional)").fill("4000")
    leeds.submit("Save")
    assert Adoption.objects.get().organisation.code == "LDS"
    leeds.follow("Say what worked for Leeds")
    leeds.page.get_by_label("4: good").check()
    leeds.page.get_by_label("What worked, and what did not?").fill("Quick audits of servers.")
    leeds.submit("Publish your review")
    assert "Quick audits of servers." in text_of(leeds.page, "#reviews ~ div")

    # Programme staff assure it: accredited, as every point is met and confirmed.
    staff = open_hub("staff")
    sign_in_with_code(staff, people["staff"])
    staff.visit(asset.get_absolute_url())
    staff.follow("Assure this profile")
    assert "will be accredited" in text_of(staff.page, "main")
    staff.submit("Assure this profile")
    assert "Accredited" in text_of(staff.page, "#tcop + p")
    asset.refresh_from_db()
    assert asset.tcop_accredited

    # The list finds it by its tier, and the other pages pass axe.
    staff.visit("/catalogue/?tier=accredited")
    assert "Lynis" in text_of(staff.page, "#results")
    staff.visit(f"{asset.get_absolute_url()}history/")
    hackney.visit(f"/catalogue/{asset.slug}/edit/")
    hackney.visit("/catalogue/new/")
    hackney.visit("/catalogue/validate/")
    hackney.visit("/organisations/HCK/")


def test_checking_a_file_works_without_javascript(people, open_hub):
    no_javascript = open_hub("no-js", javascript=False)
    page = no_javascript.visit("/catalogue/validate/")
    page.get_by_label("Or paste its contents").fill(read("CatalaLang__catala.yml"))
    no_javascript.submit("Check the file")
    assert "The file is valid" in text_of(page, ".govuk-notification-banner")
    rendering = open_hub.no_script_rendering("no-js-axe")
    rendering.visit("/catalogue/")
    rendering.visit("/catalogue/validate/")
