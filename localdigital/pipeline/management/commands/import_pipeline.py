"""`python manage.py import_pipeline FILE.csv [--dry-run]`: add or update Pipeline items from a
CSV file (columns in docs/pipeline.md). A file with any error writes nothing and exits non-zero."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from localdigital.pipeline.services.imports import ImportFailed, pipeline_import


class Command(BaseCommand):
    help = "Import Pipeline items from CSV: all rows or none."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            result = pipeline_import(
                actor=None, content=path.read_bytes(), dry_run=options["dry_run"]
            )
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(
                f"{len(failure.errors)} problems in {path.name}. Nothing was imported."
            ) from None
        prefix = "Dry run, nothing written. " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
