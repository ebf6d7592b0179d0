"""Directory, council pages, and the pages that add and manage organisations."""

import pytest
from bs4 import BeautifulSoup

from localdigital.audit.models import AuditEvent
from localdigital.organisations.models import Organisation, OrganisationDomain
from localdigital.organisations.services import DOMAIN_FORMAT, DOMAIN_TAKEN
from localdigital.organisations.tests.factories import (
    MembershipFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def result_names(soup: BeautifulSoup) -> list[str]:
    return [row.select_one("td a").text.strip() for row in soup.select("table tbody tr")]


# The directory


def test_the_directory_lists_current_councils_fifty_a_page_with_a_count(client, councils):
    response = client.get("/organisations/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("h1").text.strip() == "Find a council"
    assert soup.select_one("#results-count").text.strip() == "397 local authorities"
    assert len(soup.select("table.govuk-table tbody tr")) == 50
    pagination = soup.select_one("nav.govuk-pagination")
    assert pagination.select_one(".govuk-pagination__item--current").text.strip() == "1"
    assert "page=2" in pagination.select_one(".govuk-pagination__next a")["href"]


def test_the_last_directory_page_has_the_remaining_councils_and_no_next_link(client, councils):
    soup = soup_of(client.get("/organisations/?page=8"))

    assert len(soup.select("table tbody tr")) == 397 - 7 * 50
    assert soup.select_one(".govuk-pagination__next") is None
    assert soup.select_one(".govuk-pagination__prev") is not None


def test_pagination_links_keep_the_search_and_filters(client, councils):
    soup = soup_of(client.get("/organisations/?nation=England&status=all"))

    href = soup.select_one(".govuk-pagination__next a")["href"]
    assert "nation=England" in href
    assert "status=all" in href


def test_a_search_ranks_hackney_first_and_names_the_search(client, councils):
    soup = soup_of(client.get("/organisations/?q=Hackney"))

    assert result_names(soup)[0] == "Hackney"
    assert "matching ‘Hackney’" in soup.select_one("#results-count").text


def test_a_search_by_gss_code_finds_the_council(client, councils):
    soup = soup_of(client.get("/organisations/?q=E09000012"))

    assert result_names(soup) == ["Hackney"]


def test_filters_are_a_get_form_with_checkboxes_a_select_and_a_button(client, councils):
    soup = soup_of(client.get("/organisations/?nation=Wales&region=Wales"))

    form = soup.select_one("main form")
    assert form["method"] == "get"
    assert form.select_one("input[name=nation][value=Wales]").has_attr("checked")
    assert form.select_one("select[name=region] option[selected]")["value"] == "Wales"
    assert form.select("input[type=checkbox][name=type]")
    assert form.select_one("button.govuk-button").text.strip() == "Apply filters"
    assert soup.select_one("#results-count").text.strip() == "22 local authorities"
    assert soup.find("a", string="Clear filters") is not None


def test_the_current_status_is_selected_when_no_filter_is_given(client, councils):
    soup = soup_of(client.get("/organisations/"))

    checked = soup.select("input[name=status][checked]")
    assert [radio["value"] for radio in checked] == ["current"]


def test_former_councils_are_shown_with_a_tag_when_asked_for(client, councils):
    soup = soup_of(client.get("/organisations/?q=cumbria&status=former"))

    row = soup.select_one("table tbody tr")
    assert row.select_one("td a").text.strip() == "Cumbria"
    assert row.select_one(".govuk-tag").text.strip() == "Former"


def test_a_search_with_no_results_says_how_to_improve_it(client, councils):
    soup = soup_of(client.get("/organisations/?q=atlantis"))

    assert soup.select_one("#results-count").text.strip().startswith("0 local authorities")
    assert "There are no matching results." in soup.select_one("main").text
    assert soup.select_one("table") is None


def test_a_filter_value_that_is_not_a_choice_is_ignored(client, councils):
    response = client.get("/organisations/?nation=Atlantis&status=sideways")

    assert response.status_code == 200
    assert soup_of(response).select_one("#results-count").text.strip() == "397 local authorities"


def test_a_page_number_past_the_end_shows_the_last_page(client, councils):
    soup = soup_of(client.get("/organisations/?page=999"))

    assert soup.select_one(".govuk-pagination__item--current").text.strip() == "8"


def test_the_directory_makes_the_same_number_of_queries_however_many_councils(
    client, db, django_assert_num_queries
):
    OrganisationFactory.create_batch(3)
    # Filter options, count and page, plus the savepoint and release of the request's atomic block.
    with django_assert_num_queries(5):
        client.get("/organisations/?q=testshire&nation=England")
    OrganisationFactory.create_batch(120)
    with django_assert_num_queries(5):
        response = client.get("/organisations/?q=testshire&nation=England")
    assert len(soup_of(response).select("table tbody tr")) == 50


def test_only_programme_staff_see_the_add_an_organisation_button(
    client, verified_client, programme_staff, councils
):
    assert link_to(soup_of(client.get("/organisations/")), "Add an organisation") is None

    staff_client = verified_client(programme_staff)
    soup = soup_of(staff_client.get("/organisations/"))
    assert link_to(soup, "Add an organisation")["href"] == "/organisations/new/"


# Council pages


def test_a_council_page_shows_its_codes_type_and_place(client, councils):
    response = client.get("/organisations/HCK/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("h1").text.strip() == "London Borough of Hackney"
    rows = {
        row.select_one("dt").text.strip(): row.select_one("dd").text.strip()
        for row in soup.select(".govuk-summary-list__row")
    }
    assert rows["mySociety code"] == "HCK"
    assert rows["GSS code"] == "E09000012"
    assert rows["Type"] == "London borough"
    assert rows["Nation"] == "England"
    assert rows["Region"] == "London"
    assert rows["Combined authority"] == "Greater London Authority"
    assert rows["GOV.UK page"] == "Find Hackney on GOV.UK"
    assert soup.find("a", string="Find Hackney on GOV.UK")["href"] == (
        "https://www.gov.uk/find-local-council/hackney"
    )


def test_a_council_page_links_a_district_to_its_county_and_a_county_to_its_districts(
    client, councils
):
    adur = soup_of(client.get("/organisations/ADU/"))
    assert adur.find("a", string="West Sussex County Council")["href"] == "/organisations/WSX/"

    west_sussex = soup_of(client.get("/organisations/WSX/"))
    assert west_sussex.find("a", string="Adur District Council")["href"] == "/organisations/ADU/"


def test_a_combined_authority_page_lists_its_constituent_members(client, councils):
    soup = soup_of(client.get("/organisations/GMCA/"))

    row = next(
        r
        for r in soup.select(".govuk-summary-list__row")
        if r.select_one("dt").text.strip() == "Constituent members"
    )
    assert len(row.select("dd li")) == 10


def test_a_former_council_says_who_replaced_it_and_when(client, councils):
    soup = soup_of(client.get("/organisations/CMA/"))

    inset = soup.select_one(".govuk-inset-text").text
    assert " ".join(inset.split()) == (
        "This council was replaced by Cumberland Council and Westmorland and Furness Council "
        "on 1 April 2023."
    )


def test_a_successor_lists_the_councils_it_replaced(client, councils):
    soup = soup_of(client.get("/organisations/CBD/"))

    assert soup.find("a", string="Cumbria County Council")["href"] == "/organisations/CMA/"
    assert soup.find("a", string="Allerdale Borough Council") is not None


def test_a_gss_code_redirects_permanently_to_the_council_page(client, councils):
    response = client.get("/organisations/E09000012/")

    assert response.status_code == 301
    assert response["Location"] == "/organisations/HCK/"


def test_a_former_gss_code_redirects_to_the_council_that_carried_it(client, councils):
    organisation = Organisation.objects.exclude(former_gss_codes="").filter(is_current=True)[0]

    response = client.get(f"/organisations/{organisation.former_gss_code_list[0]}/")

    assert response.status_code == 301
    assert response["Location"] == f"/organisations/{organisation.code}/"


def test_a_code_in_lower_case_redirects_to_the_council_page(client, councils):
    response = client.get("/organisations/hck/")

    assert response.status_code == 301
    assert response["Location"] == "/organisations/HCK/"


def test_an_unknown_code_is_not_found(client, councils):
    assert client.get("/organisations/ZZZZ/").status_code == 404


def test_a_council_page_makes_the_same_number_of_queries_for_a_big_county_as_a_district(
    client, councils, django_assert_num_queries
):
    # The council with its county and combined authority, then districts, constituent members,
    # successors and predecessors; plus the savepoint and release of the request's atomic block;
    # plus the Declaration section's signings and commitments (2).
    for code in ("ADU", "KEN", "GMCA", "CMA"):
        # 9 for the page and the Declaration, 2 for the Pipeline section, 2 for the catalogue's
        # (solutions owned and used), 2 for the estate's (sharing setting, systems shared).
        with django_assert_num_queries(15):
            client.get(f"/organisations/{code}/")


def link_to(soup: BeautifulSoup, text: str):
    return soup.find("a", string=lambda s: s is not None and s.strip() == text)


def test_only_admins_and_programme_staff_see_the_manage_link(
    client, verified_client, council, org_admin, member
):
    assert (
        link_to(soup_of(client.get("/organisations/HCK/")), "Manage domains and settings") is None
    )
    client.force_login(member)
    assert (
        link_to(soup_of(client.get("/organisations/HCK/")), "Manage domains and settings") is None
    )

    admin_client = verified_client(org_admin)
    link = link_to(soup_of(admin_client.get("/organisations/HCK/")), "Manage domains and settings")
    assert link["href"] == "/organisations/HCK/manage/"


# Permissions for adding and managing organisations


@pytest.fixture
def people(member, org_admin, other_admin, programme_staff):
    return {
        "member": member,
        "org_admin": org_admin,
        "other_admin": other_admin,
        "programme_staff": programme_staff,
    }


def signed_in(client, verified_client, people, who):
    if who == "anonymous":
        return client
    return verified_client(people[who])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_admin", 404),
        ("org_admin", 404),
        ("programme_staff", 200),
    ],
)
def test_only_programme_staff_can_open_the_add_organisation_page(
    client, verified_client, people, who, status
):
    response = signed_in(client, verified_client, people, who).get("/organisations/new/")

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_admin", 404),
        ("org_admin", 200),
        ("programme_staff", 200),
    ],
)
def test_only_the_organisations_admins_and_programme_staff_can_manage_it(
    client, verified_client, people, who, status
):
    response = signed_in(client, verified_client, people, who).get("/organisations/HCK/manage/")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_admin", 404),
        ("org_admin", 404),
        ("programme_staff", 302),
    ],
)
def test_only_programme_staff_can_add_a_domain(client, verified_client, people, who, status):
    response = signed_in(client, verified_client, people, who).post(
        "/organisations/HCK/manage/domains/", {"domain": "hackney.gov.uk"}
    )

    assert response.status_code == status
    assert OrganisationDomain.objects.filter(domain="hackney.gov.uk").exists() == (
        who == "programme_staff"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_admin", 404),
        ("org_admin", 404),
        ("programme_staff", 302),
    ],
)
def test_only_programme_staff_can_remove_a_domain(
    client, verified_client, people, council, who, status
):
    domain = OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")

    response = signed_in(client, verified_client, people, who).post(
        f"/organisations/HCK/manage/domains/{domain.pk}/remove/"
    )

    assert response.status_code == status
    assert OrganisationDomain.objects.filter(pk=domain.pk).exists() == (who != "programme_staff")


@pytest.mark.parametrize(
    ("who", "status", "saved"),
    [
        ("anonymous", 302, False),
        ("member", 404, False),
        ("other_admin", 404, False),
        ("org_admin", 302, True),
        ("programme_staff", 302, True),
    ],
)
def test_admins_and_programme_staff_can_switch_automatic_joining(
    client, verified_client, people, council, who, status, saved
):
    response = signed_in(client, verified_client, people, who).post(
        "/organisations/HCK/manage/", {"allow_automatic_joining": "true"}
    )

    assert response.status_code == status
    council.refresh_from_db()
    assert council.allow_automatic_joining is saved


def test_a_domain_on_another_council_cannot_be_removed_through_this_one(
    verified_client, programme_staff, council, other_council
):
    domain = OrganisationDomainFactory(organisation=other_council, domain="cambridge.gov.uk")

    response = verified_client(programme_staff).post(
        f"/organisations/HCK/manage/domains/{domain.pk}/remove/"
    )

    assert response.status_code == 404
    assert OrganisationDomain.objects.filter(pk=domain.pk).exists()


# Adding and managing


def test_programme_staff_add_an_organisation_and_go_on_to_its_domains(
    verified_client, programme_staff
):
    staff_client = verified_client(programme_staff)

    response = staff_client.post(
        "/organisations/new/",
        {"name": "NHS England", "short_name": "NHS England", "kind": "nhs_body", "nation": ""},
    )

    organisation = Organisation.objects.get(name="NHS England")
    assert organisation.code == "nhs-england"
    assert response.status_code == 302
    assert response["Location"] == "/organisations/nhs-england/manage/"
    soup = soup_of(staff_client.get(response["Location"]))
    assert "NHS England has been added" in soup.select_one(".govuk-notification-banner").text


def test_the_add_organisation_page_shows_gov_uk_errors_for_missing_answers(
    verified_client, programme_staff
):
    response = verified_client(programme_staff).post("/organisations/new/", {})

    soup = soup_of(response)
    assert soup.title.text.startswith("Error: ")
    summary = [a.text.strip() for a in soup.select(".govuk-error-summary__list a")]
    assert summary == [
        "Enter the organisation's official name",
        "Enter the name to show in lists",
        "Select the type of organisation",
    ]
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#id_name"
    assert not Organisation.objects.exists()


def test_councils_cannot_be_added_by_hand(verified_client, programme_staff):
    response = verified_client(programme_staff).post(
        "/organisations/new/",
        {"name": "Newtown Council", "short_name": "Newtown", "kind": "council"},
    )

    assert response.status_code == 200
    assert soup_of(response).select_one(".govuk-error-summary") is not None
    assert not Organisation.objects.filter(name="Newtown Council").exists()


def test_a_malformed_domain_shows_the_gov_uk_error_on_the_manage_page(
    verified_client, programme_staff, council
):
    response = verified_client(programme_staff).post(
        "/organisations/HCK/manage/domains/", {"domain": "not a domain"}
    )

    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.select_one(".govuk-error-summary__list a").text.strip() == DOMAIN_FORMAT
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#id_domain"
    assert DOMAIN_FORMAT in soup.select_one("#id_domain-error").text


def test_a_domain_that_belongs_to_another_organisation_is_refused_by_name(
    verified_client, programme_staff, council, other_council
):
    OrganisationDomainFactory(organisation=other_council, domain="cambridge.gov.uk")

    response = verified_client(programme_staff).post(
        "/organisations/HCK/manage/domains/", {"domain": "Cambridge.gov.uk"}
    )

    expected = DOMAIN_TAKEN.format(organisation="Cambridge City Council")
    assert soup_of(response).select_one(".govuk-error-summary__list a").text.strip() == expected


def test_programme_staff_add_and_remove_domains_and_both_are_audited(
    verified_client, programme_staff, council
):
    staff_client = verified_client(programme_staff)

    staff_client.post("/organisations/HCK/manage/domains/", {"domain": " @Hackney.GOV.uk "})
    domain = OrganisationDomain.objects.get(organisation=council)
    assert domain.domain == "hackney.gov.uk"
    soup = soup_of(staff_client.get("/organisations/HCK/manage/"))
    assert [td.text.strip() for td in soup.select("table tbody tr td:first-child")] == [
        "hackney.gov.uk"
    ]

    staff_client.post(f"/organisations/HCK/manage/domains/{domain.pk}/remove/")

    assert not OrganisationDomain.objects.exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["organisation.domain_add", "organisation.domain_remove"]


def test_an_admin_sees_the_domains_and_the_joining_setting_but_cannot_add_domains(
    verified_client, org_admin, council
):
    OrganisationDomainFactory(organisation=council, domain="hackney.gov.uk")

    soup = soup_of(verified_client(org_admin).get("/organisations/HCK/manage/"))

    assert "hackney.gov.uk" in soup.select_one("table").text
    assert soup.select_one("input[name=domain]") is None
    assert soup.find("button", string=lambda s: s and "Remove" in s) is None
    assert soup.select_one("input[name=allow_automatic_joining]") is not None


def test_programme_staff_edit_the_details_of_an_organisation_they_added(
    verified_client, programme_staff
):
    body = OrganisationFactory(
        code="nhs-x", kind=Organisation.Kind.NHS_BODY, name="NHS X", short_name="NHS X"
    )

    response = verified_client(programme_staff).post(
        "/organisations/nhs-x/manage/details/",
        {"name": "NHSX", "short_name": "NHSX", "kind": "nhs_body", "is_current": ""},
    )

    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.name, body.is_current) == ("NHSX", False)
    assert AuditEvent.objects.get(action="organisation.update").organisation == body


def test_the_details_of_a_council_from_the_reference_data_cannot_be_edited_here(
    verified_client, programme_staff, councils
):
    staff_client = verified_client(programme_staff)

    soup = soup_of(staff_client.get("/organisations/HCK/manage/"))
    assert soup.select_one("input[name=short_name]") is None
    response = staff_client.post(
        "/organisations/HCK/manage/details/",
        {"name": "Renamed", "short_name": "Renamed", "kind": "nhs_body"},
    )
    assert response.status_code == 404
    assert Organisation.objects.get(code="HCK").name == "London Borough of Hackney"


def test_a_member_who_becomes_admin_of_a_second_council_cannot_manage_the_first(
    verified_client, council, other_council
):
    person = MembershipFactory(organisation=other_council, role="admin").user
    MembershipFactory(user=person, organisation=council, role="member")

    response = verified_client(person).get("/organisations/HCK/manage/")

    assert response.status_code == 404
