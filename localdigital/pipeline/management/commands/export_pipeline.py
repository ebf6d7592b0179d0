"""`python manage.py export_pipeline [--organisation CODE] [-o FILE]`: Pipeline items in the
import format (public and members-only items; never drafts)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from localdigital.core.exports import csv_text
from localdigital.pipeline.exports import COLUMNS, item_rows
from localdigital.pipeline.models import Item


class Command(BaseCommand):
    help = "Export Pipeline items as CSV in the format import_pipeline reads."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", help="Only this lead organisation (code)")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file, not stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        items = (
            Item.objects.exclude(visibility=Item.Visibility.DRAFT)
            .select_related("organisation", "service_area")
            .prefetch_related("tags")
            .order_by("organisation__code", "title", "pk")
        )
        if options["organisation"]:
            items = items.filter(organisation__code__iexact=options["organisation"])
            if not items.exists():
                raise CommandError(f"No items for the organisation {options['organisation']}")
        # Exactly what import_pipeline reads back (no spreadsheet-formula guard on this file).
        text = csv_text(COLUMNS, item_rows(items), safe=False)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {items.count()} items to {options['output']}")
        else:
            sys.stdout.write(text)
