from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import demo
from localdigital.accounts.middleware import requires_two_factor
from localdigital.accounts.models import User
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer
from localdigital.organisations.models import Membership, OrganisationDomain
from localdigital.organisations.tests.factories import OrganisationFactory


@pytest.fixture
def demo_councils(db):
    # seed_demo runs after load_reference_data, which loads the service areas the estate seed
    # needs; the councils themselves are a small stand-in for the real list.
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    return [OrganisationFactory(code=code, short_name=code) for code in demo.DEMO_COUNCILS]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> tuple:
    return (
        sorted(User.objects.values_list("email", "full_name", "is_programme_staff", "password")),
        sorted(
            Membership.objects.values_list("user__email", "organisation__code", "role", "status")
        ),
        sorted(OrganisationDomain.objects.values_list("domain", "organisation__code")),
        sorted(TOTPDevice.objects.values_list("user__email", "key", "confirmed")),
        sorted(CyberRole.objects.values_list("organisation__code", "user__email", "role")),
        sorted(Cycle.objects.values_list("organisation__code", "year", "assurer__email")),
        sorted(Assessment.objects.values_list("cycle__organisation__code", "kind", "status")),
        sorted(OutcomeAnswer.objects.values_list("pk", "status", "level_id", "assurer_agrees")),
    )


def test_seed_demo_creates_people_for_every_role_and_a_second_run_changes_nothing(demo_councils):
    output = seed()
    assert demo.DEMO_PASSWORD in output
    assert demo.DEMO_TOTP_KEY_BASE32 in output
    first = snapshot()
    second_output = seed()
    assert "(0 changes)" in second_output
    assert snapshot() == first
    assert User.objects.count() == len(demo.DEMO_PEOPLE)
    staff = User.objects.get(email="staff@localdigital.example")
    assert staff.is_programme_staff
    assert User.objects.get(email="assessor@localdigital.example").is_assessor
    for code in demo.DEMO_COUNCILS:
        roles = set(
            Membership.objects.filter(
                organisation__code=code, status=Membership.Status.ACTIVE
            ).values_list("role", flat=True)
        )
        assert roles == {"admin", "member"}
    pending = Membership.objects.get(status=Membership.Status.PENDING)
    assert pending.user.email == "requester@localdigital.example"
    assert OrganisationDomain.objects.get(domain="hackney.gov.uk").organisation.code == "HCK"
    # Each demo council has a CAF lead, a contributor and an approver, and a cycle in 2026.
    for code in demo.DEMO_COUNCILS:
        roles = set(
            CyberRole.objects.filter(organisation__code=code).values_list("role", flat=True)
        )
        assert roles == {"lead", "contributor", "approver"}
        assert Cycle.objects.filter(organisation__code=code, year=2026).exists()


def test_every_demo_person_who_needs_two_factor_has_the_documented_device(demo_councils):
    seed()
    for user in User.objects.all():
        has_device = TOTPDevice.objects.filter(
            user=user, key=demo.DEMO_TOTP_KEY_HEX, confirmed=True
        ).exists()
        assert has_device == requires_two_factor(user), user.email
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.is_email_verified


def test_seed_demo_repairs_a_changed_demo_person(demo_councils):
    seed()
    User.objects.filter(email="kent.admin@localdigital.example").update(is_programme_staff=True)
    Membership.objects.filter(user__email="kent.admin@localdigital.example").update(role="member")
    assert "(0 changes)" not in seed()
    person = User.objects.get(email="kent.admin@localdigital.example")
    assert not person.is_programme_staff
    assert person.memberships.get().role == "admin"


def test_seed_demo_says_clearly_when_the_councils_are_missing(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()
    assert not User.objects.exists()


def test_seed_demo_refuses_production_settings(demo_councils, settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()


def test_demo_totp_prints_the_current_code_only_when_allowed(demo_councils, settings):
    seed()
    email = "hackney.admin@localdigital.example"
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp", email, stdout=StringIO())
    device = TOTPDevice.objects.get(user__email=email)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    before = f"{totp.token():06d}"
    out = StringIO()
    call_command("demo_totp", email, "--yes-this-is-a-demo", stdout=out)
    after = f"{totp.token():06d}"
    # Either side of a 30-second step boundary.
    assert out.getvalue().strip() in {before, after}
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "assessor@localdigital.example", stdout=StringIO())
