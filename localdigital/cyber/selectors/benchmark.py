"""The sector benchmark: per CAF outcome and objective, the share of councils at each level.

Only confirmed judgements in assessments that have been independently assured count (or, when
asked, approved and later). A group - one outcome or objective row within the chosen filters -
of fewer than 5 councils is suppressed, and no row ever names a council. The figures are
counted in the database in a fixed number of queries, and remembered until the Hub's data
changes: every status change of an assessment is audited, so the newest audit event's id (as
the public page cache and the estate's sector figures use, ADR 0007) is a version that changes
with it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Substr

from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.frameworks.models import Framework, Level, Node
from localdigital.organisations.models import Organisation

T = TypeVar("T")

MINIMUM_COUNCILS = 5
SUPPRESSED_TEXT = f"fewer than {MINIMUM_COUNCILS} councils"
CACHE_SECONDS = 300
ASSURED = (Assessment.Status.ASSURED,)
APPROVED_AND_LATER = (
    Assessment.Status.APPROVED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.UNDER_ASSURANCE,
    Assessment.Status.ASSURED,
)
COUNCIL = "assessment__cycle__organisation"


@dataclass(frozen=True)
class BenchmarkFilters:
    """What the sector figures are narrowed to. `council_type` is the council's local
    authority type code (Organisation.la_type, like LBO), `region` its region."""

    year: int | None = None
    council_type: str = ""
    region: str = ""
    include_approved: bool = False

    @property
    def statuses(self) -> tuple[str, ...]:
        return APPROVED_AND_LATER if self.include_approved else ASSURED

    @property
    def key(self) -> str:
        return f"{self.year}|{self.council_type}|{self.region}|{int(self.include_approved)}"


@dataclass(frozen=True)
class LevelShare:
    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class BenchmarkRow:
    """One outcome (or objective). When `suppressed`, `councils` is None and `shares` empty.
    An outcome row counts councils at each level; an objective row counts its outcome
    judgements at each level (`count` is judgements), so its shares add up to 100."""

    code: str
    title: str
    suppressed: bool
    councils: int | None
    shares: list[LevelShare] = field(default_factory=list)
    minimum: int = MINIMUM_COUNCILS

    @property
    def message(self) -> str:
        return f"fewer than {self.minimum} councils" if self.suppressed else ""

    def share(self, key: str) -> LevelShare | None:
        return next((share for share in self.shares if share.key == key), None)


@dataclass(frozen=True)
class Benchmark:
    """`includes_demo_data` is true when any counted judgement is from a generated demo cycle
    (`Cycle.is_demo`, made by seed_demo), so the page can say so."""

    filters: BenchmarkFilters
    year: int | None
    levels: list[tuple[str, str]]
    objectives: list[BenchmarkRow]
    outcomes: list[BenchmarkRow]
    includes_demo_data: bool = False


@dataclass(frozen=True)
class CouncilRow:
    """A council's own levels for one outcome (one per assessment that judged it) beside the
    sector's row for that outcome."""

    code: str
    title: str
    own: list[str]
    sector: BenchmarkRow | None


@dataclass(frozen=True)
class CouncilBenchmark:
    organisation: Organisation
    cycle: Cycle | None
    sector: Benchmark | None
    rows: list[CouncilRow]


def _remembered(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache until the Hub's data changes. Off when the page cache is
    off (as in tests), as the estate's sector figures are."""
    if not settings.HUB_PAGE_CACHE:
        return compute()
    from localdigital.core.cache import data_version

    full_key = f"cyber-benchmark:{data_version()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, CACHE_SECONDS)
    return found


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def counted_assessments(filters: BenchmarkFilters) -> QuerySet[Assessment]:
    """Assessments the benchmark counts under `filters`, in any year."""
    assessments = Assessment.objects.filter(status__in=filters.statuses)
    if filters.council_type:
        assessments = assessments.filter(cycle__organisation__la_type=filters.council_type)
    if filters.region:
        assessments = assessments.filter(cycle__organisation__region=filters.region)
    return assessments


def benchmark_years(*, include_approved: bool = False) -> list[int]:
    """Years with at least one counted assessment, newest first."""
    filters = BenchmarkFilters(include_approved=include_approved)
    return list(
        counted_assessments(filters)
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .distinct()
    )


def benchmark_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Council types and regions of councils that have a cycle, for the filters. Two queries."""
    with_cycles = Organisation.objects.filter(cyber_cycles__isnull=False).order_by()
    types = (
        with_cycles.exclude(la_type="")
        .values_list("la_type", "la_type_name")
        .distinct()
        .order_by("la_type_name", "la_type")
    )
    regions = with_cycles.exclude(region="").values_list("region", flat=True).distinct()
    return {
        "council_types": [(code, name or code) for code, name in types],
        "regions": [(region, region) for region in sorted(set(regions))],
    }


def _caf_titles() -> tuple[dict[str, tuple[int, str]], list[tuple[str, str]]]:
    """Titles and order of CAF objectives and outcomes by code, from the newest CAF version,
    and the ranked level keys with labels, best last. Two queries."""
    latest = Framework.objects.filter(framework_id="caf").order_by("-version_order")[:1]
    nodes = Node.objects.filter(framework__in=latest, type__in=["objective", "outcome"])
    titles = {
        code: (position, title)
        for code, position, title in nodes.values_list("code", "position", "title")
    }
    levels: dict[str, tuple[int, str]] = {}
    for key, label, rank in (  # rank is never null here
        Level.objects.filter(node__framework__in=latest, rank__isnull=False)
        .values_list("key", "label", "rank")
        .distinct()
    ):
        levels[key] = (rank or 0, label)
    ordered = sorted(levels.items(), key=lambda item: item[1][0])
    return titles, [(key, label) for key, (_, label) in ordered]


def _rows(
    counts: list[Any],
    totals: list[Any],
    *,
    group: str,
    measure: str,
    titles: dict[str, tuple[int, str]],
    labels: dict[str, str],
) -> list[BenchmarkRow]:
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for count in counts:
        by_group[count[group]].append(count)
    rows = []
    for total in totals:
        code, councils = total[group], total["councils"]
        title = titles.get(code, (0, code))[1]
        if councils < MINIMUM_COUNCILS:
            rows.append(BenchmarkRow(code=code, title=title, suppressed=True, councils=None))
            continue
        whole = total[measure]
        shares = [
            LevelShare(
                key=count["level__key"],
                label=labels.get(count["level__key"], count["level__key"]),
                count=count[measure],
                percent=_percent(count[measure], whole),
            )
            for count in by_group[code]
        ]
        rank = {key: position for position, key in enumerate(labels)}
        shares.sort(key=lambda share: rank.get(share.key, len(rank)))
        rows.append(
            BenchmarkRow(code=code, title=title, suppressed=False, councils=councils, shares=shares)
        )
    rows.sort(key=lambda row: (titles.get(row.code, (10**9, ""))[0], row.code))
    return rows


def _compute(filters: BenchmarkFilters) -> Benchmark:
    assessments = counted_assessments(filters)
    year = filters.year
    if year is None:
        year = assessments.aggregate(year=Max("cycle__year"))["year"]
    answers = OutcomeAnswer.objects.filter(
        assessment__in=assessments.filter(cycle__year=year), level__isnull=False
    ).order_by()
    titles, levels = _caf_titles()
    labels = dict(levels)
    outcome_counts = list(
        answers.values("node__code", "level__key").annotate(councils=Count(COUNCIL, distinct=True))
    )
    # The demo count rides on a query made anyway, so the query count stays the same.
    outcome_totals = list(
        answers.values("node__code").annotate(
            councils=Count(COUNCIL, distinct=True),
            demo=Count("pk", filter=Q(assessment__cycle__is_demo=True)),
        )
    )
    by_objective = answers.annotate(objective=Substr("node__code", 1, 1))
    objective_counts = list(
        by_objective.values("objective", "level__key").annotate(
            judgements=Count("pk"), councils=Count(COUNCIL, distinct=True)
        )
    )
    objective_totals = list(
        by_objective.values("objective").annotate(
            judgements=Count("pk"), councils=Count(COUNCIL, distinct=True)
        )
    )
    return Benchmark(
        filters=filters,
        year=year,
        levels=levels,
        outcomes=_rows(
            outcome_counts,
            outcome_totals,
            group="node__code",
            measure="councils",
            titles=titles,
            labels=labels,
        ),
        objectives=_rows(
            objective_counts,
            objective_totals,
            group="objective",
            measure="judgements",
            titles=titles,
            labels=labels,
        ),
        includes_demo_data=any(total["demo"] for total in outcome_totals),
    )


def sector_benchmark(filters: BenchmarkFilters | None = None) -> Benchmark:
    """The sector's shares per outcome and objective under `filters` (the newest year with
    counted assessments when no year is given). At most eight queries however many councils
    and assessments there are, none when remembered."""
    filters = filters or BenchmarkFilters()
    return _remembered(filters.key, lambda: _compute(filters))


def council_benchmark(
    organisation: Organisation, *, year: int | None = None, include_approved: bool = False
) -> CouncilBenchmark:
    """A council's own confirmed levels in its cycle of `year` (its newest cycle when not
    given), whatever the assessments' status, beside the sector's shares for that year. The
    sector rows are the same suppressed figures everyone allowed sees; other councils are never
    named."""
    cycles = Cycle.objects.filter(organisation=organisation).order_by("-year")
    cycle = cycles.filter(year=year).first() if year is not None else cycles.first()
    if cycle is None:
        return CouncilBenchmark(organisation=organisation, cycle=None, sector=None, rows=[])
    sector = sector_benchmark(BenchmarkFilters(year=cycle.year, include_approved=include_approved))
    own: dict[str, list[str]] = defaultdict(list)
    for code, label, kind, system_name in (
        OutcomeAnswer.objects.filter(assessment__cycle=cycle, level__isnull=False)
        .order_by("assessment__kind", "assessment__system_name", "node__position")
        .values_list("node__code", "level__label", "assessment__kind", "assessment__system_name")
    ):
        own[code].append(
            f"{label} ({system_name})" if kind == Assessment.Kind.SYSTEM and system_name else label
        )
    titles = {
        code: (position, title)
        for code, position, title in Node.objects.filter(
            framework_id=cycle.framework_id, type="outcome"
        ).values_list("code", "position", "title")
    }
    sector_rows = {row.code: row for row in sector.outcomes}
    rows = [
        CouncilRow(code=code, title=title, own=own.get(code, []), sector=sector_rows.get(code))
        for code, (_, title) in sorted(titles.items(), key=lambda item: item[1][0])
    ]
    return CouncilBenchmark(organisation=organisation, cycle=cycle, sector=sector, rows=rows)
