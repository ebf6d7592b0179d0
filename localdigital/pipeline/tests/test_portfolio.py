import csv
import datetime as dt
import io

from bs4 import BeautifulSoup
from django.utils import timezone

from localdigital.pipeline.exports import COLUMNS
from localdigital.pipeline.tests.factories import ItemFactory, PartnershipFactory


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_council_page_lists_its_items_by_phase_with_stale_and_partner_work(
    client, council, other_council
):
    ItemFactory(organisation=council, title="Bins alpha", phase="alpha")
    ItemFactory(
        organisation=council,
        title="Old idea",
        phase="concept",
        review_by=timezone.localdate() - dt.timedelta(days=3),
    )
    ItemFactory(
        organisation=council,
        title="Assessed soon",
        phase="beta",
        next_assessment_date=timezone.localdate() + dt.timedelta(days=20),
    )
    theirs = ItemFactory(organisation=other_council, title="Their project")
    PartnershipFactory(item=theirs, organisation=council)
    section = soup(client.get(council.get_absolute_url())).select_one("#pipeline")
    text = section.text
    assert "Alpha (1)" in text
    assert "Old idea: not reviewed since" in text
    assert "Service assessments coming up" in text
    assert "Their project, led by" in text


def test_drafts_and_members_only_items_stay_hidden_from_visitors(
    client, verified_client, council, member
):
    ItemFactory(organisation=council, title="Secret draft", visibility="draft")
    ItemFactory(organisation=council, title="Members item", visibility="members")
    ItemFactory(organisation=council, title="Public item")
    page = client.get(f"/pipeline/organisations/{council.code}/").content.decode()
    assert "Public item" in page
    assert "Members item" not in page
    assert "Secret draft" not in page
    own = verified_client(member).get(f"/pipeline/organisations/{council.code}/").content.decode()
    assert "Secret draft" in own


def test_the_portfolio_downloads_as_csv_in_the_import_format_without_drafts(client, council):
    ItemFactory(organisation=council, title="=HYPERLINK evil", phase="beta")
    ItemFactory(organisation=council, title="Draft", visibility="draft")
    response = client.get(f"/pipeline/organisations/{council.code}/items.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    assert [r["title"] for r in rows] == ["'=HYPERLINK evil"]
    assert rows[0]["organisation"] == council.code


def test_the_portfolio_downloads_as_json(client, council):
    ItemFactory(organisation=council, title="Public item")
    document = client.get(f"/pipeline/organisations/{council.code}/items.json").json()
    assert document["count"] == 1
    assert document["items"][0]["title"] == "Public item"


def test_the_portfolio_page_makes_a_constant_number_of_queries(
    client, council, django_assert_max_num_queries
):
    for n in range(6):
        ItemFactory(organisation=council, title=f"Item {n}", phase=["alpha", "beta"][n % 2])
    with django_assert_max_num_queries(10):
        assert client.get(f"/pipeline/organisations/{council.code}/").status_code == 200
