"""Catalogue background tasks."""

from django_tasks import task


@task()
def catalogue_housekeeping() -> str:
    """The daily run as a task (for schedulers that enqueue rather than run commands)."""
    from localdigital.catalogue.services.adoption import catalogue_housekeeping_run

    return catalogue_housekeeping_run()
