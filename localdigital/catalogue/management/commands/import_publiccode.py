"""`python manage.py import_publiccode PATH... [--organisation CODE]`: add or update catalogue
assets from publiccode.yml files. Every error and warning is printed with its file, line and
column; a file with any error writes nothing and the command exits non-zero (the other files are
still imported, each on its own)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from localdigital.catalogue.publiccode import MAX_BYTES
from localdigital.catalogue.services.publiccode import (
    PubliccodeInvalid,
    owners_for,
    publiccode_import,
)
from localdigital.core.exceptions import ApplicationError


def located(path: Path, message: Any, level: str) -> str:
    """A message as compilers print them: file:line:column: level: key: text."""
    where = f"{path}:{message.line or 0}:{message.column or 0}"
    return f"{where}: {level}: {message.key or '(file)'}: {message.text}"


class Command(BaseCommand):
    help = "Import publiccode.yml files into the catalogue (keyed by repository URL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", help="publiccode.yml files")
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            help="Owning organisation of new assets (Hub, mySociety or GSS code); repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            owners = owners_for(options["organisation"])
        except ApplicationError as error:
            raise CommandError(error.message) from None
        failed = 0
        for name in options["paths"]:
            path = Path(name)
            if not path.is_file():
                self.stderr.write(f"{path}: no such file")
                failed += 1
                continue
            if path.stat().st_size > MAX_BYTES:
                self.stderr.write(f"{path}: the file is larger than 1 MB")
                failed += 1
                continue
            try:
                outcome = publiccode_import(actor=None, content=path.read_bytes(), owners=owners)
            except PubliccodeInvalid as error:
                failed += 1
                self.stderr.write(f"{path}: {error.message}")
                for message in error.report.errors:
                    self.stderr.write(located(path, message, "error"))
                for message in error.report.warnings:
                    self.stderr.write(located(path, message, "warning"))
                continue
            except ApplicationError as error:
                failed += 1
                self.stderr.write(f"{path}: {error.message}")
                continue
            for message in outcome.report.warnings:
                self.stdout.write(located(path, message, "warning"))
            verb = "created" if outcome.created else "updated" if outcome.changed else "unchanged"
            self.stdout.write(f"{path}: {verb} {outcome.asset.slug}")
        if failed:
            raise CommandError(f"{failed} of {len(options['paths'])} files were not imported")
