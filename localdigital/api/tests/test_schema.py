import json

from bs4 import BeautifulSoup

from localdigital.api.schema import committed_schema_path, render_schema


def test_committed_openapi_document_matches_the_code():
    committed = committed_schema_path().read_text()
    assert committed == render_schema(), (
        "The API changed: run `python manage.py export_openapi` and commit docs/api/openapi.json"
    )


def test_schema_endpoint_serves_openapi_3(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Local Digital Hub API"


def test_docs_page_lists_every_operation_in_the_schema(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h1").text.strip() == "Local Digital Hub API"
    paths = json.loads(render_schema())["paths"]
    listed = {code.text.strip() for code in soup.select("main h3 code")}
    assert listed == set(paths)
