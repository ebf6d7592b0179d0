"""The councils loader: every UK local authority from mySociety's names and codes file.

It checks the whole file first (columns, dates, numbers, duplicate codes, codes that refer to rows
that are not there) and only then writes, so a bad file changes nothing. It creates and updates
organisations but never deletes one: a council that has gone keeps its record, its end date and
its successors, which is how data survives a reorganisation.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from localdigital.core.reference_data import (
    LoadResult,
    Problem,
    ReferenceDataError,
    read_metadata,
    register,
)
from localdigital.organisations.models import Organisation

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "uk_local_authorities.csv"

REQUIRED_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "start-date",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
    "local-authority-type-name",
    "county-la",
    "combined-authority",
    "alt-names",
    "former-gss-codes",
    "current-authority",
    "gov-uk-slug",
    "pop-2020",
    "lat",
    "long",
)

GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# mySociety separates alternative names with a bare comma; a comma followed by a space belongs
# to a name ("Armagh City, Banbridge and Craigavon").
ALT_NAME_SEPARATOR = re.compile(r",(?! )")
COMBINED_AUTHORITY_TYPE = "COMB"
SIX_PLACES = Decimal("0.000001")

# Fields the file owns. The loader compares these to decide whether a council changed.
SCALAR_FIELDS = (
    "gss_code",
    "former_gss_codes",
    "kind",
    "name",
    "short_name",
    "alt_names",
    "nation",
    "region",
    "la_type",
    "la_type_name",
    "gov_uk_slug",
    "population",
    "latitude",
    "longitude",
    "start_date",
    "end_date",
    "is_current",
    "reference_data_id",
    "search_text",
)


@dataclass
class CouncilRow:
    row: int
    code: str
    values: dict[str, Any]
    county: str = ""
    combined_authority: str = ""
    successors: list[str] = field(default_factory=list)


class _RowReader:
    """Turns one CSV row into typed values, recording a Problem for each bad cell."""

    def __init__(self, file: str, row: int, record: dict[str, str], problems: list[Problem]):
        self.file = file
        self.row = row
        self.record = record
        self.problems = problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, row=self.row, column=column))

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        value = (self.record.get(column) or "").strip()
        if required and not value:
            self.problem(column, "This value is missing")
        elif len(value) > max_length:
            self.problem(column, f"Longer than {max_length} characters")
        return value

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"'{value}' is not a date in the form 2023-04-01")
            return None

    def decimal(self, column: str, *, low: int, high: int) -> Decimal | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not low <= number <= high:
            self.problem(column, f"'{value}' is not a number between {low} and {high}")
            return None
        return number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)

    def whole_number(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0 or number % 1:
            self.problem(column, f"'{value}' is not a whole number of 0 or more")
            return None
        return int(number)

    def boolean(self, column: str) -> bool:
        value = self.text(column)
        if value not in ("True", "False"):
            self.problem(column, f"'{value}' is not True or False")
        return value == "True"

    def codes(self, column: str) -> list[str]:
        return [
            code.strip() for code in self.text(column, max_length=400).split(",") if code.strip()
        ]


def _alt_names(raw: str, *, exclude: tuple[str, ...]) -> str:
    """Alternative names, one a line, without repeats or the council's own names."""
    seen = {name.lower() for name in exclude}
    names = []
    for name in ALT_NAME_SEPARATOR.split(raw):
        name = " ".join(name.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return "\n".join(names)


def parse_councils(path: Path, *, dataset_id: str) -> list[CouncilRow]:
    """Read and check the whole file. Raises ReferenceDataError listing every problem found."""
    file = path.name
    problems: list[Problem] = []
    rows: list[CouncilRow] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ReferenceDataError(
                [
                    Problem(file, "This column is missing from the header", row=1, column=column)
                    for column in missing
                ]
            )
        for record in reader:
            cells = _RowReader(file, reader.line_num, record, problems)
            code = cells.text("local-authority-code", required=True, max_length=40)
            name = cells.text("official-name", required=True)
            short_name = cells.text("nice-name", required=True)
            gss_code = cells.text("gss-code", max_length=9)
            if gss_code and not GSS_CODE.match(gss_code):
                cells.problem("gss-code", f"'{gss_code}' is not a GSS code like E09000012")
            former = cells.codes("former-gss-codes")
            for former_code in former:
                if not GSS_CODE.match(former_code):
                    cells.problem(
                        "former-gss-codes", f"'{former_code}' is not a GSS code like E09000012"
                    )
            nation = cells.text("nation")
            if nation and nation not in Organisation.Nation.values:
                cells.problem("nation", f"'{nation}' is not a UK nation")
            la_type = cells.text("local-authority-type", required=True, max_length=10)
            start_date = cells.date("start-date")
            end_date = cells.date("end-date")
            if start_date and end_date and end_date < start_date:
                cells.problem("end-date", "The end date is before the start date")
            values = {
                "gss_code": gss_code,
                "former_gss_codes": ",".join(former),
                "kind": (
                    Organisation.Kind.COMBINED_AUTHORITY
                    if la_type == COMBINED_AUTHORITY_TYPE
                    else Organisation.Kind.COUNCIL
                ),
                "name": name,
                "short_name": short_name,
                "alt_names": _alt_names(
                    cells.text("alt-names", max_length=2000), exclude=(name, short_name)
                ),
                "nation": nation,
                "region": cells.text("region", max_length=60),
                "la_type": la_type,
                "la_type_name": cells.text(
                    "local-authority-type-name", required=True, max_length=60
                ),
                "gov_uk_slug": cells.text("gov-uk-slug", max_length=100),
                "population": cells.whole_number("pop-2020"),
                "latitude": cells.decimal("lat", low=-90, high=90),
                "longitude": cells.decimal("long", low=-180, high=180),
                "start_date": start_date,
                "end_date": end_date,
                "is_current": cells.boolean("current-authority"),
                "reference_data_id": dataset_id,
            }
            values["search_text"] = Organisation(code=code, **values).build_search_text()
            county = cells.codes("county-la")
            combined = cells.codes("combined-authority")
            for column, linked in (("county-la", county), ("combined-authority", combined)):
                if len(linked) > 1:
                    cells.problem(column, "Give one code, not a list")
            rows.append(
                CouncilRow(
                    row=reader.line_num,
                    code=code,
                    values=values,
                    county=county[0] if county else "",
                    combined_authority=combined[0] if combined else "",
                    successors=cells.codes("replaced-by"),
                )
            )
    problems += _check_across_rows(file, rows)
    if problems:
        raise ReferenceDataError(problems)
    return rows


def _check_across_rows(file: str, rows: list[CouncilRow]) -> list[Problem]:
    """Duplicate codes, and references to codes the file does not have."""
    problems = []
    first_seen: dict[str, int] = {}
    gss_seen: dict[str, int] = {}
    for council in rows:
        if council.code in first_seen:
            problems.append(
                Problem(
                    file,
                    f"The code {council.code} is also on row {first_seen[council.code]}",
                    row=council.row,
                    column="local-authority-code",
                )
            )
        elif council.code:
            first_seen[council.code] = council.row
        gss_code = council.values["gss_code"]
        if gss_code and gss_code in gss_seen:
            problems.append(
                Problem(
                    file,
                    f"The GSS code {gss_code} is also on row {gss_seen[gss_code]}",
                    row=council.row,
                    column="gss-code",
                )
            )
        elif gss_code:
            gss_seen[gss_code] = council.row
    for council in rows:
        links = [("county-la", council.county), ("combined-authority", council.combined_authority)]
        links += [("replaced-by", code) for code in council.successors]
        for column, code in links:
            if code and code not in first_seen:
                problems.append(
                    Problem(
                        file,
                        f"No row has the code {code}",
                        row=council.row,
                        column=column,
                    )
                )
            elif code and code == council.code:
                problems.append(
                    Problem(file, "A council cannot refer to itself", council.row, column)
                )
    return problems


@register(
    "councils",
    description="Every UK local authority, current and former (mySociety names and codes).",
    order=10,
)
def load_councils(*, path: Path | None = None) -> LoadResult:
    """Create or update every council in the file and record tier links and reorganisations.

    Like `update_or_create` for each row, but it compares first and writes only what changed, so
    a second run with the same file reports nothing created and nothing updated.
    """
    path = path or DEFAULT_PATH
    meta = read_metadata(path, default=DEFAULT_PATH)
    dataset_id = str(meta["id"])
    rows = parse_councils(path, dataset_id=dataset_id)
    result = LoadResult(
        name="councils", dataset_id=dataset_id, version=str(meta["version"]), rows=len(rows)
    )

    existing = {
        org.code: org for org in Organisation.objects.filter(code__in=[r.code for r in rows])
    }
    to_create: list[Organisation] = []
    to_update: list[Organisation] = []
    updated_codes: set[str] = set()
    for council in rows:
        organisation = existing.get(council.code)
        if organisation is None:
            to_create.append(Organisation(code=council.code, **council.values))
            continue
        changed = [f for f in SCALAR_FIELDS if getattr(organisation, f) != council.values[f]]
        if changed:
            for name in changed:
                setattr(organisation, name, council.values[name])
            to_update.append(organisation)
            updated_codes.add(council.code)
    # The file was checked as a whole above; a per-row full_clean would add a query per unique
    # field per row and find nothing new.
    Organisation.objects.bulk_create(to_create, batch_size=200)
    Organisation.objects.bulk_update(to_update, SCALAR_FIELDS, batch_size=200)
    result.created = len(to_create)

    # Tier links need every council to exist first, so they are a second pass.
    by_code = {
        org.code: org for org in Organisation.objects.filter(code__in=[r.code for r in rows])
    }
    relinked: list[Organisation] = []
    for council in rows:
        organisation = by_code[council.code]
        county_id = by_code[council.county].pk if council.county else None
        combined_id = by_code[council.combined_authority].pk if council.combined_authority else None
        if (organisation.county_id, organisation.combined_authority_id) != (county_id, combined_id):
            organisation.county_id = county_id
            organisation.combined_authority_id = combined_id
            relinked.append(organisation)
            if council.code in existing:
                updated_codes.add(council.code)
    Organisation.objects.bulk_update(relinked, ["county", "combined_authority"], batch_size=200)

    # Successor links are only ever added: a reorganisation is history and stays recorded.
    through = Organisation.successors.through
    wanted = {
        (by_code[council.code].pk, by_code[successor].pk)
        for council in rows
        for successor in council.successors
    }
    have = set(
        through.objects.filter(from_organisation_id__in=[pk for pk, _ in wanted]).values_list(
            "from_organisation_id", "to_organisation_id"
        )
    )
    new_links = sorted(wanted - have)
    through.objects.bulk_create(
        [through(from_organisation_id=a, to_organisation_id=b) for a, b in new_links]
    )

    result.updated = len(updated_codes)
    result.unchanged = result.rows - result.created - result.updated
    result.details = {"successor links added": len(new_links)}
    return result
