"""Import the known Declaration signatories (data/declaration_signatories.csv) as real records.

Every row is a real organisation that public evidence shows signed; the import adds nothing
else. Each becomes a signing with method "imported", its evidence and its source, and a date no
more precise than the evidence gives. Running it again creates nothing: an organisation that
already has an active signing, or an imported one it later withdrew, is left alone.
"""

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.declaration.models import Signing
from localdigital.organisations.models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
SIGNATORIES_FILE = DATA_DIR / "declaration_signatories.csv"
COLUMNS = ("name", "date_signed", "source", "evidence", "local_authority_code")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^\d{4}-\d{2}$")


class SignatoryImportError(Exception):
    """The signatories file is malformed or names councils that are not loaded. Nothing was
    written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class SignatoryRow:
    line: int
    name: str
    signed_on: dt.date | None
    precision: str
    source: str
    evidence: str
    codes: list[str]


@dataclass
class ImportResult:
    """What the import did: signings and organisations created, rows already in the Hub."""

    dataset_id: str
    version: str
    rows: int = 0
    signings_created: int = 0
    organisations_created: int = 0
    unchanged: int = 0
    skipped: int = 0  # councils named in the file but not in the database
    created_codes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.signings_created or self.organisations_created)


def read_metadata(path: Path) -> dict[str, Any]:
    """The YAML beside the data file: id, version, source, licence and the organisations that
    have no council code."""
    meta_path = path.with_suffix(".yaml")
    if not meta_path.exists():
        meta_path = SIGNATORIES_FILE.with_suffix(".yaml")
    with meta_path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def parse_date(raw: str) -> tuple[dt.date | None, str]:
    """A date in the file as (date, precision): a day, a month (its first day) or not known."""
    raw = raw.strip()
    if not raw:
        return None, Signing.DatePrecision.UNKNOWN
    if DAY.match(raw):
        return dt.date.fromisoformat(raw), Signing.DatePrecision.DAY
    if MONTH.match(raw):
        year, month = (int(part) for part in raw.split("-"))
        return dt.date(year, month, 1), Signing.DatePrecision.MONTH
    raise ValueError(raw)


def parse_signatories(path: Path, *, extra_organisations: dict[str, Any]) -> list[SignatoryRow]:
    """Read and check the whole file; raise SignatoryImportError listing every problem."""
    problems: list[str] = []
    rows: list[SignatoryRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise SignatoryImportError([f"{path.name}: add the columns {', '.join(missing)}"])
        for line, record in enumerate(reader, start=2):
            name = (record["name"] or "").strip()
            where = f"{path.name}, row {line}"
            if not name:
                problems.append(f"{where}, column 'name': enter the organisation's name")
                continue
            try:
                signed_on, precision = parse_date(record["date_signed"] or "")
            except ValueError:
                problems.append(
                    f"{where}, column 'date_signed': enter a date like 2018-07-04 or 2018-07, "
                    "or leave it empty"
                )
                continue
            if signed_on is not None and signed_on > timezone.localdate():
                problems.append(f"{where}, column 'date_signed': the date is in the future")
                continue
            codes = [c.strip() for c in (record["local_authority_code"] or "").split(";")]
            codes = [c for c in codes if c]
            if not codes and name not in extra_organisations:
                problems.append(
                    f"{where}: {name} has no council code, so add it to "
                    "organisations_without_codes in the metadata file"
                )
                continue
            rows.append(
                SignatoryRow(
                    line=line,
                    name=name,
                    signed_on=signed_on,
                    precision=precision,
                    source=(record["source"] or "").strip(),
                    evidence=(record["evidence"] or "").strip(),
                    codes=codes,
                )
            )
    if problems:
        raise SignatoryImportError(problems)
    return rows


def _organisation_without_code(name: str, spec: dict[str, Any]) -> tuple[Organisation, bool]:
    """The organisation a codeless row names: found by its code or name, or created once."""
    existing = (
        Organisation.objects.filter(code=spec["code"]).first()
        or Organisation.objects.filter(name__iexact=name).first()
    )
    if existing is not None:
        return existing, False
    organisation = Organisation(
        code=spec["code"],
        name=name,
        short_name=spec.get("short_name") or name,
        kind=spec["kind"],
        nation=spec.get("nation", ""),
    )
    organisation.search_text = organisation.build_search_text()
    organisation.full_clean()
    organisation.save()
    return organisation, True


@transaction.atomic
def signatories_import(
    *,
    path: Path | None = None,
    actor: Any = None,
    strict: bool = False,
    warn: Callable[[str], Any] | None = None,
) -> ImportResult:
    """Create a signing for every known signatory that has none yet (see the module docstring).

    Checks the whole file before writing. A council code that is not loaded stops the import
    when `strict`; otherwise that row is skipped and reported through `warn` (a database with
    only a few councils, as in some tests, still gets the signatories it has). Writes one audit
    event when it changed something.
    """
    path = path or SIGNATORIES_FILE
    meta = read_metadata(path)
    extra = meta.get("organisations_without_codes") or {}
    rows = parse_signatories(path, extra_organisations=extra)
    codes = {code for row in rows for code in row.codes}
    councils = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(councils))
    if unknown:
        message = (
            f"{path.name}: no organisation has the code {', '.join(unknown)}. Run "
            "`python manage.py load_reference_data` first."
        )
        if strict:
            raise SignatoryImportError([message])
        if warn is not None:
            warn(f"Skipped signatories whose councils are not loaded. {message}")
    # An organisation keeps its own history: one that signed on the Hub, or withdrew an
    # imported signing, must not get the public evidence back as a new signing.
    already = set(
        Signing.objects.filter(
            Q(status=Signing.Status.ACTIVE) | Q(method=Signing.Method.IMPORTED)
        ).values_list("organisation_id", flat=True)
    )
    result = ImportResult(dataset_id=meta.get("id", path.stem), version=str(meta.get("version")))
    for row in rows:
        result.rows += 1
        if row.codes:
            organisations = [councils[code] for code in row.codes if code in councils]
            result.skipped += len(row.codes) - len(organisations)
        else:
            organisation, created = _organisation_without_code(row.name, extra[row.name])
            result.organisations_created += created
            organisations = [organisation]
        for organisation in organisations:
            if organisation.pk in already:
                result.unchanged += 1
                continue
            signing = Signing(
                organisation=organisation,
                status=Signing.Status.ACTIVE,
                method=Signing.Method.IMPORTED,
                signed_on=row.signed_on,
                signed_on_precision=row.precision,
                evidence=row.evidence[:500],
                source_url=row.source[:500],
            )
            signing.full_clean()
            signing.save()
            already.add(organisation.pk)
            result.signings_created += 1
            result.created_codes.append(organisation.code)
    if result.changed:
        event_log(
            actor=actor,
            action="declaration.signatories_import",
            summary=(
                f"Imported {result.signings_created} known Declaration signatories from "
                f"{result.dataset_id} {result.version}"
            ),
            data={
                "dataset": result.dataset_id,
                "version": result.version,
                "signings_created": result.signings_created,
                "organisations_created": result.organisations_created,
                "skipped": result.skipped,
                "codes": result.created_codes,
            },
        )
    return result
