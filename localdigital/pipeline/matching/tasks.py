"""The matcher's background tasks."""

from django_tasks import task


@task()
def refresh_item_matches(item_id: int) -> int:
    """Rebuild one item's features and its stored "similar work"; returns how many matches."""
    from localdigital.pipeline.matching.engine import refresh_item

    return refresh_item(item_id)
