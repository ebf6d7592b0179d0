"""`python manage.py send_declaration_reminders`: remind signatories of overdue progress reports.

Meant for a daily scheduled run. Each overdue commitment's organisation admins are notified at
most once every 14 days, so running it more often sends nothing extra.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from localdigital.declaration import selectors
from localdigital.declaration.reminders import commitment_reminders_send


class Command(BaseCommand):
    help = "Notify the admins of organisations whose Declaration progress report is overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the commitments that would be reminded, and send nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            due = selectors.commitments_due_a_reminder(now=timezone.now())
            for commitment in due:
                self.stdout.write(
                    f"{commitment.organisation.code}: {commitment.title} "
                    f"(due {commitment.progress_due_on.isoformat()})"
                )
            self.stdout.write(f"{due.count()} commitments are due a reminder. Nothing was sent.")
            return
        with transaction.atomic():
            result = commitment_reminders_send(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminded {len(result.reminded)} commitments "
                f"({result.notifications} notifications)."
            )
        )
        for commitment in result.without_admins:
            self.stderr.write(
                f"{commitment.organisation.code} has no admin to remind about '{commitment.title}'."
            )
