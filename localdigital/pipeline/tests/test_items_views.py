import pytest
from bs4 import BeautifulSoup

from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item
from localdigital.pipeline.services import items as services
from localdigital.pipeline.services.updates import status_update_post
from localdigital.pipeline.tests.factories import PartnershipFactory, ServiceAreaFactory

FORM = {
    "kind": "problem",
    "title": "Missed bin collections",
    "summary": "Residents report missed bins by phone; we want an online form that checks rounds.",
    "problem": "Calls **spike** on Mondays.",
    "phase": "discovery",
    "budget_band": "unknown",
    "collaboration_level": "seeking_partners",
    "visibility": "public",
    "tags": "waste, bins",
}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def item(member, council):
    return services.item_create(
        actor=member,
        organisation=council,
        data={k: v for k, v in FORM.items() if k not in ("budget_band",)},
    )


@pytest.fixture
def draft(member, council):
    return services.item_create(
        actor=member, organisation=council, data={**FORM, "title": "Secret", "visibility": "draft"}
    )


def test_a_member_adds_an_item_and_sees_its_page(verified_client, member):
    ServiceAreaFactory(key="waste-and-environment", name="Waste and environment")
    client = verified_client(member)
    response = client.post("/pipeline/new/", {**FORM, "service_area": "waste-and-environment"})
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pipeline/{item.slug}/"
    page = soup(client.get(response["Location"]))
    assert page.h1.text == "Missed bin collections"
    assert "spike" in [strong.text for strong in page.select("main p.govuk-body > strong")]
    assert "Waste and environment" in page.text


def test_a_summary_too_long_shows_the_error_summary_and_writes_nothing(verified_client, member):
    client = verified_client(member)
    response = client.post("/pipeline/new/", {**FORM, "summary": "x" * 281})
    assert response.status_code == 200
    summary = soup(response).select_one(".govuk-error-summary")
    assert "Enter a summary of 280 characters or fewer" in summary.text
    assert summary.select_one("a")["href"] == "#id_summary"
    assert not Item.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_to_add_an_item(client, db):
    response = client.get("/pipeline/new/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_a_draft_is_seen_by_its_organisation_only(
    client, verified_client, draft, member, other_admin, programme_staff
):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert verified_client(other_admin).get(draft.get_absolute_url()).status_code == 404
    assert verified_client(programme_staff).get(draft.get_absolute_url()).status_code == 404
    assert verified_client(member).get(draft.get_absolute_url()).status_code == 200


def test_members_only_items_need_a_signed_in_sector_member(
    client, verified_client, item, member, other_admin
):
    services.item_update(actor=member, item=item, data={"visibility": "members"})
    assert client.get(item.get_absolute_url()).status_code == 404
    assert verified_client(other_admin).get(item.get_absolute_url()).status_code == 200


def test_another_council_cannot_change_an_item_or_post_updates(verified_client, item, other_admin):
    client = verified_client(other_admin)
    assert client.get(f"/pipeline/{item.slug}/edit/").status_code == 404
    assert (
        client.post(f"/pipeline/{item.slug}/edit/", {**FORM, "title": "Hijacked"}).status_code
        == 404
    )
    assert (
        client.post(f"/pipeline/{item.slug}/updates/new/", {"title": "x", "body": "y"}).status_code
        == 404
    )
    assert client.get(f"/pipeline/{item.slug}/partners/").status_code == 404
    item.refresh_from_db()
    assert item.title == "Missed bin collections"


def test_a_collaborator_sees_only_the_agreed_fields_on_the_change_page(verified_client, item):
    partner = OrganisationFactory(code="PRT")
    person = MembershipFactory(organisation=partner).user
    PartnershipFactory(item=item, organisation=partner)
    page = soup(verified_client(person).get(f"/pipeline/{item.slug}/edit/"))
    names = {
        field["name"]
        for field in page.select("form [name]")
        if field["name"] != "csrfmiddlewaretoken"
    }
    assert "summary" in names
    assert "visibility" not in names
    assert "title" not in names


def test_the_owner_changes_an_item_and_the_history_shows_a_word_diff(verified_client, item, member):
    client = verified_client(member)
    data = {**FORM, "problem": "Calls **spike** on Mondays and Tuesdays."}
    response = client.post(f"/pipeline/{item.slug}/edit/", data)
    assert response.status_code == 302
    page = soup(client.get(f"/pipeline/{item.slug}/history/"))
    latest = page.select("dl")[0]
    assert [d.text for d in latest.select("del")] == ["removed: Mondays."]
    assert [i.text for i in latest.select("ins")] == ["added: Mondays and Tuesdays."]
    assert "Version 2" in page.text


def test_posting_an_update_puts_it_on_the_page(verified_client, item, member):
    client = verified_client(member)
    response = client.post(
        f"/pipeline/{item.slug}/updates/new/",
        {"title": "Alpha started", "body": "We built a form.", "phase": "alpha"},
    )
    assert response.status_code == 302
    page = soup(client.get(item.get_absolute_url()))
    update = item.updates.get()
    assert page.select_one(f"#update-{update.pk} h3").text == "Alpha started"


def test_the_item_page_makes_a_constant_number_of_queries(
    client, item, member, django_assert_max_num_queries
):
    for n in range(3):
        status_update_post(actor=member, item=item, title=f"Update {n}", body="Text")
        PartnershipFactory(item=item)
    # 12 for the item, plus 4 for the catalogue's "existing solutions" (the item's links, its
    # stored features, the asset index's version check and the matched assets).
    with django_assert_max_num_queries(16):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_watching_needs_sign_in_and_can_be_stopped(client, verified_client, item, other_admin):
    assert client.post(f"/pipeline/{item.slug}/watch/").status_code == 302
    signed_in = verified_client(other_admin)
    signed_in.post(f"/pipeline/{item.slug}/watch/", {"watch": "start"})
    assert item.watches.filter(user=other_admin).exists()
    signed_in.post(f"/pipeline/{item.slug}/watch/", {"watch": "stop"})
    assert not item.watches.exists()


def test_the_owner_adds_a_partner_by_code(verified_client, item, member, other_council):
    client = verified_client(member)
    client.post(
        f"/pipeline/{item.slug}/partners/", {"add": "1", "add-organisation": other_council.code}
    )
    assert list(item.partners.all()) == [other_council]
