"""Pathways off legacy: recording a move (rules, access) and where councils went (aggregation)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.catalogue.models import Asset
from localdigital.core.exceptions import ApplicationError
from localdigital.core.sections import sections_for
from localdigital.estate.models import PATHWAY_DATES, PATHWAY_DESTINATION, Pathway, SharingSetting
from localdigital.estate.selectors.pathways import pathways_from
from localdigital.estate.services.pathways import (
    ITEM_NOT_VISIBLE,
    NOT_A_MEMBER,
    SAME_PRODUCT,
    pathway_create,
    pathway_update,
)
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item


@pytest.fixture
def other_member(other_council):
    return MembershipFactory(organisation=other_council, role=Membership.Role.MEMBER).user


@pytest.fixture
def legacy(make_product):
    return make_product("Old Revs")


@pytest.fixture
def modern(make_product):
    return make_product("New Revs")


@pytest.fixture
def asset(db):
    return Asset.objects.create(
        slug="open-revs", name="Open Revs", summary="Open source revenues", kind="open_source"
    )


def make_item(organisation, slug, visibility="public"):
    return Item.objects.create(
        slug=slug,
        title=f"Move {slug}",
        summary="A move",
        organisation=organisation,
        visibility=visibility,
        last_activity_at="2026-01-01T00:00:00Z",
        last_reviewed_at="2026-01-01T00:00:00Z",
        review_by="2027-01-01",
    )


def move(organisation, functions, legacy, **extra):
    data = {"function": functions["revenues-and-benefits"], "from_product": legacy}
    data.update(extra)
    return pathway_create(actor=None, organisation=organisation, data=data)


# Rules


def test_a_member_records_a_move_and_it_is_audited(member, council, functions, legacy, modern):
    pathway = pathway_create(
        actor=member,
        organisation=council,
        data={
            "function": functions["revenues-and-benefits"],
            "from_product": legacy,
            "to_product": modern,
            "status": "in_progress",
            "started_on": dt.date(2025, 4, 1),
            "cost_band": "50k_100k",
            "lessons": "Clean the data first.",
        },
    )
    assert pathway.created_by == member
    assert AuditEvent.objects.filter(action="estate.pathway_create").exists()


def test_a_destination_is_required(member, council, functions, legacy):
    with pytest.raises(ApplicationError, match=PATHWAY_DESTINATION) as error:
        move(council, functions, legacy)
    assert error.value.field == "to_product"
    assert not Pathway.objects.exists()


def test_finishing_before_starting_is_rejected(council, functions, legacy, modern):
    with pytest.raises(ApplicationError, match=PATHWAY_DATES):
        move(
            council,
            functions,
            legacy,
            to_product=modern,
            started_on=dt.date(2025, 4, 1),
            finished_on=dt.date(2025, 3, 31),
        )
    assert not Pathway.objects.exists()


def test_moving_to_the_same_product_is_rejected(council, functions, legacy):
    with pytest.raises(ApplicationError, match=SAME_PRODUCT):
        move(council, functions, legacy, to_product=legacy)


def test_the_pipeline_item_must_be_one_the_person_can_see(
    member, council, other_council, functions, legacy, asset
):
    draft = make_item(other_council, "their-draft", visibility="draft")
    with pytest.raises(ApplicationError, match=ITEM_NOT_VISIBLE):
        pathway_create(
            actor=member,
            organisation=council,
            data={
                "function": functions["revenues-and-benefits"],
                "to_asset": asset,
                "pipeline_item": draft,
            },
        )
    own_draft = make_item(council, "our-draft", visibility="draft")
    pathway = pathway_create(
        actor=member,
        organisation=council,
        data={
            "function": functions["revenues-and-benefits"],
            "to_asset": asset,
            "pipeline_item": own_draft,
        },
    )
    assert pathway.pipeline_item == own_draft


def test_another_councils_member_cannot_record_or_change_a_move(
    other_member, council, functions, legacy, modern
):
    with pytest.raises(ApplicationError, match=NOT_A_MEMBER):
        pathway_create(
            actor=other_member,
            organisation=council,
            data={"function": functions["waste"], "to_product": modern},
        )
    pathway = move(council, functions, legacy, to_product=modern)
    with pytest.raises(ApplicationError, match=NOT_A_MEMBER):
        pathway_update(actor=other_member, pathway=pathway, data={"status": "done"})


def test_a_failed_change_leaves_the_record_as_it_was(member, council, functions, legacy, modern):
    pathway = move(council, functions, legacy, to_product=modern, started_on=dt.date(2025, 1, 1))
    with pytest.raises(ApplicationError):
        pathway_update(
            actor=member,
            pathway=pathway,
            data={"status": "done", "finished_on": dt.date(2024, 1, 1)},
        )
    pathway.refresh_from_db()
    assert pathway.status == "planned"
    assert pathway.finished_on is None


# Pages


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("member", 200), ("other_member", 404), ("programme_staff", 404), ("no_council", 404)],
)
def test_who_may_open_the_pathway_pages(
    request, verified_client, council, functions, legacy, modern, viewer, status
):
    if viewer == "no_council":
        from localdigital.accounts.tests.factories import UserFactory

        user = UserFactory()
    else:
        user = request.getfixturevalue(viewer)
    pathway = move(council, functions, legacy, to_product=modern)
    client = verified_client(user)
    assert (
        client.get(reverse("estate:pathway_add", kwargs={"code": council.code})).status_code
        == status
    )
    assert (
        client.get(reverse("estate:pathway_edit", kwargs={"pk": pathway.pk})).status_code == status
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, council, functions, legacy, modern):
    pathway = move(council, functions, legacy, to_product=modern)
    assert (
        client.get(reverse("estate:pathway_add", kwargs={"code": council.code})).status_code == 302
    )
    assert client.get(reverse("estate:pathway_edit", kwargs={"pk": pathway.pk})).status_code == 302


def test_a_member_records_a_move_to_an_asset_by_its_address(
    verified_client, member, council, functions, legacy, asset
):
    item = make_item(council, "our-move")
    response = verified_client(member).post(
        reverse("estate:pathway_add", kwargs={"code": council.code}),
        {
            "function": "revenues-and-benefits",
            "from_product": legacy.slug,
            "to_asset_slug": "https://hub.example/catalogue/open-revs/",
            "status": "done",
            "started_on-day": "1",
            "started_on-month": "4",
            "started_on-year": "2025",
            "finished_on-day": "1",
            "finished_on-month": "10",
            "finished_on-year": "2025",
            "lessons": "Run both systems for a month.",
            "pipeline_item": item.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    pathway = Pathway.objects.get()
    assert pathway.to_asset == asset
    assert pathway.pipeline_item == item
    assert pathway.finished_on == dt.date(2025, 10, 1)


def test_the_form_shows_a_missing_destination_in_the_error_summary(
    verified_client, member, council, functions, legacy
):
    response = verified_client(member).post(
        reverse("estate:pathway_add", kwargs={"code": council.code}),
        {"function": "revenues-and-benefits", "from_product": legacy.slug, "status": "planned"},
    )
    assert response.status_code == 200
    assert PATHWAY_DESTINATION in response.text
    assert "govuk-error-summary" in response.text
    assert not Pathway.objects.exists()


def test_an_unknown_asset_address_is_an_error(verified_client, member, council, functions):
    response = verified_client(member).post(
        reverse("estate:pathway_add", kwargs={"code": council.code}),
        {"function": "waste", "to_asset_slug": "no-such-asset", "status": "planned"},
    )
    assert "Enter the address or short name of an asset in the catalogue" in response.text


def test_a_member_changes_a_move(verified_client, member, council, functions, legacy, modern):
    pathway = move(council, functions, legacy, to_product=modern)
    client = verified_client(member)
    url = reverse("estate:pathway_edit", kwargs={"pk": pathway.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "function": "revenues-and-benefits",
            "from_product": legacy.slug,
            "to_product": modern.slug,
            "status": "done",
        },
    )
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == "done"


# Aggregation


def test_destinations_count_by_status_with_lessons_and_council_names(
    council, other_council, functions, legacy, modern, asset
):
    move(council, functions, legacy, to_product=modern, status="done", lessons="Train early.")
    move(other_council, functions, legacy, to_product=modern, status="in_progress")
    move(OrganisationFactory(), functions, legacy, to_asset=asset, status="planned")
    summary = pathways_from(legacy)
    assert [d.name for d in summary.destinations] == ["New Revs", "Open Revs"]
    assert summary.destinations[0].counts == {"done": 1, "in_progress": 1}
    assert summary.destinations[0].count_rows() == [("In progress", 1), ("Done", 1)]
    assert [(lesson.council, lesson.text) for lesson in summary.lessons] == [
        (council, "Train early.")
    ]


def test_councils_sharing_nothing_are_left_out(council, functions, legacy, modern):
    move(council, functions, legacy, to_product=modern, lessons="Secret lesson")
    SharingSetting.objects.create(organisation=council, level="nothing")
    summary = pathways_from(legacy)
    assert summary.is_empty
    assert summary.lessons == []


def test_cost_bands_show_only_from_five_councils(functions, legacy, modern):
    for _ in range(4):
        move(OrganisationFactory(), functions, legacy, to_product=modern, cost_band="50k_100k")
    assert pathways_from(legacy).cost_bands is None
    move(OrganisationFactory(), functions, legacy, to_product=modern, cost_band="over_1m")
    assert pathways_from(legacy).cost_bands == [
        ("£50,000 to £100,000", 4),
        ("Over £1 million", 1),
    ]


def test_only_pipeline_items_the_viewer_can_see_are_linked(
    member, other_member, council, functions, legacy, modern
):
    draft = make_item(council, "our-draft", visibility="draft")
    move(council, functions, legacy, to_product=modern, pipeline_item=draft)
    assert pathways_from(legacy, member).items == [draft]
    assert pathways_from(legacy, other_member).items == []


def test_the_product_section_renders_and_makes_a_constant_number_of_queries(
    member, functions, legacy, make_product, asset
):
    request = RequestFactory().get("/")
    request.user = member

    def add(count):
        for _ in range(count):
            organisation = OrganisationFactory()
            item = make_item(organisation, f"move-{organisation.code}".lower())
            move(
                organisation,
                functions,
                legacy,
                to_product=make_product(f"Dest {organisation.code}"),
                lessons="Worth it",
                cost_band="10k_50k",
                pipeline_item=item,
            )

    add(1)
    with CaptureQueriesContext(connection) as small:
        sections = sections_for("estate_product", request, legacy)
    add(10)
    with CaptureQueriesContext(connection) as large:
        sections = sections_for("estate_product", request, legacy)
    assert len(large) == len(small)
    assert sections[0].template == "estate/_pathways_section.html"
    from django.template.loader import render_to_string

    html = render_to_string(
        "estate/_pathways_section.html", {"context": sections[0].context}, request=request
    )
    assert "Councils that moved off Old Revs went to" in html
    assert "Worth it" in html
    assert "£10,000 to £50,000" in html


def test_a_product_nobody_moved_off_has_no_section(member, legacy):
    request = RequestFactory().get("/")
    request.user = member
    assert sections_for("estate_product", request, legacy) == []
