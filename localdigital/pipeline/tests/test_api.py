import pytest

from localdigital.accounts import services as account_services
from localdigital.organisations.tests.factories import MembershipFactory
from localdigital.pipeline.models import Interest, Item
from localdigital.pipeline.services.items import item_create

DATA = {"kind": "problem", "title": "Missed bins", "summary": "Residents report missed bins."}


def auth(user):
    _, raw = account_services.api_token_create(actor=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def items(member, council):
    public = item_create(actor=member, organisation=council, data={**DATA, "visibility": "public"})
    members = item_create(
        actor=member,
        organisation=council,
        data={**DATA, "title": "Members", "visibility": "members"},
    )
    draft = item_create(
        actor=member, organisation=council, data={**DATA, "title": "Draft", "visibility": "draft"}
    )
    return public, members, draft


def slugs(response):
    return {row["slug"] for row in response.json()["results"]}


def test_visitors_see_public_items_members_see_more_and_drafts_stay_with_their_owner(
    client, items, member, other_admin
):
    public, members, draft = items
    assert slugs(client.get("/api/v1/pipeline/items/")) == {public.slug}
    assert slugs(client.get("/api/v1/pipeline/items/", **auth(other_admin))) == {
        public.slug,
        members.slug,
    }
    assert draft.slug in slugs(client.get("/api/v1/pipeline/items/", **auth(member)))
    assert (
        client.get(f"/api/v1/pipeline/items/{draft.slug}/", **auth(other_admin)).status_code == 404
    )


def test_the_list_filters_by_kind_and_text(client, items):
    assert slugs(client.get("/api/v1/pipeline/items/", {"kind": "idea"})) == set()
    assert slugs(client.get("/api/v1/pipeline/items/", {"q": "bins"})) == {items[0].slug}


def test_writes_need_a_token_and_the_same_permissions_as_the_pages(client, items, other_admin):
    public = items[0]
    assert client.post("/api/v1/pipeline/items/", {}).status_code in (401, 403)
    response = client.patch(
        f"/api/v1/pipeline/items/{public.slug}/",
        {"phase": "alpha"},
        content_type="application/json",
        **auth(other_admin),
    )
    assert response.status_code == 404
    assert Item.objects.get(pk=public.pk).phase == "concept"


def test_a_member_creates_an_item_and_gets_clear_errors(client, member, council):
    response = client.post(
        "/api/v1/pipeline/items/",
        {**DATA, "organisation": council.code, "summary": "x" * 281},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 400
    assert response.json() == {"summary": ["Enter a summary of 280 characters or fewer"]}
    response = client.post(
        "/api/v1/pipeline/items/",
        {**DATA, "organisation": council.code, "tags": ["waste"]},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 201
    assert response.json()["tags"] == ["waste"]


def test_interest_and_its_answers_through_the_api(
    client, items, member, other_admin, other_council
):
    public = items[0]
    response = client.post(
        "/api/v1/pipeline/interests/",
        {"item": public.slug, "organisation": other_council.code, "kind": "reuse", "message": "Hi"},
        content_type="application/json",
        **auth(other_admin),
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    # The interested side cannot accept its own interest; a third council cannot see it.
    assert (
        client.post(f"/api/v1/pipeline/interests/{pk}/accept/", **auth(other_admin)).status_code
        == 404
    )
    stranger = MembershipFactory().user
    assert client.get(f"/api/v1/pipeline/interests/{pk}/", **auth(stranger)).status_code == 404
    response = client.post(
        f"/api/v1/pipeline/interests/{pk}/decline/",
        {},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 400
    response = client.post(f"/api/v1/pipeline/interests/{pk}/accept/", **auth(member))
    assert response.json()["status"] == "accepted"
    listed = client.get("/api/v1/pipeline/interests/", {"direction": "sent"}, **auth(other_admin))
    assert [row["status"] for row in listed.json()["results"]] == ["accepted"]
    assert Interest.objects.get().status == "accepted"


def test_posting_an_update_through_the_api(client, items, member):
    public = items[0]
    response = client.post(
        f"/api/v1/pipeline/items/{public.slug}/updates/",
        {"title": "Alpha done", "body": "We tested it."},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/pipeline/items/{public.slug}/updates/").json()["count"] == 1
