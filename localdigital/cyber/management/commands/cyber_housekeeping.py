"""`python manage.py cyber_housekeeping [--today YYYY-MM-DD]`: cyber health's daily run (from
cron or a systemd timer): remind the owners of overdue plan actions, once a week at most."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from localdigital.cyber.services.housekeeping import cyber_housekeeping_run


class Command(BaseCommand):
    help = "Remind owners of overdue cyber plan actions (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Run as if it were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = parse_date(options["today"])
            except ValueError:
                today = None
            if today is None:
                raise CommandError("Give --today as a date like 2026-12-02")
        self.stdout.write(cyber_housekeeping_run(today=today))
