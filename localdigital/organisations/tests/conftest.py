import pytest

from localdigital.organisations.reference_data import load_councils


@pytest.fixture
def councils(db):
    """Every UK local authority from the project's reference data file."""
    return load_councils()
