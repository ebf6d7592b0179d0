"""Joint procurement windows: which pairs count, and the "interested" action end to end."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import ProcurementInterest, SharingSetting, System
from localdigital.estate.selectors.procurement import add_months, procurement_windows
from localdigital.estate.services.procurement import (
    ALREADY_INTERESTED,
    NOT_A_MEMBER,
    procurement_interest_register,
)
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.models import Item, Partnership

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def idox(make_product):
    return make_product("Idox Uniform")


def sharing_council(level=SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS, **kwargs):
    organisation = OrganisationFactory(**kwargs)
    if level:
        SharingSetting.objects.create(organisation=organisation, level=level)
    return organisation


def ending(organisation, function, product, end):
    return System.objects.create(
        organisation=organisation, function=function, product=product, contract_end=end
    )


def three_councils(functions, product, *, end=dt.date(2027, 1, 1)):
    councils = [sharing_council() for _ in range(3)]
    for council in councils:
        ending(council, functions["planning-back-office"], product, end)
    return councils


# Counting


def test_add_months_keeps_the_day_or_uses_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 6, 15), 24) == dt.date(2028, 6, 15)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_three_councils_make_a_window(functions, idox):
    three_councils(functions, idox)
    windows = procurement_windows(months=24, today=TODAY)
    assert len(windows) == 1
    assert windows[0].product == idox
    assert windows[0].council_count == 3
    assert [c.contract_end for c in windows[0].contracts] == [dt.date(2027, 1, 1)] * 3


def test_two_councils_do_not_make_a_window(functions, idox):
    councils = three_councils(functions, idox)
    System.objects.filter(organisation=councils[0]).delete()
    assert procurement_windows(months=24, today=TODAY) == []


def test_the_window_includes_both_edges_and_nothing_outside(functions, idox):
    fn = functions["planning-back-office"]
    edges = [sharing_council() for _ in range(3)]
    ending(edges[0], fn, idox, TODAY)
    ending(edges[1], fn, idox, add_months(TODAY, 12))
    ending(edges[2], fn, idox, add_months(TODAY, 12))
    assert procurement_windows(months=12, today=TODAY)[0].council_count == 3
    System.objects.filter(organisation=edges[2]).update(
        contract_end=add_months(TODAY, 12) + dt.timedelta(days=1)
    )
    assert procurement_windows(months=12, today=TODAY) == []
    assert procurement_windows(months=18, today=TODAY)[0].council_count == 3
    System.objects.filter(organisation=edges[0]).update(contract_end=TODAY - dt.timedelta(days=1))
    assert procurement_windows(months=18, today=TODAY) == []


@pytest.mark.parametrize(
    "level", [None, SharingSetting.Level.PRODUCTS, SharingSetting.Level.NOTHING]
)
def test_only_councils_sharing_contract_ends_count(functions, idox, level):
    councils = three_councils(functions, idox)
    SharingSetting.objects.filter(organisation=councils[0]).delete()
    if level:
        SharingSetting.objects.create(organisation=councils[0], level=level)
    assert procurement_windows(months=24, today=TODAY) == []


def test_unapproved_products_do_not_count(functions, make_product):
    for status in ("proposed", "rejected"):
        three_councils(functions, make_product(f"Unreviewed {status}", status=status))
    assert procurement_windows(months=24, today=TODAY) == []


def test_the_same_product_for_another_function_is_another_pair(functions, idox):
    councils = three_councils(functions, idox)
    ending(councils[0], functions["planning-public-access"], idox, dt.date(2027, 1, 1))
    windows = procurement_windows(months=24, today=TODAY)
    assert [w.function.key for w in windows] == ["planning-back-office"]


# The page


@pytest.fixture
def other_member(other_council):
    return MembershipFactory(organisation=other_council, role=Membership.Role.MEMBER).user


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(reverse("estate:procurement")).status_code == 302


def test_a_person_of_no_council_gets_404(verified_client, db):
    from localdigital.accounts.tests.factories import UserFactory

    assert verified_client(UserFactory()).get(reverse("estate:procurement")).status_code == 404


def test_the_page_shows_windows_with_the_default_of_24_months(
    verified_client, member, functions, idox
):
    councils = three_councils(functions, idox, end=add_months(timezone.localdate(), 20))
    response = verified_client(member).get(reverse("estate:procurement"))
    assert response.status_code == 200
    assert "Idox Uniform" in response.text
    assert councils[0].short_name in response.text
    assert (
        BeautifulSoup(response.content, "html.parser").select_one("option[selected]")["value"]
        == "24"
    )
    response = verified_client(member).get(reverse("estate:procurement"), {"months": "12"})
    assert "Idox Uniform" not in response.text


def test_the_interest_button_names_its_window_in_hidden_text_not_in_visible_markup(
    verified_client, member, functions, idox
):
    three_councils(functions, idox, end=add_months(timezone.localdate(), 20))
    response = verified_client(member).get(reverse("estate:procurement"))
    soup = BeautifulSoup(response.content, "html.parser")
    button = next(b for b in soup.select("button") if "Interested in joint" in b.get_text())
    hidden = button.select_one("span.govuk-visually-hidden")
    assert hidden is not None
    assert "Idox Uniform" in hidden.get_text()
    assert "<span" not in button.get_text()


def test_an_unknown_window_is_an_error_and_the_default_is_used(verified_client, member, db):
    response = verified_client(member).get(reverse("estate:procurement"), {"months": "7"})
    assert response.status_code == 200
    assert "Choose a window from the list" in response.text
    assert "in the next 24 months" in response.text


def test_the_page_makes_a_constant_number_of_queries(
    verified_client, member, functions, make_product
):
    client = verified_client(member)
    end = add_months(timezone.localdate(), 6)
    three_councils(functions, make_product("First"), end=end)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("estate:procurement"))
    for n in range(6):
        product = make_product(f"Later {n}")
        for council in three_councils(functions, product, end=end):
            procurement_interest_register(
                actor=None,
                organisation=council,
                function=functions["planning-back-office"],
                product=product,
            )
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("estate:procurement"))
    assert "Later 5" in response.text
    assert len(large) == len(small)


# Interest


def test_the_first_interest_creates_a_members_project_tagged_procurement(
    member, council, functions, idox
):
    interest = procurement_interest_register(
        actor=member, organisation=council, function=functions["planning-back-office"], product=idox
    )
    item = interest.item
    assert item.kind == Item.Kind.PROJECT
    assert item.organisation == council
    assert item.visibility == Item.Visibility.MEMBERS
    assert item.title == "Joint procurement: Idox Uniform for planning back office"
    assert [t.slug for t in item.tags.all()] == ["procurement"]
    assert AuditEvent.objects.filter(action="estate.procurement_interest").exists()


def test_later_interest_adds_the_council_as_a_partner_of_the_one_project(
    member, council, other_admin, other_council, functions, idox
):
    fn = functions["planning-back-office"]
    first = procurement_interest_register(
        actor=member, organisation=council, function=fn, product=idox
    )
    second = procurement_interest_register(
        actor=other_admin, organisation=other_council, function=fn, product=idox
    )
    assert second.item == first.item
    assert Item.objects.count() == 1
    assert list(Partnership.objects.values_list("organisation__code", flat=True)) == ["CAM"]


def test_saying_so_twice_is_refused_kindly(member, council, functions, idox):
    fn = functions["planning-back-office"]
    procurement_interest_register(actor=member, organisation=council, function=fn, product=idox)
    with pytest.raises(ApplicationError) as error:
        procurement_interest_register(actor=member, organisation=council, function=fn, product=idox)
    assert error.value.message == ALREADY_INTERESTED.format(
        organisation="Hackney", product="Idox Uniform", function="planning back office"
    )
    assert ProcurementInterest.objects.count() == 1


def test_a_person_cannot_say_another_council_is_interested(other_member, council, functions, idox):
    with pytest.raises(ApplicationError, match=NOT_A_MEMBER):
        procurement_interest_register(
            actor=other_member,
            organisation=council,
            function=functions["planning-back-office"],
            product=idox,
        )
    assert not Item.objects.exists()


def test_a_new_project_takes_in_councils_whose_project_has_gone(
    member, council, other_admin, other_council, functions, idox
):
    fn = functions["planning-back-office"]
    first = procurement_interest_register(
        actor=member, organisation=council, function=fn, product=idox
    )
    first.item.delete()
    second = procurement_interest_register(
        actor=other_admin, organisation=other_council, function=fn, product=idox
    )
    assert second.item.organisation == other_council
    assert list(second.item.partners.all()) == [council]
    first.refresh_from_db()
    assert first.item == second.item


def test_the_interest_action_end_to_end(
    verified_client, member, council, other_admin, other_council, functions, idox
):
    end = add_months(timezone.localdate(), 6)
    for organisation in (council, other_council):
        SharingSetting.objects.create(organisation=organisation, level="products_and_contract_ends")
        ending(organisation, functions["planning-back-office"], idox, end)
    ending(sharing_council(), functions["planning-back-office"], idox, end)
    data = {
        "organisation": council.code,
        "function": "planning-back-office",
        "product": idox.slug,
        "months": "12",
    }
    client = verified_client(member)
    page = client.get(reverse("estate:procurement"))
    assert "Interested in joint procurement" in page.text
    response = client.post(reverse("estate:procurement_interest"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("estate:procurement") + "?months=12"
    item = Item.objects.get()
    page = client.get(reverse("estate:procurement"))
    assert item.get_absolute_url() in page.text
    assert "Interested: Hackney" in page.text
    again = client.post(reverse("estate:procurement_interest"), data, follow=True)
    assert "has already said it is interested" in again.text
    other = verified_client(other_admin)
    other.post(reverse("estate:procurement_interest"), {**data, "organisation": other_council.code})
    assert list(item.partners.all()) == [other_council]


def test_a_member_cannot_post_for_a_council_they_are_not_in(
    verified_client, other_member, council, functions, idox
):
    response = verified_client(other_member).post(
        reverse("estate:procurement_interest"),
        {"organisation": council.code, "function": "planning-back-office", "product": idox.slug},
    )
    assert response.status_code == 302
    assert not ProcurementInterest.objects.exists()
