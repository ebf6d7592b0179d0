import datetime as dt

import pytest

from localdigital.declaration import selectors
from localdigital.declaration.models import Signing
from localdigital.declaration.tests.factories import CommitmentFactory, SigningFactory
from localdigital.organisations.models import Organisation
from localdigital.organisations.tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("signed_on", "precision", "display", "iso", "phrase"),
    [
        (dt.date(2018, 7, 4), "day", "4 July 2018", "2018-07-04", "on 4 July 2018"),
        (dt.date(2018, 7, 1), "month", "July 2018", "2018-07", "in July 2018"),
        (dt.date(2019, 1, 1), "year", "2019", "2019", "in 2019"),
        (None, "unknown", "Not known", "", ""),
    ],
)
def test_a_signing_date_is_never_shown_more_precisely_than_it_is_known(
    signed_on, precision, display, iso, phrase
):
    assert selectors.signed_on_display(signed_on, precision) == display
    assert selectors.signed_on_iso(signed_on, precision) == iso
    assert selectors.signed_on_phrase(signed_on, precision) == phrase


def test_signatory_list_annotates_each_organisation_with_its_active_signing(db):
    essex = OrganisationFactory(short_name="Essex")
    SigningFactory(
        organisation=essex,
        status=Signing.Status.WITHDRAWN,
        withdrawn_on=dt.date(2019, 1, 1),
        signed_on=dt.date(2018, 7, 4),
    )
    SigningFactory(organisation=essex, signed_on=dt.date(2022, 3, 1), evidence="Signed again")
    OrganisationFactory(short_name="Kent")

    (row,) = selectors.signatory_list()

    assert row == essex
    assert row.signed_on == dt.date(2022, 3, 1)
    assert row.signing_evidence == "Signed again"
    assert row.signing_method == Signing.Method.ONLINE


def test_signatory_list_includes_former_councils_only_when_asked(db):
    SigningFactory(organisation=OrganisationFactory(code="ALL", is_current=False))
    SigningFactory(organisation=OrganisationFactory(code="CMB"))

    assert [o.code for o in selectors.signatory_list()] == ["CMB"]
    both = selectors.signatory_list(selectors.SignatoryFilters(include_former=True))
    assert sorted(o.code for o in both) == ["ALL", "CMB"]


def test_signatory_get_finds_only_organisations_with_an_active_signing(db):
    SigningFactory(organisation=OrganisationFactory(code="ESS"))
    OrganisationFactory(code="KEN")

    assert selectors.signatory_get("ESS").code == "ESS"
    assert selectors.signatory_get("KEN") is None


def test_council_coverage_counts_current_councils_only(db):
    SigningFactory(organisation=OrganisationFactory())
    SigningFactory(
        organisation=OrganisationFactory(),
        status=Signing.Status.WITHDRAWN,
        withdrawn_on=dt.date(2020, 1, 1),
    )
    OrganisationFactory()
    SigningFactory(organisation=OrganisationFactory(is_current=False))
    SigningFactory(organisation=OrganisationFactory(kind=Organisation.Kind.CENTRAL_GOVERNMENT))

    coverage = selectors.council_coverage()

    assert (coverage.councils, coverage.signed, coverage.percent) == (3, 1, 33)


def test_coverage_by_region_groups_councils_without_a_region_under_their_nation(db):
    SigningFactory(organisation=OrganisationFactory(region="London"))
    OrganisationFactory(region="London")
    OrganisationFactory(region="", nation=Organisation.Nation.WALES)

    groups = {group.label: group for group in selectors.coverage_by("region")}

    assert (groups["London"].councils, groups["London"].signed) == (2, 1)
    assert groups["London"].percent == 50
    assert (groups["Wales"].councils, groups["Wales"].signed) == (1, 0)


def test_growth_counts_signings_from_their_year_until_they_are_withdrawn(db):
    SigningFactory(signed_on=dt.date(2018, 7, 4))
    SigningFactory(signed_on=dt.date(2018, 9, 1), signed_on_precision="month")
    SigningFactory(
        signed_on=dt.date(2019, 2, 1),
        status=Signing.Status.WITHDRAWN,
        withdrawn_on=dt.date(2021, 6, 1),
    )
    SigningFactory(signed_on=None, signed_on_precision="unknown")
    SigningFactory(signed_on=None, signed_on_precision="unknown")

    growth = selectors.signatory_growth(today=dt.date(2022, 5, 1))

    assert [(p.year, p.signed, p.withdrawn, p.total) for p in growth.periods] == [
        (2018, 2, 0, 2),
        (2019, 1, 0, 3),
        (2020, 0, 0, 3),
        (2021, 0, 1, 2),
        (2022, 0, 0, 2),
    ]
    assert growth.undated == 2


def test_growth_includes_the_published_totals_from_the_data_file(db):
    growth = selectors.signatory_growth(today=dt.date(2026, 1, 1))

    assert [(t.month, t.count) for t in growth.published] == [
        (dt.date(2018, 7, 1), 45),
        (dt.date(2020, 12, 1), 232),
        (dt.date(2022, 8, 1), 288),
        (dt.date(2024, 2, 1), 361),
    ]
    assert growth.source_url == "https://www.localdigital.gov.uk/declaration/"
    assert growth.periods[0].year == 2018


def test_map_points_are_current_councils_with_a_centroid(db):
    SigningFactory(organisation=OrganisationFactory(code="HCK", latitude=51.545, longitude=-0.055))
    OrganisationFactory(code="KEN", latitude=51.19, longitude=0.72, region="South East")
    OrganisationFactory(code="NOW", latitude=None, longitude=None)
    OrganisationFactory(code="OLD", latitude=54.6, longitude=-3.3, is_current=False)

    points = selectors.signatory_map_points()

    assert {(p.code, p.signed) for p in points} == {("HCK", True), ("KEN", False)}
    regions = {r.label: (r.councils, r.signed) for r in selectors.map_region_coverage(points)}
    assert regions == {"London": (1, 1), "South East": (1, 0)}


def test_organisation_declaration_has_history_commitments_and_predecessors(db):
    cumberland = OrganisationFactory(code="CMB")
    allerdale = OrganisationFactory(code="ALL", is_current=False)
    allerdale.successors.add(cumberland)
    SigningFactory(organisation=allerdale)
    old = SigningFactory(
        organisation=cumberland,
        signed_on=dt.date(2023, 5, 1),
        status=Signing.Status.WITHDRAWN,
        withdrawn_on=dt.date(2024, 1, 1),
    )
    new = SigningFactory(organisation=cumberland, signed_on=dt.date(2025, 2, 1))
    commitment = CommitmentFactory(organisation=cumberland)

    data = selectors.organisation_declaration(cumberland)

    assert data.signings == [new, old]
    assert data.active_signing == new
    assert data.commitments == [commitment]
    assert [s.organisation.code for s in data.predecessor_signings] == ["ALL"]


def test_overdue_commitments_are_those_past_due_without_a_report(db):
    today = dt.date(2027, 4, 1)
    late = CommitmentFactory(progress_due_on=dt.date(2026, 12, 31))
    CommitmentFactory(progress_due_on=dt.date(2026, 12, 31), progress="done")
    CommitmentFactory(progress_due_on=dt.date(2027, 12, 31))
    CommitmentFactory(progress_due_on=today)

    assert list(selectors.commitments_overdue(today=today)) == [late]
