"""The organisations API: list with search and filters, detail by code, read-only and public."""

import pytest

from localdigital.organisations.tests.factories import OrganisationFactory


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_the_list_is_public_paginated_and_current_by_default(client, councils):
    response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 397
    assert len(body["results"]) == 50
    assert body["next"].endswith("page=2")
    first = body["results"][0]
    assert set(first) >= {"code", "url", "web_url", "name", "gss_code", "kind", "is_current"}


def test_the_list_searches_names_and_codes_best_match_first(client, councils):
    assert codes(client.get("/api/v1/organisations/?q=hackney"))[0] == "HCK"
    assert codes(client.get("/api/v1/organisations/?q=E09000012")) == ["HCK"]
    assert codes(client.get("/api/v1/organisations/?q=york"))[0] == "YOR"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("status=former", 73),
        ("status=all", 470),
        ("nation=Wales", 22),
        ("nation=Wales&nation=Scotland", 54),
        ("region=London&type=LBO", 32),
        ("type=LBO,MD", 68),
        ("kind=combined_authority", 14),
    ],
)
def test_the_list_filters_like_the_directory(client, councils, query, count):
    response = client.get(f"/api/v1/organisations/?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_an_invalid_filter_value_is_a_bad_request(client, councils):
    response = client.get("/api/v1/organisations/?status=sideways")

    assert response.status_code == 400
    assert "status" in response.json()


def test_the_list_makes_the_same_number_of_queries_for_any_page_size(
    client, db, django_assert_num_queries
):
    OrganisationFactory.create_batch(5)
    # Count and page, plus the savepoint and release of the request's atomic block.
    with django_assert_num_queries(4):
        client.get("/api/v1/organisations/")
    OrganisationFactory.create_batch(60)
    with django_assert_num_queries(4):
        client.get("/api/v1/organisations/?page_size=200")


def test_the_detail_gives_codes_facts_and_relations_as_codes(client, councils):
    response = client.get("/api/v1/organisations/CMA/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Cumbria County Council"
    assert body["is_current"] is False
    assert body["end_date"] == "2023-04-01"
    assert sorted(body["successors"]) == ["CBD", "WAF"]
    assert "ALL" in body["districts"]
    assert body["county"] is None


def test_the_detail_of_a_district_names_its_county_and_combined_authority(client, councils):
    body = client.get("/api/v1/organisations/MAN/").json()

    assert body["combined_authority"] == "GMCA"
    assert body["gss_code"] == "E08000003"
    assert isinstance(body["latitude"], float)
    assert body["gov_uk_url"] == "https://www.gov.uk/find-local-council/manchester"


def test_the_detail_is_found_by_code_in_any_case_or_by_gss_code(client, councils):
    assert client.get("/api/v1/organisations/hck/").json()["code"] == "HCK"
    assert client.get("/api/v1/organisations/E09000012/").json()["code"] == "HCK"
    assert client.get("/api/v1/organisations/ZZZZ/").status_code == 404


def test_the_detail_makes_a_fixed_number_of_queries(client, councils, django_assert_num_queries):
    for code in ("ADU", "KEN", "GMCA"):
        with django_assert_num_queries(7):
            client.get(f"/api/v1/organisations/{code}/")


def test_the_api_is_read_only(client, db, programme_staff):
    client.force_login(programme_staff)
    OrganisationFactory(code="HCK")

    assert client.post("/api/v1/organisations/", {"code": "NEW"}).status_code in (403, 405)
    assert client.delete("/api/v1/organisations/HCK/").status_code in (403, 405)


def test_the_schema_documents_the_search_and_filters(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert parameters >= {"q", "status", "nation", "region", "type", "kind", "page"}
    detail = schema["paths"]["/api/v1/organisations/{code}/"]["get"]
    assert detail["summary"] == "Get one organisation"
