"""`python manage.py pipeline_housekeeping [--now ISO]`: the Pipeline's daily run (from cron or a
systemd timer): review nudges, archiving stale items, interest reminders and escalations."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from localdigital.pipeline.services.freshness import pipeline_housekeeping_run


class Command(BaseCommand):
    help = "Nudge, archive and escalate in the Pipeline (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Run as if it were this moment (ISO 8601, with zone)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError("Give --now as an ISO 8601 date and time with a time zone")
        self.stdout.write(pipeline_housekeeping_run(now=now).summary())
