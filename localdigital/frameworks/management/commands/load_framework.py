"""`manage.py load_framework PATH [--statements PATH]`: check and load one framework file.

PATH may also be a crosswalk file (a name with `crosswalk` in it), loaded between two versions
already loaded.

With `--statements` it also adds a statements overlay (official indicator text) to that version;
given alone, `--statements` adds one to a version loaded before. Every problem in either file is
listed and nothing is written when there is one. docs/frameworks.md describes both formats.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks import services
from localdigital.frameworks.reference_data import is_crosswalk, parse_crosswalks, parse_files


class Command(BaseCommand):
    help = (
        "Check and load one framework file (and optionally its statements overlay). A version "
        "already loaded from the same content is left as it is; different content under the "
        "same version is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="The framework YAML file.")
        parser.add_argument(
            "--statements",
            type=Path,
            metavar="PATH",
            help="A statements overlay adding official indicator text to the version.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["path"]
        statements: Path | None = options["statements"]
        if path is None and statements is None:
            raise CommandError("Give a framework file, a --statements file, or both.")
        for given in (path, statements):
            if given is not None and not given.is_file():
                raise CommandError(f"{given}: no such file.")
        crosswalk = path is not None and is_crosswalk(path)
        try:
            walks = parse_crosswalks([path] if path and crosswalk else [])
            specs, overlays = parse_files(
                [path] if path and not crosswalk else [], [statements] if statements else []
            )
            with transaction.atomic():
                lines = [services.framework_load(actor=None, spec=spec).summary() for spec in specs]
                lines += [
                    services.framework_statements_load(actor=None, spec=overlay).summary()
                    for overlay in overlays
                ]
                lines += [
                    services.crosswalk_load(actor=None, spec=walk).summary() for walk in walks
                ]
        except ReferenceDataError as error:
            count = len(error.problems)
            raise CommandError(
                f"Nothing was loaded: {count} problem{'s' if count != 1 else ''}.\n{error}"
            ) from error
        for line in lines:
            self.stdout.write(self.style.SUCCESS(line))
