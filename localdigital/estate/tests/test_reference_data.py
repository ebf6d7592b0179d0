import pytest

from localdigital.core.reference_data import ReferenceDataError, loaders
from localdigital.estate.models import Function
from localdigital.estate.reference_data import load_functions
from localdigital.pipeline.reference_data import load_service_areas


def test_functions_load_with_their_service_areas(db):
    load_service_areas()
    result = load_functions()
    assert result.created == Function.objects.count() == 21
    committee = Function.objects.get(key="committee-management")
    assert committee.service_area.key == "democracy-and-elections"
    assert Function.objects.get(key="other").service_area is None
    assert list(Function.objects.values_list("key", flat=True))[0] == "revenues-and-benefits"


def test_loading_the_functions_twice_changes_nothing(db):
    load_service_areas()
    load_functions()
    again = load_functions()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 21)
    assert not again.changed


def test_a_renamed_function_is_updated_in_place(db):
    load_service_areas()
    load_functions()
    Function.objects.filter(key="gis").update(name="Maps")
    result = load_functions()
    assert result.updated == 1
    assert Function.objects.get(key="gis").name == "GIS (mapping)"


def test_functions_need_the_service_areas_loaded_first_and_write_nothing_without_them(db):
    with pytest.raises(ReferenceDataError, match="load the service areas first"):
        load_functions()
    assert not Function.objects.exists()


def test_the_functions_loader_runs_after_the_service_areas(db):
    names = [loader.name for loader in loaders()]
    assert names.index("estate-functions") > names.index("service-areas")
