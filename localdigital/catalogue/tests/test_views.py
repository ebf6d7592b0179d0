"""Catalogue pages: find with search, filters and sorting; the asset page; who may change what;
exports; "existing solutions" on Pipeline items; constant query counts."""

import json

from bs4 import BeautifulSoup

from localdigital.catalogue.models import Asset
from localdigital.catalogue.services.adoption import adoption_record
from localdigital.catalogue.services.assets import asset_create
from localdigital.catalogue.tests.conftest import ASSET_DATA
from localdigital.organisations.tests.factories import OrganisationFactory


def make_assets(member, council, n: int, *, start: int = 0) -> list[Asset]:
    return [
        asset_create(
            actor=member,
            data={
                **ASSET_DATA,
                "name": f"Housing repairs reporting tool {i}",
                "summary": "Tenants report repairs online with photos.",
                "repository_url": f"https://github.com/example/repairs-{i}",
                "owners": [council],
            },
        )
        for i in range(start, start + n)
    ]


def names(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("#results h3 a")]


def test_search_ranks_by_relevance_and_understands_council_vocabulary(client, member, council):
    make_assets(member, council, 2)
    asset_create(
        actor=member,
        data={**ASSET_DATA, "name": "Planning portal", "summary": "Submit planning applications.",
              "repository_url": "https://github.com/example/planning", "owners": [council]},
    )  # fmt: skip
    response = client.get("/catalogue/", {"q": "development management"})
    assert names(response) == ["Planning portal"]
    response = client.get("/catalogue/", {"q": "responsive repairs for tenants"})
    assert set(names(response)) == {"Housing repairs reporting tool 0",
                                     "Housing repairs reporting tool 1"}  # fmt: skip


def test_filters_narrow_the_list_and_a_wrong_value_is_reported_not_fatal(client, asset):
    assert names(client.get("/catalogue/", {"kind": "open_source"})) == [asset.name]
    assert names(client.get("/catalogue/", {"kind": "dataset"})) == []
    assert names(client.get("/catalogue/", {"licence": "MIT", "status": "beta"})) == [asset.name]
    assert names(client.get("/catalogue/", {"tier": "none"})) == [asset.name]
    assert names(client.get("/catalogue/", {"tier": "assured"})) == []
    response = client.get("/catalogue/", {"kind": "spaceship"})
    assert response.status_code == 200
    assert "Choose a kind of solution from the list" in response.content.decode()


def test_used_by_councils_like_mine_finds_what_same_type_councils_use(
    verified_client, asset, member, council, db
):
    council.la_type = "LBO"
    council.save()
    like = OrganisationFactory(code="ISL", short_name="Islington", la_type="LBO")
    unlike = OrganisationFactory(code="XYZ", short_name="Elsewhere", la_type="NMD", region="")
    other = asset_create(
        actor=None,
        data={**ASSET_DATA, "name": "Other tool", "repository_url": "", "owners": [unlike]},
    )
    adoption_record(actor=None, asset=asset, organisation=like, status="using")
    adoption_record(actor=None, asset=other, organisation=unlike, status="using")
    client = verified_client(member)
    assert names(client.get("/catalogue/", {"like_mine": "true"})) == [asset.name]


def test_sorting_by_adopters_puts_the_most_used_first(client, member, council):
    first, second = make_assets(member, council, 2)
    for code in ("AAA", "BBB"):
        adoption_record(
            actor=None, asset=second, organisation=OrganisationFactory(code=code), status="using"
        )
    assert names(client.get("/catalogue/", {"sort": "adopters"}))[0] == second.name


def test_the_list_makes_the_same_number_of_queries_for_few_or_many_assets(
    client, member, council, django_assert_num_queries
):
    make_assets(member, council, 2)
    params = {"q": "repairs", "kind": "open_source", "status": "beta", "sort": "adopters"}
    client.get("/catalogue/", params)  # builds the asset index
    # Filter choices (2), the index's version check, the ranked ids, the page's assets, and
    # the request's savepoint and release.
    with django_assert_num_queries(7):
        client.get("/catalogue/", params)
    make_assets(member, council, 25, start=2)
    client.get("/catalogue/", params)
    with django_assert_num_queries(7):
        response = client.get("/catalogue/", params)
    assert len(names(response)) == 20


def test_the_asset_page_makes_the_same_number_of_queries_however_many_adopters(
    client, asset, django_assert_num_queries
):
    client.get(asset.get_absolute_url())
    # The asset with its origin, owners, areas, tags, adoptions, profiles, item links, its
    # features, the index's version check, and the request's savepoint and release.
    with django_assert_num_queries(11):
        client.get(asset.get_absolute_url())
    for n in range(6):
        adoption_record(
            actor=None, asset=asset, organisation=OrganisationFactory(code=f"A{n}"), status="using"
        )
    client.get(asset.get_absolute_url())
    with django_assert_num_queries(11):
        client.get(asset.get_absolute_url())


def test_only_owners_may_open_the_change_page(client, verified_client, asset, member, other_admin):
    url = f"/catalogue/{asset.slug}/edit/"
    assert client.get(url).status_code == 302
    assert verified_client(other_admin).get(url).status_code == 404
    assert verified_client(member).get(url).status_code == 200


def test_another_council_cannot_change_or_verify_an_asset_by_posting(
    verified_client, asset, other_admin
):
    client = verified_client(other_admin)
    response = client.post(f"/catalogue/{asset.slug}/edit/", {**ASSET_DATA, "name": "Hijacked"})
    assert response.status_code == 404
    assert client.post(f"/catalogue/{asset.slug}/verify/").status_code == 404
    asset.refresh_from_db()
    assert asset.name == ASSET_DATA["name"]


def test_an_owner_changes_an_asset_through_the_form_and_sees_errors_in_plain_english(
    verified_client, asset, member, council
):
    client = verified_client(member)
    form = {
        "name": asset.name, "kind": "open_source", "summary": "x" * 281,
        "owners": [council.code], "development_status": "beta", "maintenance": "internal",
        "maintainers": "Digital team, digital@hackney.example", "licence": "MIT",
    }  # fmt: skip
    response = client.post(f"/catalogue/{asset.slug}/edit/", form)
    assert "Enter a summary of 280 characters or fewer" in response.content.decode()
    form["summary"] = "Shorter summary."
    assert client.post(f"/catalogue/{asset.slug}/edit/", form).status_code == 302
    asset.refresh_from_db()
    assert asset.summary == "Shorter summary."


def test_exports_carry_the_filters_of_the_list(client, asset):
    response = client.get("/catalogue/export.json", {"kind": "open_source"})
    body = json.loads(response.content)
    assert body["count"] == 1
    assert body["assets"][0]["slug"] == asset.slug
    assert (
        json.loads(client.get("/catalogue/export.json", {"kind": "dataset"}).content)["count"] == 0
    )
    csv_text = client.get("/catalogue/export.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("slug,name,kind")


def test_a_pipeline_item_shows_existing_solutions_matched_and_linked(
    client, verified_client, asset, member, council
):
    from localdigital.pipeline.services.items import item_create

    item = item_create(
        actor=member,
        organisation=council,
        data={
            "kind": "problem",
            "title": "Residents ask when their bins are collected",
            "summary": "Calls about bin collection days swamp the contact centre.",
            "visibility": "public",
        },  # fmt: skip
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Existing solutions" in page
    assert asset.name in page
    signed_in = verified_client(member)
    response = signed_in.post(
        f"/catalogue/{asset.slug}/items/", {"item": item.slug, "relation": "reuses"}
    )
    assert response.status_code == 302
    assert item.asset_links.get().asset == asset
    asset_page = client.get(asset.get_absolute_url()).content.decode()
    assert item.title in asset_page


def test_a_council_page_lists_the_solutions_it_owns_and_uses(client, asset, council):
    page = client.get(council.get_absolute_url()).content.decode()
    assert "Solutions in the catalogue" in page
    assert asset.name in page


def test_the_form_links_an_asset_to_the_public_pipeline_item_it_came_from(
    verified_client, asset, member, council
):
    from localdigital.pipeline.tests.factories import ItemFactory

    item = ItemFactory(organisation=council, slug="bin-days-discovery")
    draft = ItemFactory(organisation=council, slug="secret-draft", visibility="draft")
    client = verified_client(member)
    form = {
        "name": asset.name, "kind": "open_source", "summary": asset.summary,
        "owners": [council.code], "development_status": "beta", "maintenance": "internal",
        "maintainers": "Digital team, digital@hackney.example", "licence": "MIT",
        "origin": f"https://hub.example/pipeline/{draft.slug}/",
    }  # fmt: skip
    response = client.post(f"/catalogue/{asset.slug}/edit/", form)
    assert "Enter the address of a public Pipeline item" in response.content.decode()
    form["origin"] = f"https://hub.example/pipeline/{item.slug}/"
    assert client.post(f"/catalogue/{asset.slug}/edit/", form).status_code == 302
    asset.refresh_from_db()
    assert asset.origin == item
