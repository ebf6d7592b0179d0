"""Delete read notifications past their retention period (run it daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import (
    READ_NOTIFICATION_RETENTION_DAYS,
    notification_prune_read,
)


class Command(BaseCommand):
    help = "Delete notifications that were read more than N days ago (default 180)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=READ_NOTIFICATION_RETENTION_DAYS,
            help="Delete read notifications older than this many days.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = notification_prune_read(older_than_days=options["days"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Deleted {deleted} read notifications older than {options['days']} days."
        )
