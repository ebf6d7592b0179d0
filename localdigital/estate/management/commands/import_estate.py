"""`python manage.py import_estate FILE --organisation CODE [--map "NAME=product-slug" ...]
[--in-house "NAME" ...] [--dry-run]`: import a council's register from a CSV or XLSX file
through the same service as the upload page.

Every problem is printed as FILE:row N: column: message, and products the Hub does not know are
listed with how to map them; with any of either, nothing is written and the command exits
non-zero. Success prints the counts."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import Product
from localdigital.estate.services.imports import (
    IN_HOUSE,
    import_apply,
    import_map,
    import_start,
)
from localdigital.organisations.models import Organisation


class Rollback(Exception):
    """Leave the database as it was (a dry run, or a file with problems)."""


class Command(BaseCommand):
    help = "Import a council's systems register from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A CSV or XLSX file in the template's columns")
        parser.add_argument("--organisation", required=True, help="The council's code")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="NAME=PRODUCT-SLUG",
            help="Import the unknown product NAME as the approved product with this slug",
        )
        parser.add_argument(
            "--in-house",
            action="append",
            default=[],
            metavar="NAME",
            help="Import the unknown product NAME as an in-house or other system",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        code = options["organisation"]
        organisation = (
            Organisation.objects.filter(code=code).first()
            or Organisation.objects.filter(gss_code=code).first()
        )
        if organisation is None:
            raise CommandError(f"There is no council with the code {code}")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read: {error.strerror}") from None
        answers = self._answers(options["map"], options["in_house"])
        problems = 0
        try:
            with transaction.atomic():
                problems, summary = self._import(path, organisation, data, answers, options)
                if problems or options["dry_run"]:
                    raise Rollback
        except Rollback:
            pass
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from None
        if problems:
            raise CommandError(f"{path}: {problems} problems, so nothing was imported")
        self.stdout.write(summary)

    def _answers(self, maps: list[str], in_house: list[str]) -> dict[str, str]:
        """The person's answers, by lower-cased unknown product name."""
        answers: dict[str, str] = {}
        for item in maps:
            name, _, slug = item.rpartition("=")
            if not name.strip() or not slug.strip():
                raise CommandError(f'--map "{item}": write it as "NAME=product-slug"')
            product = Product.objects.filter(
                slug=slug.strip(), status=Product.Status.APPROVED
            ).first()
            if product is None:
                raise CommandError(f'--map "{item}": no approved product has the slug {slug}')
            answers[name.strip().lower()] = str(product.pk)
        for name in in_house:
            answers[name.strip().lower()] = IN_HOUSE
        return answers

    def _import(
        self,
        path: Path,
        organisation: Organisation,
        data: bytes,
        answers: dict[str, str],
        options: dict[str, Any],
    ) -> tuple[int, str]:
        estate_import = import_start(
            actor=None, organisation=organisation, file_name=path.name, data=data
        )
        if estate_import.unknown_products:
            by_key = {}
            for entry in estate_import.unknown_products:
                answer = answers.get(entry["name"].lower())
                if answer is not None:
                    by_key[entry["key"]] = answer
            if by_key:
                import_map(actor=None, estate_import=estate_import, answers=by_key)
        for row, column, message in estate_import.errors:
            self.stderr.write(f"{path}:row {row}: {column}: {message}")
        unmapped = [
            entry
            for entry in estate_import.unknown_products
            if not entry["product"] and not entry["in_house"]
        ]
        for entry in unmapped:
            rows = ", ".join(str(row) for row in entry["rows"])
            if entry["count"] > len(entry["rows"]):
                rows += f" and {entry['count'] - len(entry['rows'])} more"
            self.stderr.write(
                f'{path}: unknown product "{entry["name"]}" (rows {rows}): add '
                f'--map "{entry["name"]}=product-slug" to import it as a product on the list, '
                f'or --in-house "{entry["name"]}"'
            )
        problems = len(estate_import.errors) + len(unmapped)
        if problems:
            return problems, ""
        created, updated = estate_import.created_count, estate_import.updated_count
        unchanged = len(estate_import.rows) - created - updated
        if options["dry_run"]:
            return 0, (
                f"{path}: would add {created} systems and change {updated} "
                f"({unchanged} unchanged) for {organisation.code}; nothing written (--dry-run)"
            )
        import_apply(actor=None, estate_import=estate_import)
        return 0, (
            f"{path}: imported into {organisation.code}: {created} systems added, "
            f"{updated} changed, {unchanged} unchanged"
        )
