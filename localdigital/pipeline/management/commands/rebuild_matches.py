"""`python manage.py rebuild_matches`: recompute every item's features and similar work (after a
thesaurus change, or to repair). Prints the figures as JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from localdigital.pipeline.matching.engine import rebuild_all_matches


class Command(BaseCommand):
    help = "Rebuild every Pipeline item's matching features and stored matches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--keep-documents", action="store_true", help="Reuse the stored features"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: one per CPU core, at most 8)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stats = rebuild_all_matches(
            rebuild_documents=not options["keep_documents"], workers=options["workers"]
        )
        self.stdout.write(json.dumps(stats))
