"""Cyber health background tasks."""

from django_tasks import task


@task()
def cyber_housekeeping() -> str:
    """The daily run as a task (for schedulers that enqueue rather than run commands)."""
    from localdigital.cyber.services.housekeeping import cyber_housekeeping_run

    return cyber_housekeeping_run()
