"""Directory search ranking and filters, on the real councils."""

import pytest

from localdigital.organisations import selectors
from localdigital.organisations.models import Organisation
from localdigital.organisations.selectors import DirectoryFilters, organisation_directory
from localdigital.organisations.tests.factories import OrganisationFactory


def codes(**filters) -> list[str]:
    return list(organisation_directory(DirectoryFilters(**filters)).values_list("code", flat=True))


def test_the_directory_lists_current_local_authorities_by_default(councils):
    assert len(codes()) == 397
    assert not Organisation.objects.filter(code__in=codes(), is_current=False).exists()


def test_a_search_for_hackney_puts_hackney_first(councils):
    assert codes(q="Hackney")[0] == "HCK"


def test_a_search_for_a_name_ranks_the_exact_name_above_names_that_start_with_it(councils):
    found = codes(q="york")
    assert found[0] == "YOR"
    assert found.index("YNYC") < found.index("ERY")  # "York and..." before "East Riding of York..."


def test_every_word_of_a_search_must_match(councils):
    assert codes(q="tower hamlets") == ["TWH"]
    assert codes(q="tower nowhere") == []


def test_a_search_by_gss_code_finds_the_council_in_any_letter_case(councils):
    assert codes(q="E09000012") == ["HCK"]
    assert codes(q="e09000012") == ["HCK"]


def test_a_search_by_mysociety_code_ranks_that_council_first(councils):
    assert codes(q="BIR")[0] == "BIR"


def test_a_search_finds_councils_by_an_alternative_name(councils):
    found = codes(q="bradford mdc")
    assert found == ["BRD"]


def test_a_former_gss_code_finds_the_council_that_carried_it(councils):
    organisation = Organisation.objects.exclude(former_gss_codes="").filter(is_current=True)[0]
    former = organisation.former_gss_code_list[0]
    assert codes(q=former)[0] == organisation.code


def test_status_filters_show_former_or_all_councils(councils):
    assert len(codes(status=selectors.STATUS_FORMER)) == 73
    assert len(codes(status=selectors.STATUS_ALL)) == 470
    assert "CMA" in codes(q="cumbria", status=selectors.STATUS_FORMER)
    assert "CMA" not in codes(q="cumbria")


def test_nation_region_and_type_filters_combine(councils):
    found = codes(nations=["England"], regions=["London"], types=["LBO"])
    assert len(found) == 32
    assert "HCK" in found
    assert codes(nations=["Wales"], q="hackney") == []


def test_other_kinds_of_organisation_appear_only_when_asked_for(db):
    OrganisationFactory(code="nhs-digital", kind=Organisation.Kind.NHS_BODY, short_name="NHS X")
    OrganisationFactory(code="HCK", short_name="Hackney")

    assert codes() == ["HCK"]
    assert codes(kinds=[Organisation.Kind.NHS_BODY]) == ["nhs-digital"]


def test_a_search_ignores_the_separator_used_in_the_search_text(councils):
    assert codes(q="|hackney|")[0] == "HCK"


def test_the_filter_options_list_regions_and_council_types_in_one_query(
    councils, django_assert_num_queries
):
    with django_assert_num_queries(1):
        options = selectors.directory_filter_options()
    assert ("London", "London") in options["regions"]
    assert ("LBO", "London borough") in options["types"]
    assert "" not in [value for value, _ in options["regions"]]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("HCK", ("HCK", True)), ("hck", ("HCK", False)), ("E09000012", ("HCK", False))],
)
def test_a_lookup_finds_a_council_by_code_or_gss_code(councils, code, expected):
    lookup = selectors.organisation_lookup(code)
    assert (lookup.organisation.code, lookup.canonical) == expected


def test_a_lookup_of_an_unknown_code_finds_nothing(councils):
    assert selectors.organisation_lookup("ZZZZ") is None
    assert selectors.organisation_lookup("E99999999") is None
