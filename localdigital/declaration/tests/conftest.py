"""Fixtures shared by the Declaration's tests (the project-wide ones are in /conftest.py)."""

import datetime

import pytest

from localdigital.declaration.models import Principle, Signing
from localdigital.declaration.reference_data import load_principles
from localdigital.declaration.tests.factories import SigningFactory


@pytest.fixture
def principles(db) -> list[Principle]:
    """The five real principles, loaded from the project's reference data file."""
    load_principles()
    return list(Principle.objects.order_by("position"))


@pytest.fixture
def signing(council, principles) -> Signing:
    """`council` (Hackney) has signed the Declaration online and agreed to every principle."""
    record = SigningFactory(organisation=council, signed_on=datetime.date(2024, 3, 14))
    record.principles_agreed.set(principles)
    return record
