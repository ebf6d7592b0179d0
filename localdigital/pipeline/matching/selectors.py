"""Reads of stored matches for the item page and the API."""

from typing import Any

from localdigital.pipeline.models import Item


def similar_work(user: Any, item: Item, *, limit: int = 5) -> list[Any]:
    """Stored matches of `item` the person may see, best first (placeholder: none yet)."""
    return []


def councils_with_same_problem(user: Any, item: Item) -> list[Any]:
    """Other organisations with the same problem (placeholder: none yet)."""
    return []
