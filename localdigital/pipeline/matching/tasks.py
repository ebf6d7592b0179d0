"""The matcher's background tasks."""

from django_tasks import task


@task()
def refresh_item_matches(item_id: int) -> int:
    """Rebuild one item's features and its stored "similar work"; returns how many matches."""
    return 0  # not yet: the matching helper implements this
