"""Pipeline background tasks (the matcher's own tasks live in matching/tasks.py)."""

from django_tasks import task


@task()
def notify_saved_searches(item_id: int) -> int:
    """Email the people whose saved searches match a newly visible item. Returns how many were
    told. (Implemented with saved searches in services/saved_searches.py.)"""
    from localdigital.pipeline.services.saved_searches import saved_searches_notify_for_item

    return saved_searches_notify_for_item(item_id=item_id)


@task()
def pipeline_housekeeping() -> str:
    """The daily run as a task (for schedulers that enqueue rather than run commands)."""
    from localdigital.pipeline.services.freshness import pipeline_housekeeping_run

    return pipeline_housekeeping_run().summary()
