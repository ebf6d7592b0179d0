import datetime as dt

import pytest

from localdigital.declaration.models import CommitmentPartner, Signing
from localdigital.declaration.tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    SigningFactory,
)
from localdigital.organisations.tests.factories import OrganisationFactory

SIGNATORIES = "/api/v1/signatories/"
COMMITMENTS = "/api/v1/commitments/"


@pytest.fixture
def signatories(db):
    essex = OrganisationFactory(
        code="ESS", short_name="Essex", name="Essex County Council", region="East of England"
    )
    SigningFactory(organisation=essex, signed_on=dt.date(2018, 7, 4), statement="Proud to sign.")
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    SigningFactory(
        organisation=hackney,
        method=Signing.Method.IMPORTED,
        signed_on=None,
        signed_on_precision=Signing.DatePrecision.UNKNOWN,
        evidence="Fund partner",
        source_url="https://example.org/fund",
    )
    allerdale = OrganisationFactory(code="ALL", short_name="Allerdale", is_current=False)
    SigningFactory(organisation=allerdale)
    kent = OrganisationFactory(code="KEN", short_name="Kent")
    return {"essex": essex, "hackney": hackney, "allerdale": allerdale, "kent": kent}


def codes(response):
    assert response.status_code == 200
    return [record["code"] for record in response.json()["results"]]


def test_anyone_can_list_the_current_signatories(client, signatories):
    response = client.get(SIGNATORIES)

    assert codes(response) == ["ESS", "HCK"]
    assert response.json()["count"] == 2


def test_a_signatory_record_has_its_signing_and_public_names(client, signatories):
    essex, hackney = client.get(SIGNATORIES).json()["results"]

    assert essex["signed_on"] == "2018-07-04"
    assert essex["signed_on_precision"] == "day"
    assert essex["method"] == "online"
    assert essex["senior_officer_name"] == "Sam Patel"
    assert essex["political_lead_role"] == "Leader of the Council"
    assert essex["statement"] == "Proud to sign."
    assert essex["url"] == "http://testserver/api/v1/signatories/ESS/"
    assert essex["organisation_url"] == "http://testserver/api/v1/organisations/ESS/"
    assert essex["hub_url"] == "http://testserver/organisations/ESS/"
    assert hackney["signed_on"] is None
    assert hackney["method"] == "imported"
    assert hackney["evidence"] == "Fund partner"
    assert hackney["source"] == "https://example.org/fund"
    # Nobody's account is exposed: only the endorsers named in the signing.
    assert "signed_by" not in essex


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "essex"}, ["ESS"]),
        ({"region": "East of England"}, ["ESS"]),
        ({"year": "2018"}, ["ESS"]),
        ({"year": "unknown"}, ["HCK"]),
        ({"former": "true"}, ["ALL", "ESS", "HCK"]),
        ({"nation": "Wales"}, []),
    ],
)
def test_the_signatories_api_takes_the_registers_filters(client, signatories, params, expected):
    assert codes(client.get(SIGNATORIES, params)) == expected


def test_one_signatory_by_code_including_a_former_council(client, signatories):
    response = client.get(f"{SIGNATORIES}ALL/")

    assert response.status_code == 200
    assert response.json()["code"] == "ALL"
    assert response.json()["is_current"] is False


def test_an_organisation_that_has_not_signed_is_not_a_signatory(client, signatories):
    assert client.get(f"{SIGNATORIES}KEN/").status_code == 404
    assert client.get(f"{SIGNATORIES}NOPE/").status_code == 404


def test_the_signatories_api_is_read_only(client, signatories):
    assert client.post(SIGNATORIES, {}).status_code in {401, 403, 405}


def test_listing_signatories_makes_a_fixed_number_of_queries(
    client, signatories, django_assert_num_queries
):
    for _ in range(10):
        SigningFactory(organisation=OrganisationFactory())
    # The request's savepoint and release (2), the count and the page (2).
    with django_assert_num_queries(4):
        client.get(SIGNATORIES)


# Commitments


@pytest.fixture
def commitment(signatories, principles):
    record = CommitmentFactory(organisation=signatories["essex"], title="Open bookings", year=2025)
    record.principles.set(principles[:2])
    CommitmentPartnerFactory(
        commitment=record,
        organisation=signatories["hackney"],
        status=CommitmentPartner.Status.CONFIRMED,
    )
    CommitmentPartnerFactory(commitment=record, organisation=signatories["kent"])
    CommitmentPartnerFactory(
        commitment=record,
        organisation=signatories["allerdale"],
        status=CommitmentPartner.Status.DECLINED,
    )
    return record


def test_a_commitment_shows_its_public_fields_only(client, commitment):
    response = client.get(f"{COMMITMENTS}{commitment.pk}/")

    assert response.status_code == 200
    record = response.json()
    assert record["organisation"] == "ESS"
    assert record["title"] == "Open bookings"
    assert record["mission"] == commitment.mission
    assert record["principles"] == ["user-needs", "fix-plumbing"]
    assert record["partners"] == [
        {"code": "HCK", "name": "Hackney Council", "status": "confirmed"},
        {
            "code": "KEN",
            "name": commitment.partners.get(organisation__code="KEN").organisation.name,
            "status": "awaiting",
        },
    ]
    assert record["progress"] == ""
    assert record["hub_url"] == f"http://testserver/declaration/commitments/{commitment.pk}/"
    for private in ("created_by", "last_reminder_sent_at", "progress_reported_by"):
        assert private not in record


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"organisation": "ESS"}, True),
        ({"organisation": "HCK"}, False),
        ({"year": 2025}, True),
        ({"year": 2024}, False),
        ({"principle": "user-needs"}, True),
        ({"principle": "leadership"}, False),
    ],
)
def test_commitments_can_be_filtered(client, commitment, params, found):
    results = client.get(COMMITMENTS, params).json()["results"]

    assert [r["id"] for r in results] == ([commitment.pk] if found else [])


def test_listing_commitments_makes_a_fixed_number_of_queries(
    client, commitment, django_assert_num_queries
):
    for _ in range(5):
        extra = CommitmentFactory(organisation=commitment.organisation)
        CommitmentPartnerFactory(commitment=extra, organisation=OrganisationFactory())
    # Savepoint and release (2), count, page, partners, principles (4).
    with django_assert_num_queries(6):
        client.get(COMMITMENTS)
