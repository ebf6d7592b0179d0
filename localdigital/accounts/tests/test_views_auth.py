import pytest
from django.core import mail
from django.urls import reverse

from localdigital.accounts import forms
from localdigital.accounts.models import User
from localdigital.accounts.tests.factories import TEST_PASSWORD, UserFactory
from localdigital.accounts.tests.helpers import (
    error_summary,
    field_error,
    h1,
    link_in_last_email,
    soup,
)
from localdigital.audit.models import AuditEvent

SIGN_UP = reverse("accounts:sign_up")
SIGN_IN = reverse("accounts:sign_in")


def sign_up_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Ada Lovelace",
        "email": "Ada.Lovelace@Hackney.gov.uk",
        "password1": "analytical-engine-1843",
        "password2": "analytical-engine-1843",
    }
    data.update(overrides)
    return data


def test_sign_up_page_shows_a_govuk_form_with_the_four_fields(client, db):
    response = client.get(SIGN_UP)
    assert response.status_code == 200
    page = soup(response)
    assert h1(response) == "Create an account"
    for field_id in ("id_full_name", "id_email", "id_password1", "id_password2"):
        assert page.select_one(f".govuk-form-group #{field_id}") is not None
    buttons = [b.text.strip() for b in page.select("main form button.govuk-button")]
    assert buttons[-1] == "Create account"


def test_empty_sign_up_lists_every_error_in_the_summary_with_links_to_fields(client, db):
    response = client.post(SIGN_UP, {})
    assert response.status_code == 200
    assert error_summary(response) == {
        forms.ENTER_NAME: "#id_full_name",
        forms.ENTER_EMAIL: "#id_email",
        forms.CREATE_PASSWORD: "#id_password1",
        forms.CONFIRM_PASSWORD: "#id_password2",
    }
    assert soup(response).title.text.startswith("Error: ")


def test_sign_up_rejects_a_malformed_email_in_plain_english(client, db):
    response = client.post(SIGN_UP, sign_up_data(email="not-an-email"))
    assert field_error(response, "id_email") == forms.EMAIL_FORMAT
    assert error_summary(response)[forms.EMAIL_FORMAT] == "#id_email"


def test_sign_up_rejects_a_short_password_and_different_passwords(client, db):
    response = client.post(SIGN_UP, sign_up_data(password1="short", password2="shorter"))
    summary = error_summary(response)
    assert summary[forms.PASSWORD_TOO_SHORT] == "#id_password1"
    response = client.post(
        SIGN_UP, sign_up_data(password1="long-enough-pass-1", password2="long-enough-pass-2")
    )
    assert error_summary(response) == {forms.PASSWORDS_DIFFER: "#id_password2"}


def test_sign_up_rejects_a_common_password_in_plain_english(client, db):
    response = client.post(SIGN_UP, sign_up_data(password1="password123", password2="password123"))
    assert error_summary(response) == {forms.PASSWORD_COMMON: "#id_password1"}


def test_sign_up_with_an_existing_email_says_the_account_exists(client, db):
    UserFactory(email="ada.lovelace@hackney.gov.uk")
    response = client.post(SIGN_UP, sign_up_data())
    assert error_summary(response) == {
        "An account with that email address already exists": "#id_email"
    }
    assert User.objects.count() == 1


def test_sign_up_creates_an_unverified_account_signs_in_and_emails_a_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP, sign_up_data())
    assert response.status_code == 302
    assert response.url == reverse("accounts:check_email")
    user = User.objects.get()
    assert user.email == "ada.lovelace@hackney.gov.uk"
    assert not user.is_email_verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada.lovelace@hackney.gov.uk"]
    assert "/accounts/verify/" in mail.outbox[0].body
    page = client.get(response.url)
    assert h1(page) == "Check your email"
    assert AuditEvent.objects.filter(action="account.sign_up", actor=user).exists()


def test_following_the_verification_link_confirms_the_email_and_offers_to_join(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP, sign_up_data())
    response = client.get(link_in_last_email("/accounts/verify/"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:join")
    assert User.objects.get().is_email_verified


def test_a_tampered_verification_link_is_refused(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP, sign_up_data())
    link = link_in_last_email("/accounts/verify/")
    response = client.get(link.rstrip("/") + "x/")
    assert response.status_code == 400
    assert h1(response) == "The link did not work"
    assert not User.objects.get().is_email_verified


def test_an_expired_verification_link_is_refused(
    client, db, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP, sign_up_data())
    settings.HUB_EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.get(link_in_last_email("/accounts/verify/"))
    assert response.status_code == 400
    assert "expired" in soup(response).select_one("main").text


def test_sign_in_with_a_wrong_password_shows_one_plain_error(client, db):
    UserFactory(email="member@hackney.gov.uk")
    response = client.post(SIGN_IN, {"email": "member@hackney.gov.uk", "password": "wrong-one"})
    assert response.status_code == 200
    assert error_summary(response) == {forms.SIGN_IN_FAILED: "#id_email"}


def test_sign_in_with_empty_fields_asks_for_both(client, db):
    response = client.post(SIGN_IN, {})
    assert error_summary(response) == {
        forms.ENTER_EMAIL: "#id_email",
        forms.ENTER_PASSWORD: "#id_password",
    }


def test_a_plain_member_signs_in_with_email_in_any_case_and_lands_on_their_account(client, db):
    UserFactory(email="member@hackney.gov.uk")
    response = client.post(SIGN_IN, {"email": "Member@Hackney.gov.uk", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


def test_sign_in_follows_a_safe_next_and_ignores_another_site(client, db):
    UserFactory(email="member@hackney.gov.uk")
    data = {"email": "member@hackney.gov.uk", "password": TEST_PASSWORD}
    response = client.post(f"{SIGN_IN}?next=/organisations/", data)
    assert response.url == "/organisations/"
    client.logout()
    response = client.post(f"{SIGN_IN}?next=https://evil.example/", data)
    assert response.url == reverse("accounts:profile")


def test_an_unverified_person_can_sign_in(client, db):
    UserFactory(email="new@hackney.gov.uk", email_verified_at=None)
    response = client.post(SIGN_IN, {"email": "new@hackney.gov.uk", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_an_org_admin_signing_in_is_sent_to_two_factor(client, org_admin):
    response = client.post(SIGN_IN, {"email": org_admin.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))


def test_sign_out_is_a_page_with_a_button_and_the_post_signs_out(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:sign_out"))
    assert response.status_code == 200
    form = soup(response).select_one("main form[method=post]")
    assert form["action"] == reverse("accounts:sign_out")
    assert form.select_one("button").text.strip() == "Sign out"
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_too_many_failed_sign_ins_show_the_lockout_page_with_status_429(client, db, settings):
    UserFactory(email="member@hackney.gov.uk")
    bad = {"email": "member@hackney.gov.uk", "password": "not-the-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(SIGN_IN, bad).status_code == 200
    response = client.post(SIGN_IN, bad)
    assert response.status_code == 429
    assert h1(response) == "You have tried to sign in too many times"
    assert "Wait 15 minutes" in soup(response).select_one("main").text
    # Even the right password is refused until the cool-off ends.
    good = {"email": "member@hackney.gov.uk", "password": TEST_PASSWORD}
    assert client.post(SIGN_IN, good).status_code == 429


def test_password_reset_says_the_same_for_known_and_unknown_addresses(
    client, db, django_capture_on_commit_callbacks
):
    UserFactory(email="member@hackney.gov.uk")
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "member@hackney.gov.uk"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "nobody@hackney.gov.uk"}, follow=True)
    assert h1(known) == h1(unknown) == "Check your email"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@hackney.gov.uk"]


def test_password_reset_rejects_a_malformed_email(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nope"})
    assert error_summary(response) == {forms.EMAIL_FORMAT: "#id_email"}


def test_the_password_reset_link_sets_a_new_password_once(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="member@hackney.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = link_in_last_email("/accounts/password-reset/")
    assert h1(client.get(link)) == "Choose a new password"
    response = client.post(link, {"password1": "short", "password2": "short"})
    assert error_summary(response) == {forms.PASSWORD_TOO_SHORT: "#id_password1"}
    new = "a-brand-new-passphrase"
    response = client.post(link, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    again = client.get(link)
    assert again.status_code == 400
    assert h1(again) == "The link did not work"


def test_change_password_checks_the_current_one(client, member):
    client.force_login(member)
    url = reverse("accounts:password_change")
    new = "a-brand-new-passphrase"
    response = client.post(url, {"current_password": "wrong", "password1": new, "password2": new})
    assert error_summary(response) == {forms.CURRENT_PASSWORD_WRONG: "#id_current_password"}
    response = client.post(
        url, {"current_password": TEST_PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)
    # Still signed in after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_change", actor=member).exists()


@pytest.mark.parametrize(
    "name", ["profile", "profile_edit", "password_change", "join", "token_create"]
)
def test_account_pages_send_anonymous_visitors_to_sign_in(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_an_unverified_person_can_ask_for_the_link_again(
    client, db, django_capture_on_commit_callbacks
):
    person = UserFactory(email="new@hackney.gov.uk", email_verified_at=None)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:verify_resend"), follow=True)
    assert h1(response) == "Check your email"
    assert mail.outbox[-1].to == ["new@hackney.gov.uk"]
    assert "/accounts/verify/" in mail.outbox[-1].body


def test_check_your_email_sends_a_verified_person_on_to_join(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:check_email"))
    assert response.url == reverse("accounts:join")
