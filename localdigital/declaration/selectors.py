"""Reads for the Declaration's public register, charts, map, downloads, council pages and the
programme view. Every read here makes a fixed number of queries, however many signatories."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.formats import date_format

from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing
from localdigital.organisations.models import Membership, Organisation
from localdigital.organisations.selectors import (
    DIRECTORY_COLUMNS,
    directory_filter_options,
    organisation_search,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
PUBLISHED_TOTALS_FILE = DATA_DIR / "published_totals.yaml"

# The value the "year signed" filter uses for signatories whose date is not known.
YEAR_UNKNOWN = "unknown"
# The Declaration was launched in July 2018: the growth chart starts that year.
LAUNCH_YEAR = 2018
# A commitment's organisation is reminded about an overdue progress report at most this often.
REMINDER_INTERVAL = dt.timedelta(days=14)

ACTIVE = Signing.Status.ACTIVE
# The signing columns a register row, download row and API record show, under the names they
# carry on the organisation (the register lists organisations, annotated with their signing).
SIGNING_COLUMNS = {
    "signing_id": "id",
    "signed_on": "signed_on",
    "signed_on_precision": "signed_on_precision",
    "signing_method": "method",
    "signing_evidence": "evidence",
    "signing_source_url": "source_url",
    "senior_officer_name": "senior_officer_name",
    "senior_officer_role": "senior_officer_role",
    "political_lead_name": "political_lead_name",
    "political_lead_role": "political_lead_role",
    "signing_statement": "statement",
}


@dataclass
class SignatoryFilters:
    """The register's search and filters, as the page, the downloads and the API take them."""

    q: str = ""
    nations: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    include_former: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.nations or self.regions or self.types or self.years) or bool(
            self.include_former
        )


def signed_on_display(signed_on: dt.date | None, precision: str) -> str:
    """A signing date as precisely as it is known: "4 July 2018", "July 2018" or "Not known"."""
    if signed_on is None or precision == Signing.DatePrecision.UNKNOWN:
        return "Not known"
    if precision == Signing.DatePrecision.MONTH:
        return date_format(signed_on, "F Y")
    if precision == Signing.DatePrecision.YEAR:
        return str(signed_on.year)
    return date_format(signed_on, "j F Y")


def signed_on_phrase(signed_on: dt.date | None, precision: str) -> str:
    """A signing date to follow "signed": "on 4 July 2018", "in July 2018", or "" if unknown."""
    if signed_on is None or precision == Signing.DatePrecision.UNKNOWN:
        return ""
    if precision == Signing.DatePrecision.DAY:
        return f"on {signed_on_display(signed_on, precision)}"
    return f"in {signed_on_display(signed_on, precision)}"


def signed_on_iso(signed_on: dt.date | None, precision: str) -> str:
    """A signing date for data files, no more precise than it is known: 2018-07-04, 2018-07,
    2018, or an empty string."""
    if signed_on is None or precision == Signing.DatePrecision.UNKNOWN:
        return ""
    if precision == Signing.DatePrecision.MONTH:
        return f"{signed_on:%Y-%m}"
    if precision == Signing.DatePrecision.YEAR:
        return f"{signed_on:%Y}"
    return signed_on.isoformat()


def _with_active_signing(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    # At most one signing per organisation is active (a database constraint), so this join
    # never repeats an organisation.
    return (
        queryset.annotate(
            active_signing=FilteredRelation(
                "declaration_signings", condition=Q(declaration_signings__status=ACTIVE)
            )
        )
        .filter(active_signing__isnull=False)
        .annotate(
            **{name: F(f"active_signing__{column}") for name, column in SIGNING_COLUMNS.items()}
        )
    )


def signatory_list(filters: SignatoryFilters | None = None) -> QuerySet[Organisation]:
    """Organisations with an active signing, each annotated with it (`signed_on`,
    `signed_on_precision`, `signing_method`, `signing_evidence`, `signing_source_url`...).

    Current organisations only unless `include_former`. With `q`, best match first (the
    directory's search); otherwise in name order. One query for any number of rows.
    """
    filters = filters or SignatoryFilters()
    queryset = _with_active_signing(Organisation.objects.only(*DIRECTORY_COLUMNS, "la_type"))
    if not filters.include_former:
        queryset = queryset.filter(is_current=True)
    if filters.nations:
        queryset = queryset.filter(nation__in=filters.nations)
    if filters.regions:
        queryset = queryset.filter(region__in=filters.regions)
    if filters.types:
        queryset = queryset.filter(la_type__in=filters.types)
    if filters.years:
        # A date range per year uses the index; `__year__in` would compute the year of every row.
        wanted = Q(pk__in=[])
        for year in {int(year) for year in filters.years if year.isdigit() and len(year) == 4}:
            wanted |= Q(
                active_signing__signed_on__gte=dt.date(year, 1, 1),
                active_signing__signed_on__lt=dt.date(year + 1, 1, 1),
            )
        if YEAR_UNKNOWN in filters.years:
            wanted |= Q(active_signing__signed_on_precision=Signing.DatePrecision.UNKNOWN)
        queryset = queryset.filter(wanted)
    if filters.q:
        return organisation_search(queryset, filters.q)
    return queryset.order_by("short_name", "code")


def signatory_get(code: str) -> Organisation | None:
    """One organisation with an active signing (current or former), by its code; else None."""
    return _with_active_signing(Organisation.objects.all()).filter(code=code).first()


def signatory_filter_options() -> dict[str, list[tuple[str, str]]]:
    """Choices for the register's filter panel: regions and council types (as the directory
    has them) and every year from the first to the last in which a current signatory signed
    (two queries). The years come from the earliest and latest dates, read from the index,
    rather than from every signing, so the panel costs the same however many have signed."""
    options = directory_filter_options()
    span = (
        Signing.objects.filter(status=ACTIVE, signed_on__isnull=False)
        .exclude(signed_on_precision=Signing.DatePrecision.UNKNOWN)
        .aggregate(first=Min("signed_on"), last=Max("signed_on"))
    )
    years = (
        [(str(year), str(year)) for year in range(span["last"].year, span["first"].year - 1, -1)]
        if span["first"]
        else []
    )
    options["years"] = [*years, (YEAR_UNKNOWN, "Not known")]
    return options


@dataclass(frozen=True)
class Coverage:
    """How many of a group of current councils have signed."""

    label: str
    councils: int
    signed: int

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.councils) if self.councils else 0


def _current_councils() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_current=True)


def _has_active_signing() -> Exists:
    return Exists(Signing.objects.filter(organisation=OuterRef("pk"), status=ACTIVE))


def council_coverage() -> Coverage:
    """How many current councils have an active signing, out of all current councils."""
    totals = _current_councils().aggregate(
        councils=Count("pk"),
        signed=Count(
            "pk", filter=Q(pk__in=Signing.objects.filter(status=ACTIVE).values("organisation"))
        ),
    )
    return Coverage("All current councils", totals["councils"], totals["signed"])


def coverage_by(column: str) -> list[Coverage]:
    """Coverage of current councils grouped by `region` or `la_type_name`, largest group first.

    Councils with no region (Scotland, Wales, Northern Ireland) are grouped under their nation.
    """
    rows = (
        _current_councils()
        .annotate(signed=_has_active_signing())
        .values_list(column, "nation", "signed")
        .order_by()
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for value, nation, signed in rows:
        key = value or nation or "Not known"
        counts[key][0] += 1
        counts[key][1] += int(bool(signed))
    groups = [Coverage(label, total, signed) for label, (total, signed) in counts.items()]
    return sorted(groups, key=lambda group: (-group.councils, group.label))


# Growth over time


@dataclass(frozen=True)
class GrowthPeriod:
    """One year of the Hub's own records: signings and withdrawals in it, the total at its end."""

    year: int
    signed: int
    withdrawn: int
    total: int


@dataclass(frozen=True)
class PublishedTotal:
    """A signatory total the programme published, for a month."""

    month: dt.date  # the first day of the month
    count: int
    note: str = ""


@dataclass
class Growth:
    """The growth chart's data: the Hub's yearly totals, and the published totals beside them."""

    periods: list[GrowthPeriod]
    published: list[PublishedTotal]
    undated: int  # current signatories whose date is not known: not in `periods`
    source_url: str
    source_title: str


@cache
def _published_file() -> dict[str, Any]:
    with PUBLISHED_TOTALS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def published_totals() -> list[PublishedTotal]:
    """The totals the Local Digital programme has published, oldest first (from data/)."""
    totals = []
    for item in _published_file()["totals"]:
        year, month = (int(part) for part in str(item["month"]).split("-"))
        totals.append(
            PublishedTotal(dt.date(year, month, 1), int(item["count"]), item.get("note", ""))
        )
    return sorted(totals, key=lambda total: total.month)


def signatory_growth(*, today: dt.date) -> Growth:
    """Signatories over time, by year, from the Hub's records (one query).

    A signing counts from the year it was made until the year it was withdrawn. Signings whose
    date is not known cannot be placed in a year, so they are counted apart (`undated`).
    """
    signed: dict[int, int] = defaultdict(int)
    withdrawn: dict[int, int] = defaultdict(int)
    undated = 0
    rows = Signing.objects.values_list("signed_on", "signed_on_precision", "status", "withdrawn_on")
    for signed_on, precision, status, withdrawn_on in rows.order_by():
        if signed_on is None or precision == Signing.DatePrecision.UNKNOWN:
            undated += status == ACTIVE
            continue
        signed[signed_on.year] += 1
        if withdrawn_on is not None:
            withdrawn[withdrawn_on.year] += 1
    first = min([LAUNCH_YEAR, *signed])
    periods, total = [], 0
    for year in range(first, today.year + 1):
        total += signed[year] - withdrawn[year]
        periods.append(GrowthPeriod(year, signed[year], withdrawn[year], total))
    meta = _published_file()
    return Growth(
        periods=periods,
        published=published_totals(),
        undated=undated,
        source_url=meta["source_url"],
        source_title=meta["title"],
    )


# Map


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    region: str
    latitude: float
    longitude: float
    signed: bool


def signatory_map_points() -> list[MapPoint]:
    """Every current council with a known centroid, and whether it has signed (one query)."""
    rows = (
        _current_councils()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(signed=_has_active_signing())
        .values_list("code", "short_name", "region", "nation", "latitude", "longitude", "signed")
        .order_by("short_name", "code")
    )
    # The filter above rules out missing coordinates; the stubs cannot know that.
    return [
        MapPoint(code, name, region or nation, float(lat or 0), float(lon or 0), bool(signed))
        for code, name, region, nation, lat, lon, signed in rows
    ]


def map_region_coverage(points: list[MapPoint]) -> list[Coverage]:
    """The map's points counted by region (or nation), in name order: the map as a table."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for point in points:
        counts[point.region or "Not known"][0] += 1
        counts[point.region or "Not known"][1] += int(point.signed)
    return [Coverage(label, total, signed) for label, (total, signed) in sorted(counts.items())]


# Council pages


@dataclass
class OrganisationDeclaration:
    """What an organisation's page shows about the Declaration."""

    signings: list[Signing]  # newest first; at most one is active
    commitments: list[Commitment]
    partner_commitments: list[Commitment]  # other organisations' commitments naming this one
    predecessor_signings: list[Signing]

    @property
    def active_signing(self) -> Signing | None:
        return next((signing for signing in self.signings if signing.is_active), None)

    @property
    def latest_signing(self) -> Signing | None:
        return self.signings[0] if self.signings else None


def public_partners() -> Prefetch:
    """A commitment's partners as the public sees them: a partner that declined being named is
    left out; those not yet asked to confirm show as awaiting confirmation."""
    return Prefetch(
        "partners",
        queryset=CommitmentPartner.objects.exclude(status=CommitmentPartner.Status.DECLINED)
        .select_related("organisation")
        .order_by("organisation__short_name"),
    )


def commitment_public_queryset() -> QuerySet[Commitment]:
    """Commitments with what their public pages and API records show, in three queries."""
    return Commitment.objects.select_related("organisation").prefetch_related(
        public_partners(), Prefetch("principles", queryset=Principle.objects.order_by("position"))
    )


def organisation_declaration(organisation: Organisation) -> OrganisationDeclaration:
    """An organisation's signings (with history), commitments, commitments naming it as a
    partner, and its predecessors' signings.

    Two queries (signings; commitments), and two more to fetch the commitments' partners and
    principles when there are any.
    """
    predecessors = Organisation.objects.filter(successors=organisation).values("pk")
    signings = list(
        Signing.objects.filter(Q(organisation=organisation) | Q(organisation__in=predecessors))
        .select_related("organisation")
        .order_by(F("signed_on").desc(nulls_last=True), "-created_at")
    )
    confirmed_partner_of = CommitmentPartner.objects.filter(
        organisation=organisation, status=CommitmentPartner.Status.CONFIRMED
    ).values("commitment")
    commitments = list(
        commitment_public_queryset().filter(
            Q(organisation=organisation) | Q(pk__in=confirmed_partner_of)
        )
    )
    return OrganisationDeclaration(
        signings=[s for s in signings if s.organisation_id == organisation.pk],
        commitments=[c for c in commitments if c.organisation_id == organisation.pk],
        partner_commitments=[c for c in commitments if c.organisation_id != organisation.pk],
        predecessor_signings=sorted(
            (s for s in signings if s.organisation_id != organisation.pk),
            key=lambda s: (s.organisation.short_name, s.organisation.code),
        ),
    )


# Programme view


@dataclass(frozen=True)
class PrincipleCount:
    principle: Principle
    commitments: int


def commitments_by_principle() -> list[PrincipleCount]:
    """Each principle with how many commitments advance it (one query)."""
    principles = Principle.objects.annotate(total=Count("commitments")).order_by("position")
    return [PrincipleCount(principle, principle.total) for principle in principles]


def commitments_overdue(*, today: dt.date) -> QuerySet[Commitment]:
    """Commitments whose progress report was due before `today` and has not been made, the
    longest overdue first."""
    return (
        Commitment.objects.filter(
            progress=Commitment.Progress.NOT_REPORTED, progress_due_on__lt=today
        )
        .select_related("organisation")
        .order_by("progress_due_on", "organisation__short_name", "pk")
    )


def commitments_due_a_reminder(*, now: dt.datetime) -> QuerySet[Commitment]:
    """Overdue commitments whose organisation has not been reminded in the last 14 days."""
    return commitments_overdue(today=now.date()).filter(
        Q(last_reminder_sent_at__isnull=True)
        | Q(last_reminder_sent_at__lte=now - REMINDER_INTERVAL)
    )


def organisation_admins(organisation_ids: list[int]) -> dict[int, list[Any]]:
    """The people who may act for each organisation as its admins, by organisation id: active
    admin memberships of active people with a confirmed email address (one query)."""
    memberships = (
        Membership.objects.filter(
            organisation_id__in=organisation_ids,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            user__is_active=True,
            user__email_verified_at__isnull=False,
        )
        .select_related("user")
        .order_by("user__email")
    )
    admins: dict[int, list[Any]] = defaultdict(list)
    for membership in memberships:
        admins[membership.organisation_id].append(membership.user)
    return admins
