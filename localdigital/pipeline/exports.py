"""The Pipeline's file format: the columns `import_pipeline` reads and every export writes."""

from collections.abc import Iterable
from typing import Any

from localdigital.pipeline.models import Item

COLUMNS = (
    "title",
    "summary",
    "description",
    "kind",
    "organisation",
    "phase",
    "service_area",
    "tags",
    "collaboration_level",
    "budget_band",
    "start",
    "end",
    "url",
)


def item_row(item: Item) -> dict[str, Any]:
    """One item as a row of the file format (tags from a prefetch of `tags`)."""
    return {
        "title": item.title,
        "summary": item.summary,
        "description": item.description,
        "kind": item.kind,
        "organisation": item.organisation.code,
        "phase": item.phase,
        "service_area": item.service_area.key if item.service_area else "",
        "tags": "; ".join(sorted(t.name for t in item.tags.all())),
        "collaboration_level": item.collaboration_level,
        "budget_band": item.budget_band,
        "start": item.start_date.isoformat() if item.start_date else "",
        "end": item.end_date.isoformat() if item.end_date else "",
        "url": item.repository_url or item.blog_url,
    }


def item_rows(items: Iterable[Item]) -> list[dict[str, Any]]:
    return [item_row(item) for item in items]
