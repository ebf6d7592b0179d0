import base64

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import services
from localdigital.accounts.tests.factories import TEST_PASSWORD
from localdigital.accounts.tests.helpers import error_summary, h1, soup
from localdigital.audit.models import AuditEvent

TWO_FACTOR = reverse("accounts:two_factor")


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def members_url(organisation) -> str:  # noqa: ANN001
    return reverse("organisations:members:list", kwargs={"code": organisation.code})


def test_an_org_admin_without_a_verified_second_factor_is_sent_to_two_factor(
    client, org_admin, council
):
    client.force_login(org_admin)
    response = client.get(members_url(council))
    assert response.status_code == 302
    assert response.url == f"{TWO_FACTOR}?next={members_url(council)}"


def test_an_org_admin_with_a_verified_second_factor_reaches_the_members_page(
    verified_client, org_admin, council
):
    response = verified_client(org_admin).get(members_url(council))
    assert response.status_code == 200
    assert h1(response) == "Members of Hackney"


def test_programme_staff_must_use_two_factor_too(client, programme_staff):
    client.force_login(programme_staff)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(TWO_FACTOR)


def test_a_plain_member_is_not_asked_for_a_second_factor(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_set_up_shows_an_inline_svg_qr_code_and_the_key_without_script(client, org_admin):
    client.force_login(org_admin)
    response = client.get(TWO_FACTOR)
    assert response.status_code == 200
    assert h1(response) == "Set up two-factor authentication"
    page = soup(response)
    svg = page.select_one("main svg")
    assert svg["role"] == "img"
    assert svg.get("style") is None
    assert page.select_one("main script") is None
    assert "data:" not in str(svg)
    device = TOTPDevice.objects.get(user=org_admin, confirmed=False)
    secret = page.select_one("#totp-secret").text.replace(" ", "")
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret


def test_a_wrong_code_at_set_up_shows_an_error_linked_to_the_field(client, org_admin):
    client.force_login(org_admin)
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": "12345"})
    assert error_summary(response) == {"The code must be 6 digits": "#id_code"}
    device = TOTPDevice.objects.get(user=org_admin)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post(TWO_FACTOR, {"code": wrong})
    assert error_summary(response) == {services.CODE_WRONG: "#id_code"}
    assert not TOTPDevice.objects.get(user=org_admin).confirmed


def test_confirming_set_up_verifies_the_session_and_shows_backup_codes_once(
    client, org_admin, council
):
    client.force_login(org_admin)
    client.get(f"{TWO_FACTOR}?next={members_url(council)}")
    device = TOTPDevice.objects.get(user=org_admin)
    response = client.post(
        f"{TWO_FACTOR}?next={members_url(council)}", {"code": current_code(device)}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:backup_codes")
    codes_page = client.get(response.url)
    codes = [li.text.strip() for li in soup(codes_page).select("#backup-codes li")]
    assert len(codes) == services.BACKUP_CODE_COUNT
    assert soup(codes_page).select_one("main a.govuk-button")["href"] == members_url(council)
    assert client.get(reverse("accounts:backup_codes")).status_code == 302
    assert client.get(members_url(council)).status_code == 200
    assert AuditEvent.objects.filter(action="account.two_factor_confirm").count() == 1


def test_signing_in_again_asks_for_a_code_and_accepts_a_backup_code_once(client, org_admin):
    device = TOTPDevice.objects.create(user=org_admin, name="App", confirmed=False)
    codes = services.two_factor_confirm(actor=org_admin, device=device, code=current_code(device))
    client.post(reverse("accounts:sign_in"), {"email": org_admin.email, "password": TEST_PASSWORD})
    response = client.get(TWO_FACTOR)
    assert h1(response) == "Enter your security code"
    response = client.post(TWO_FACTOR, {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_entering_a_wrong_code_keeps_the_person_out(client, org_admin):
    device = TOTPDevice.objects.create(user=org_admin, name="App", confirmed=False)
    services.two_factor_confirm(actor=org_admin, device=device, code=current_code(device))
    client.force_login(org_admin)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post(TWO_FACTOR, {"code": wrong})
    assert error_summary(response) == {services.CODE_WRONG: "#id_code"}
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_plain_member_who_set_up_an_authenticator_is_always_asked_for_it(client, member):
    device = TOTPDevice.objects.create(user=member, name="App", confirmed=False)
    services.two_factor_confirm(actor=member, device=device, code=current_code(device))
    client.force_login(member)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(TWO_FACTOR)


def test_the_next_address_is_encoded_when_sending_someone_to_two_factor(client, org_admin):
    client.force_login(org_admin)
    response = client.get("/organisations/?region=London&page=2")
    assert response.url == f"{TWO_FACTOR}?next=/organisations/%3Fregion%3DLondon%26page%3D2"
