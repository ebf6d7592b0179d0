import pytest

from localdigital.core.reference_data import ReferenceDataError
from localdigital.organisations.reference_data import load_councils
from localdigital.pipeline.models import Item, Partnership, ServiceArea
from localdigital.pipeline.reference_data import load_service_areas
from localdigital.pipeline.seed import budget_band, fund_key, seed_fund_projects


@pytest.fixture
def councils(db):
    load_councils()


def test_service_areas_load_once_and_a_second_run_changes_nothing(db):
    first = load_service_areas()
    second = load_service_areas()
    assert first.created == ServiceArea.objects.count() >= 20
    assert (second.created, second.updated) == (0, 0)


def test_a_service_area_file_with_a_duplicate_key_writes_nothing(db, tmp_path):
    bad = tmp_path / "areas.yaml"
    bad.write_text(
        "id: x\nversion: '1'\nsource_url: https://example.org\nlicence: OGL\n"
        "service_areas:\n  - {key: housing, name: Housing}\n  - {key: housing, name: Again}\n"
    )
    with pytest.raises(ReferenceDataError) as error:
        load_service_areas(path=bad)
    assert "row 2, column 'key'" in str(error.value)
    assert not ServiceArea.objects.exists()


def test_budget_bands_come_from_the_grant_amount():
    assert budget_band("") == "unknown"
    assert budget_band("50000") == "0-50k"
    assert budget_band("69300") == "50k-100k"
    assert budget_band("350000") == "250k-500k"
    assert budget_band("2016325") == "over-1m"


def test_the_real_fund_projects_are_seeded_once_with_their_lead_councils(councils):
    load_service_areas()
    result = seed_fund_projects()
    # 40 rows: 32 have a project name and a lead council; 8 do not and are skipped.
    assert result.created == 32
    assert len(result.skipped) == 8
    assert fund_key("C-19", "Beach Check application") in result.skipped
    bops = Item.objects.get(source_key=fund_key("4", "Planning back-office system (BoPS)"))
    assert bops.organisation.code == "SWK"
    assert bops.service_area.key == "planning-and-building-control"
    assert bops.funding_source == "Local Digital Fund round 4 (2020)"
    assert bops.budget_band == "250k-500k"
    assert {p.organisation.code for p in Partnership.objects.filter(item=bops)} >= {"HCK"}
    again = seed_fund_projects()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 32)
    assert Item.objects.filter(source="fund").count() == 32
