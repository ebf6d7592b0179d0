"""Catalogue background tasks."""

from django_tasks import task


@task()
def catalogue_housekeeping() -> str:
    """The daily run as a task (for schedulers that enqueue rather than run commands)."""
    from django.utils import timezone

    from localdigital.catalogue.services.adoption import adoption_housekeeping_run
    from localdigital.catalogue.services.tcop import tcop_housekeeping_run

    adoption = adoption_housekeeping_run()
    lapsed = tcop_housekeeping_run(today=timezone.localdate())
    return f"{adoption.summary()}, {lapsed} TCoP tiers lapsed"
