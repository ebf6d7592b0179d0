"""`manage.py load_reference_data`: load every reference data set, or only the ones named."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.reference_data import LoadResult, ReferenceDataError, loaders


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


class Command(BaseCommand):
    help = (
        "Load the Hub's reference data (councils, and later frameworks and standards). "
        "Safe to rerun: it creates and updates records, never deletes them, and a second run "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="Load only this data set (repeat for more). Run with --list to see the names.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            help="Read this file instead of the project's copy (needs exactly one --only).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change, then write nothing.",
        )
        parser.add_argument("--list", action="store_true", help="List the data sets and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        available = {loader.name: loader for loader in loaders()}
        if options["list"]:
            for loader in available.values():
                self.stdout.write(f"{loader.name}: {loader.description}")
            return
        unknown = [name for name in options["only"] if name not in available]
        if unknown:
            raise CommandError(
                f"Unknown data set {', '.join(unknown)}. Choose from {', '.join(available)}."
            )
        chosen = [
            loader
            for loader in available.values()
            if not options["only"] or loader.name in options["only"]
        ]
        source = options["source"]
        if source is not None:
            if len(chosen) != 1:
                raise CommandError("Use --source with exactly one --only data set.")
            if not source.exists():
                raise CommandError(f"{source}: no such file.")

        results: list[LoadResult] = []
        try:
            # One transaction for everything: a bad file anywhere leaves the database untouched.
            with transaction.atomic():
                for loader in chosen:
                    result = loader.load(path=source)
                    results.append(result)
                    if result.changed and not options["dry_run"]:
                        event_log(
                            actor=None,
                            action="reference_data.load",
                            summary=f"Loaded reference data: {result.summary()}",
                            data={
                                "loader": result.name,
                                "dataset": result.dataset_id,
                                "version": result.version,
                                "created": result.created,
                                "updated": result.updated,
                                **result.details,
                            },
                        )
                if options["dry_run"]:
                    raise DryRunRollback
        except ReferenceDataError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from error
        except DryRunRollback:
            pass

        prefix = "Dry run, nothing written. " if options["dry_run"] else ""
        for result in results:
            self.stdout.write(self.style.SUCCESS(f"{prefix}{result.summary()}"))
