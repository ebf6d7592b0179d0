"""Fixtures for the estate's tests: the functions (with their service areas) and products."""

import pytest

from localdigital.estate.models import Function, Product, Supplier


@pytest.fixture
def functions(db):
    """The shipped functions, keyed by key."""
    from localdigital.estate.reference_data import load_functions
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    return {function.key: function for function in Function.objects.all()}


@pytest.fixture
def make_product(db):
    """Make an approved product (or one in another status) by name."""

    def make(name: str, *, status: str = Product.Status.APPROVED, supplier: str = "") -> Product:
        supplier_obj, _ = Supplier.objects.get_or_create(
            name=supplier or f"{name} Ltd",
            defaults={"slug": f"{name} ltd".lower().replace(" ", "-")},
        )
        return Product.objects.create(
            supplier=supplier_obj, name=name, slug=name.lower().replace(" ", "-"), status=status
        )

    return make
