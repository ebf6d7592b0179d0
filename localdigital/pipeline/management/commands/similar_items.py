"""`python manage.py similar_items --text "..." [--limit 5] [--json]`: Pipeline items most like a
text, as an anonymous visitor would see them (public, active items only)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from localdigital.pipeline.matching.engine import similar_to_text


class Command(BaseCommand):
    help = "Print the Pipeline items most like a text, best first."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--text", required=True, help="The text to match")
        parser.add_argument("--limit", type=int, default=5, help="How many items (1 to 50)")
        parser.add_argument("--json", action="store_true", help="Print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        text, limit = options["text"].strip(), options["limit"]
        if not text:
            raise CommandError("Enter some text to match")
        if not 1 <= limit <= 50:
            raise CommandError("The limit must be between 1 and 50")
        results = similar_to_text(text, limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        if not results:
            self.stdout.write("No similar items.")
        for n, result in enumerate(results, start=1):
            self.stdout.write(
                f"{n}. {result['title']} ({result['organisation']}) score {result['score']}"
            )
            for reason in result["why"]:
                self.stdout.write(f"     {reason}")
