"""Reads of expressions of interest."""

from typing import Any

from localdigital.pipeline.models import Item


def item_interest_panel(user: Any, item: Item) -> dict[str, Any]:
    """What the item page shows about interest for this person (placeholder)."""
    return {}
