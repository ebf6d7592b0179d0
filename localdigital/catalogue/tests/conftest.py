"""Fixtures for the catalogue's tests: the TCoP framework, service areas and an owned asset."""

import pytest

from localdigital.catalogue.search import forget_asset_index
from localdigital.catalogue.services.assets import asset_create


@pytest.fixture(autouse=True)
def fresh_asset_index():
    forget_asset_index()
    yield
    forget_asset_index()


@pytest.fixture
def tcop(db):
    """The Technology Code of Practice, loaded from the shipped framework file."""
    from localdigital.frameworks.reference_data import load_frameworks

    load_frameworks()
    from localdigital.frameworks.models import Framework

    return Framework.objects.get(framework_id="tcop")


@pytest.fixture
def service_areas(db):
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()


ASSET_DATA = {
    "name": "Bin collection day finder",
    "kind": "open_source",
    "summary": "Residents enter a postcode and see their bin collection days.",
    "description": "Reads the waste round schedule and shows the next collections.",
    "licence": "MIT",
    "repository_url": "https://github.com/example-council/bin-days",
    "development_status": "beta",
    "maintenance": "internal",
    "maintainers": [{"name": "Digital team", "email": "digital@hackney.example"}],
    "tags": ["waste", "bins"],
}


@pytest.fixture
def asset(member, council):
    """An asset owned by `council` (added by `member`)."""
    return asset_create(actor=member, data={**ASSET_DATA, "owners": [council]})
