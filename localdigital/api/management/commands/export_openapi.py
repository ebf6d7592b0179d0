"""Write the committed OpenAPI document (docs/api/openapi.json) from the code."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from localdigital.api.schema import committed_schema_path, render_schema


class Command(BaseCommand):
    help = "Regenerate docs/api/openapi.json; a test fails when it drifts from the code."

    def add_arguments(self, parser):  # noqa: ANN001, ANN201
        parser.add_argument("--check", action="store_true", help="Only report drift; exit 1.")

    def handle(self, *args, **options):  # noqa: ANN002, ANN003, ANN201
        path: Path = committed_schema_path()
        text = render_schema()
        if options["check"]:
            current = path.read_text() if path.exists() else ""
            if current != text:
                self.stderr.write(f"{path.relative_to(settings.BASE_DIR)} is out of date.")
                raise SystemExit(1)
            self.stdout.write("The committed OpenAPI document matches the code.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths = len(json.loads(text).get("paths", {}))
        self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)} ({paths} paths).")
