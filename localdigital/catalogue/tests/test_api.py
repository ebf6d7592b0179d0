"""The catalogue API: public reads, writes with a token and the pages' permissions."""

import pytest

from localdigital.catalogue.models import Adoption, Asset
from localdigital.catalogue.tests.conftest import ASSET_DATA
from localdigital.pipeline.tests.test_api import auth


def test_anyone_lists_and_reads_assets_with_filters(client, asset):
    body = client.get("/api/v1/catalogue/assets/", {"kind": "open_source"}).json()
    assert [a["slug"] for a in body["results"]] == [asset.slug]
    assert client.get("/api/v1/catalogue/assets/", {"kind": "dataset"}).json()["count"] == 0
    detail = client.get(f"/api/v1/catalogue/assets/{asset.slug}/").json()
    assert detail["owners"] == ["HCK"]
    assert detail["publiccode_url"].endswith(f"/catalogue/{asset.slug}/publiccode.yml")


def test_a_member_creates_an_asset_with_a_token_and_bad_input_gets_field_errors(
    client, member, council
):
    data = {**ASSET_DATA, "owners": [council.code], "summary": "x" * 281}
    response = client.post(
        "/api/v1/catalogue/assets/", data, content_type="application/json", **auth(member)
    )
    assert response.status_code == 400
    assert response.json() == {"summary": ["Enter a summary of 280 characters or fewer"]}
    data["summary"] = "Short."
    response = client.post(
        "/api/v1/catalogue/assets/", data, content_type="application/json", **auth(member)
    )
    assert response.status_code == 201
    assert Asset.objects.get().summary == "Short."


def test_writes_need_a_token_and_an_owner(client, asset, other_admin):
    url = f"/api/v1/catalogue/assets/{asset.slug}/"
    assert client.patch(url, {"summary": "x"}, content_type="application/json").status_code in (
        401,
        403,
    )
    response = client.patch(
        url, {"summary": "Hijacked"}, content_type="application/json", **auth(other_admin)
    )
    assert response.status_code == 404
    asset.refresh_from_db()
    assert asset.summary == ASSET_DATA["summary"]


@pytest.mark.usefixtures("tcop")
def test_adoption_is_recorded_for_your_own_organisation_only(
    client, asset, other_admin, other_council, council
):
    url = f"/api/v1/catalogue/assets/{asset.slug}/adoption/"
    refused = client.post(
        url,
        {"organisation": council.code, "status": "using"},
        content_type="application/json",
        **auth(other_admin),
    )
    assert refused.status_code == 400
    made = client.post(
        url,
        {"organisation": other_council.code, "status": "using", "annual_saving": 3000},
        content_type="application/json",
        **auth(other_admin),
    )
    assert made.status_code == 201
    assert made.json()["current"] is True
    assert Adoption.objects.get().organisation == other_council
    listed = client.get(url).json()
    assert [row["organisation"] for row in listed["results"]] == [other_council.code]
    assert client.get(f"/api/v1/catalogue/assets/{asset.slug}/tcop/").json()["count"] == 0


def test_a_profile_is_declared_reviewed_and_assured_through_the_api(
    client, tcop, asset, member, org_admin, other_admin, programme_staff
):
    points = [str(n) for n in range(1, 14)]
    claims = [{"point": p, "claim": "meets", "evidence": f"Shown in report {p}"} for p in points]
    claims[4]["evidence"] = ""
    url = f"/api/v1/catalogue/assets/{asset.slug}/tcop/declare/"
    bad = client.post(url, {"claims": claims}, content_type="application/json", **auth(member))
    assert bad.status_code == 400
    assert "Give evidence for point 5" in str(bad.json())
    assert not asset.tcop_profiles.exclude(state="draft").exists()
    claims[4]["evidence"] = "Shown in report 5"
    made = client.post(url, {"claims": claims}, content_type="application/json", **auth(member))
    assert made.status_code == 201
    profile = made.json()
    assert profile["state"] == "declared"
    reviews = {"reviews": [{"point": p, "review": "confirmed"} for p in points]}
    review_url = f"/api/v1/catalogue/assets/{asset.slug}/tcop/{profile['id']}/review/"
    own = client.post(review_url, reviews, content_type="application/json", **auth(org_admin))
    assert own.status_code == 404
    done = client.post(review_url, reviews, content_type="application/json", **auth(other_admin))
    assert done.json()["reviewer_organisation"] == "CAM"
    assure_url = f"/api/v1/catalogue/assets/{asset.slug}/tcop/{profile['id']}/assure/"
    refused = client.post(assure_url, {}, content_type="application/json", **auth(other_admin))
    assert refused.status_code == 404
    assured = client.post(assure_url, {}, content_type="application/json", **auth(programme_staff))
    assert assured.json()["state"] == "assured"
    asset.refresh_from_db()
    assert asset.tcop_accredited
