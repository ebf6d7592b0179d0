"""The Pipeline's loop in a real browser: one council shares a problem, another finds it through
search and "similar work", expresses interest, the owner accepts, and the new partner posts an
update. Every page reached is checked with axe-core (WCAG 2.2 AA), with and without JavaScript."""

import pytest

from localdigital.accounts.tests.factories import TEST_PASSWORD
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Interest, Item, Partnership
from localdigital.pipeline.reference_data import load_service_areas
from localdigital.pipeline.services.items import item_create
from tests.browser.test_membership_journey import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def councils(transactional_db):
    load_service_areas()
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    leeds = OrganisationFactory(code="LDS", short_name="Leeds", name="Leeds City Council")
    owner = MembershipFactory(organisation=hackney).user
    other = MembershipFactory(organisation=leeds).user
    theirs = item_create(
        actor=other,
        organisation=leeds,
        data={
            "kind": "problem",
            "title": "SEND caseworkers struggle to finish EHCPs on time",
            "summary": "Education, health and care plans miss the 20-week deadline.",
            "visibility": "public",
        },
    )
    return {"owner": owner, "other": other, "theirs": theirs}


def sign_in(hub, user, path="/accounts/sign-in/"):
    page = hub.visit(path)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password", exact=True).fill(TEST_PASSWORD)
    hub.submit("Sign in")
    return page


def share_a_problem(hub, owner):
    page = sign_in(hub, owner, "/accounts/sign-in/?next=/pipeline/new/")
    assert text_of(page, "main h1") == "Share a project, idea or problem"
    # The error summary first: a summary that is too long.
    page.get_by_label("Problem", exact=True).check()
    page.get_by_label("Title").fill("Our EHC plan assessments are late")
    page.get_by_label("Summary").fill("x" * 281)
    hub.submit("Save")
    assert "Enter a summary of 280 characters or fewer" in text_of(page, ".govuk-error-summary")
    page.get_by_label("Summary").fill(
        "Families wait months for EHCPs; has anyone made this faster?"
    )
    page.get_by_label("Service area (optional)").select_option("education-and-send")
    page.get_by_label("Seeking partners").check()
    hub.submit("Save")
    assert text_of(page, "main h1") == "Our EHC plan assessments are late"
    assert "has been published" in text_of(page, ".govuk-notification-banner")
    return page


def test_a_problem_finds_a_partner_and_the_loop_closes(
    councils, open_hub, django_capture_on_commit_callbacks
):
    owner, other = councils["owner"], councils["other"]
    hackney = open_hub("hackney")
    page = share_a_problem(hackney, owner)
    mine = Item.objects.get(title="Our EHC plan assessments are late")

    # Leeds finds it by searching in its own words, and sees it as similar work on its problem.
    leeds = open_hub("leeds")
    page = sign_in(leeds, other)
    page = leeds.visit("/pipeline/?q=EHCP+deadline")
    assert "Our EHC plan assessments are late" in text_of(page, "#results")
    page = leeds.visit(councils["theirs"].get_absolute_url())
    assert "Our EHC plan assessments are late" in text_of(page, "#similar-work + ul")

    # Leeds expresses interest; Hackney sees it and accepts.
    page = leeds.visit(mine.get_absolute_url())
    leeds.follow("Express interest")
    page.get_by_label("We have this problem too").check()
    page.get_by_label("Message").fill("We have the same backlog. Shall we share what we learn?")
    leeds.submit("Send")
    assert "Awaiting a response" in text_of(page, "main")

    interest = Interest.objects.get()
    page = hackney.visit(mine.get_absolute_url())
    hackney.follow("Leeds: we have this problem too")
    hackney.submit("Accept as a partner")
    assert "Leeds is now a partner" in text_of(page, ".govuk-notification-banner")
    assert Partnership.objects.filter(item=mine, organisation__code="LDS").exists()

    # Leeds sees the answer and, as a collaborator, posts an update.
    page = leeds.visit(f"/pipeline/interest/{interest.pk}/")
    assert "Accepted" in text_of(page, "main")
    page = leeds.visit(mine.get_absolute_url())
    leeds.follow("Post an update")
    page.get_by_label("Title").fill("Shared our triage checklist")
    page.get_by_label("What has happened?").fill("Leeds shared the checklist it uses.")
    leeds.submit("Post update")
    assert "Shared our triage checklist" in text_of(page, "#updates ~ div")
    leeds.visit("/pipeline/interest/")
    page = leeds.visit(f"/pipeline/{mine.slug}/edit/")
    assert page.get_by_label("Title").count() == 0  # a partner changes only the agreed fields
    hackney.visit(f"/pipeline/{mine.slug}/edit/")
    hackney.visit(f"/pipeline/{mine.slug}/partners/")
    hackney.visit(f"/pipeline/{mine.slug}/history/")
    hackney.visit("/organisations/HCK/")
    hackney.visit("/pipeline/organisations/HCK/")


def test_sharing_a_problem_works_without_javascript(councils, open_hub):
    no_javascript = open_hub("no-js", javascript=False)
    share_a_problem(no_javascript, councils["owner"])
    rendering = open_hub.no_script_rendering("no-js-axe")
    item = Item.objects.get(title="Our EHC plan assessments are late")
    rendering.visit(item.get_absolute_url())
