"""The framework pages checked with axe-core (WCAG 2.2 AA): the list, the CAF 4.0 tree and the
target profile form with its error summary, as programme staff (who see the links to add
profiles) and the list and tree as an anonymous visitor."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.frameworks.forms import NAME_REQUIRED
from localdigital.frameworks.models import Framework, Profile
from localdigital.frameworks.reference_data import load_frameworks
from tests.browser.test_declaration_journey import sign_in as sign_in_with_code
from tests.browser.test_membership_journey import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAF = "NCSC Cyber Assessment Framework 4.0"
CAF_PATH = "/frameworks/caf/4.0/"


@pytest.fixture
def staff(transactional_db):
    load_frameworks()
    assert Framework.objects.filter(framework_id="caf", version="4.0").exists()
    user = UserFactory(email="steward@localdigital.gov.uk", is_programme_staff=True)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def test_programme_staff_see_accessible_framework_pages_and_profile_form(staff, open_hub):
    hub = open_hub("staff")
    sign_in_with_code(hub, staff)
    page = hub.visit("/frameworks/")
    assert text_of(page, "main h1") == "Frameworks and profiles"
    hub.follow(CAF)
    assert CAF in text_of(page, "main h1")
    profiles = Profile.objects.count()
    hub.follow("Add a target profile")
    assert text_of(page, "main h1") == "Add a target profile"
    hub.submit("Save profile")
    assert NAME_REQUIRED in text_of(page, ".govuk-error-summary")
    assert Profile.objects.count() == profiles

    visitor = open_hub("visitor")
    visitor.visit("/frameworks/")
    visitor.visit(CAF_PATH)
    assert visitor.page.get_by_role("link", name="Add a target profile").count() == 0
