"""`python manage.py evaluate_matching [--json]`: matchmaking quality on the evaluation set."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from localdigital.pipeline.matching.evaluation import evaluate


class Command(BaseCommand):
    help = "Measure matchmaking quality: top-3 share and mean reciprocal rank."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        result = evaluate()
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{result['queries']} queries over {result['corpus']} items: "
            f"top 1 {result['top1_share']:.0%}, top 3 {result['top3_share']:.0%}, "
            f"MRR {result['mrr']}"
        )
        for miss in result["misses"]:
            self.stdout.write(f"  missed (rank {miss['rank']}): {miss['text']} -> {miss['top']}")
