from django.urls import reverse

from localdigital.accounts import forms, services
from localdigital.accounts.models import ApiToken
from localdigital.accounts.tests.factories import UserFactory
from localdigital.accounts.tests.helpers import error_summary, h1, soup
from localdigital.notifications.models import Notification
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import (
    OrganisationDomainFactory,
    OrganisationFactory,
)

PROFILE = reverse("accounts:profile")
JOIN = reverse("accounts:join")


def test_profile_shows_details_memberships_tokens_and_two_factor_status(client, member, council):
    member.job_title = "Service designer"
    member.save()
    services.api_token_create(actor=member, name="Nightly export")
    client.force_login(member)
    response = client.get(PROFILE)
    assert response.status_code == 200
    page = soup(response)
    assert h1(response) == "Your account"
    details = {
        row.select_one(".govuk-summary-list__key").text.strip(): row.select_one(
            ".govuk-summary-list__value"
        ).text.strip()
        for row in page.select(".govuk-summary-list__row")
    }
    assert details["Name"] == member.full_name
    assert details["Job title"] == "Service designer"
    assert details["Two-factor authentication"] == "Off"
    tables = page.select("table.govuk-table")
    organisations = [
        [td.text.strip() for td in tr.select("td")] for tr in tables[0].select("tbody tr")
    ]
    assert organisations == [["Hackney", "Member", "Active"]]
    assert "Nightly export" in tables[1].text


def test_profile_edit_saves_name_and_job_title_and_requires_a_name(client, member):
    client.force_login(member)
    url = reverse("accounts:profile_edit")
    response = client.post(url, {"full_name": "", "job_title": "Analyst"})
    assert error_summary(response) == {forms.ENTER_NAME: "#id_full_name"}
    response = client.post(url, {"full_name": "Grace Hopper", "job_title": "Analyst"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.job_title) == ("Grace Hopper", "Analyst")


def test_a_verified_person_on_a_council_domain_sees_join_that_council(client, council):
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")
    person = UserFactory(email="new.starter@digital.hackney.gov.uk")
    client.force_login(person)
    response = client.get(JOIN)
    assert h1(response) == "Join Hackney"
    buttons = [b.text.strip() for b in soup(response).select("main button.govuk-button")]
    assert "Join Hackney" in buttons
    profile = client.get(PROFILE)
    assert "Join Hackney" in [b.text.strip() for b in soup(profile).select("main button")]


def test_an_unverified_person_is_sent_to_confirm_their_email_before_joining(client, council):
    person = UserFactory(email_verified_at=None)
    client.force_login(person)
    response = client.get(JOIN)
    assert response.status_code == 302
    assert response.url == reverse("accounts:check_email")


def test_joining_without_automatic_joining_makes_a_pending_request_and_tells_the_admins(
    client, council, org_admin
):
    person = UserFactory()
    client.force_login(person)
    response = client.post(JOIN, {"organisation": council.code, "note": "I run the GIS team"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert membership.status == Membership.Status.PENDING
    assert membership.request_note == "I run the GIS team"
    notice = Notification.objects.get(recipient=org_admin)
    assert notice.url == reverse("organisations:members:list", kwargs={"code": council.code})
    page = client.get(PROFILE)
    assert "Awaiting approval" in soup(page).select("table.govuk-table")[0].text


def test_joining_with_automatic_joining_and_a_matching_domain_is_active_at_once(client, db):
    organisation = OrganisationFactory(allow_automatic_joining=True)
    OrganisationDomainFactory(organisation=organisation, domain="auto.gov.uk")
    person = UserFactory(email="someone@auto.gov.uk")
    client.force_login(person)
    client.post(JOIN, {"organisation": organisation.code})
    assert Membership.objects.get(user=person).status == Membership.Status.ACTIVE


def test_join_without_choosing_shows_an_error_linked_to_the_select(client, member):
    client.force_login(member)
    response = client.post(JOIN, {"organisation": ""})
    assert error_summary(response) == {forms.CHOOSE_ORGANISATION: "#id_organisation"}


def test_join_search_narrows_the_list_of_organisations(client, member, other_council):
    OrganisationFactory(code="MAN", short_name="Manchester", name="Manchester City Council")
    client.force_login(member)
    response = client.get(JOIN, {"q": "manch"})
    options = [o.text.strip() for o in soup(response).select("#id_organisation option")]
    assert options == ["Choose an organisation", "Manchester"]
    # The person's own council is never offered again.
    response = client.get(JOIN)
    options = [o.text.strip() for o in soup(response).select("#id_organisation option")]
    assert "Hackney" not in options
    assert "Cambridge" in options


def test_an_api_token_is_shown_once_then_only_its_prefix(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:token_create"), {"name": "Nightly export"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:token_created")
    shown = client.get(response.url)
    raw = soup(shown).select_one("#api-token").text.strip()
    token = ApiToken.objects.get(user=member)
    assert raw.startswith(f"ldh_{token.prefix}_")
    assert raw not in token.key_hash
    again = client.get(reverse("accounts:token_created"))
    assert again.status_code == 302
    assert raw not in client.get(PROFILE).content.decode()


def test_an_api_token_needs_a_name(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:token_create"), {"name": ""})
    assert error_summary(response) == {forms.ENTER_TOKEN_NAME: "#id_name"}


def test_a_revoked_token_stops_working_for_the_api(client, member):
    token, raw = services.api_token_create(actor=member, name="Script")
    me = reverse("api:me")
    assert client.get(me, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.force_login(member)
    url = reverse("accounts:token_revoke", kwargs={"pk": token.pk})
    assert h1(client.get(url)) == "Revoke the API token Script"
    assert client.post(url).status_code == 302
    client.logout()
    assert client.get(me, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_else_can_see_or_revoke_a_persons_token(
    client, member, programme_staff, verified_client
):
    token, _ = services.api_token_create(actor=member, name="Script")
    url = reverse("accounts:token_revoke", kwargs={"pk": token.pk})
    other = UserFactory()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    staff_client = verified_client(programme_staff)
    assert staff_client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.is_active
