"""`python manage.py catalogue_housekeeping [--now ISO]`: the catalogue's daily run (from cron or a
systemd timer): nudge adopters a month before their record lapses, recount adopters, and drop
TCoP tiers that have lapsed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from localdigital.catalogue.services.adoption import catalogue_housekeeping_run


class Command(BaseCommand):
    help = "Nudge adopters and lapse TCoP tiers in the catalogue (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Run as if it were this moment (ISO 8601, with zone)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError("Give --now as an ISO 8601 date and time with a time zone")
        self.stdout.write(catalogue_housekeeping_run(now=now))
