"""The sector benchmark: per CAF outcome and objective, the share of councils at each level.

Only confirmed judgements in assessments that have been independently assured count (or, when
asked, approved and later), and never a judgement the assurer disagreed with. One CAF version is
counted at a time (the year's newest among counted assessments, unless one is chosen): outcome
codes and their meanings change between versions, so versions are never added together. A
council is counted once per outcome, at its lowest level across the assessments that judged it
(its organisation and its critical systems): a council is as strong as its weakest critical
system, and the shares add up to 100. A group - one outcome or objective row within the
chosen filters - of fewer than 5 councils is suppressed, and no row ever names a council. The
figures are counted in a fixed number of queries, and remembered until what they count
changes. Judgements can change only while an assessment is a draft, which the benchmark never
counts; every status change saves the assessment's `updated_at`. So the newest `updated_at` of
assessments, cycles and their councils (type and region), with the number of assessments, is a
version of everything the benchmark reads: unlike the Hub-wide audit version (ADR 0007), it does
not move with every unrelated write, which matters because counting 4,000 councils' judgements
takes seconds.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet

from localdigital.cyber.models import Assessment, Cycle, OutcomeAnswer
from localdigital.frameworks.models import Framework, Level, Node
from localdigital.organisations.models import Organisation

T = TypeVar("T")

MINIMUM_COUNCILS = 5
SUPPRESSED_TEXT = f"fewer than {MINIMUM_COUNCILS} councils"
# The version is exact (see above), so the time limit only bounds memory, not staleness.
CACHE_SECONDS = 3600
ASSURED = (Assessment.Status.ASSURED,)
APPROVED_AND_LATER = (
    Assessment.Status.APPROVED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.UNDER_ASSURANCE,
    Assessment.Status.ASSURED,
)
COUNCIL = "assessment__cycle__organisation"
CAF = "caf"


@dataclass(frozen=True)
class BenchmarkFilters:
    """What the sector figures are narrowed to. `council_type` is the council's local
    authority type code (Organisation.la_type, like LBO), `region` its region. `version` is a
    CAF version (like 4.0); when empty, the year's newest version among counted assessments."""

    year: int | None = None
    council_type: str = ""
    region: str = ""
    include_approved: bool = False
    version: str = ""

    @property
    def statuses(self) -> tuple[str, ...]:
        return APPROVED_AND_LATER if self.include_approved else ASSURED

    @property
    def key(self) -> str:
        return (
            f"{self.year}|{self.council_type}|{self.region}|{int(self.include_approved)}"
            f"|{self.version}"
        )


@dataclass(frozen=True)
class LevelShare:
    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class BenchmarkRow:
    """One outcome (or objective). When `suppressed`, `councils` is None and `shares` empty.
    An outcome row counts each council once, at its lowest level for that outcome; an objective
    row counts those council-outcome judgements at each level (`count` is judgements). Either
    way the shares add up to 100 (give or take rounding)."""

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
    (`Cycle.is_demo`, made by seed_demo), so the page can say so. `version` is the CAF version
    counted; `versions` every version with counted assessments in the year, newest first."""

    filters: BenchmarkFilters
    year: int | None
    levels: list[tuple[str, str]]
    objectives: list[BenchmarkRow]
    outcomes: list[BenchmarkRow]
    includes_demo_data: bool = False
    version: str = ""
    versions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CouncilRow:
    """A council's own levels for one outcome (one per assessment that judged it) beside the
    sector's row for that outcome: all councils, councils of its type, councils in its region
    (None when no council in that group judged it, or the council has no type or region)."""

    code: str
    title: str
    own: list[str]
    sector: BenchmarkRow | None
    same_type: BenchmarkRow | None = None
    same_region: BenchmarkRow | None = None


@dataclass(frozen=True)
class CouncilObjectiveRow:
    """A council's own outcomes in one objective, each at its lowest level across the
    council's assessments (`judged` outcomes in all, `own` the shares), beside the sector's
    objective rows, counted the same way."""

    code: str
    title: str
    judged: int
    own: list[LevelShare]
    sector: BenchmarkRow | None
    same_type: BenchmarkRow | None = None
    same_region: BenchmarkRow | None = None


@dataclass(frozen=True)
class CouncilBenchmark:
    """`same_type` and `same_region` are the sector figures narrowed to the council's type and
    region, with the same suppression; None when the council has no type or region."""

    organisation: Organisation
    cycle: Cycle | None
    sector: Benchmark | None
    rows: list[CouncilRow]
    objectives: list[CouncilObjectiveRow] = field(default_factory=list)
    same_type: Benchmark | None = None
    same_region: Benchmark | None = None


def benchmark_version() -> str:
    """A version of everything the benchmark counts: it changes whenever an assessment, its
    cycle or its council is saved, or an assessment is added or removed. One query."""
    found = Assessment.objects.aggregate(
        version_count=Count("pk"),
        version_assessment=Max("updated_at"),
        version_cycle=Max("cycle__updated_at"),
        version_council=Max("cycle__organisation__updated_at"),
    )
    return "|".join(
        str(found[f"version_{name}"]) for name in ("count", "assessment", "cycle", "council")
    )


def _remembered(key: str, compute: Callable[[], T], version: str | None = None) -> T:
    """`compute()`, kept in the cache until what the benchmark counts changes (`version`, read
    here unless the caller already has it). Off when the page cache is off (as in tests), as the
    estate's sector figures are."""
    if not settings.HUB_PAGE_CACHE:
        return compute()
    if version is None:
        version = benchmark_version()
    digest = hashlib.sha256(f"{version}:{key}".encode()).hexdigest()
    full_key = f"cyber-benchmark:{digest}"
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
    """Council types and regions of councils that have a cycle, and the loaded CAF versions
    (newest first), for the filters. Three queries."""
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
        "versions": [
            (version, f"CAF {version}")
            for version in Framework.objects.filter(framework_id=CAF)
            .order_by("-version_order")
            .values_list("version", flat=True)
        ],
    }


def _framework(
    filters: BenchmarkFilters, in_year: QuerySet[Assessment]
) -> tuple[Framework | None, list[str]]:
    """The CAF version to count and every version with counted assessments `in_year`, newest
    first. The chosen version when one is given, else the newest of those; the newest loaded
    version when nothing is counted. One query, two when nothing matches."""
    versions_in_year = Framework.objects.filter(
        framework_id=CAF, pk__in=in_year.values("cycle__framework_id")
    ).order_by("-version_order")
    found = list(versions_in_year)
    versions = [framework.version for framework in found]
    wanted = filters.version
    chosen = next((f for f in found if f.version == wanted), None) if wanted else None
    if chosen is None and not wanted and found:
        chosen = found[0]
    if chosen is None:
        latest = Framework.objects.filter(framework_id=CAF).order_by("-version_order")
        chosen = latest.filter(version=wanted).first() if wanted else latest.first()
    return chosen, versions


def _caf_titles(
    framework: Framework | None,
) -> tuple[dict[str, tuple[int, str]], list[tuple[str, str]], dict[tuple[str, int], str]]:
    """Titles and order of one CAF version's objectives and outcomes by code, its ranked level
    keys with labels (worst first), and each outcome's level key by rank. Two queries."""
    nodes = Node.objects.filter(framework=framework, type__in=["objective", "outcome"])
    titles = {
        code: (position, title)
        for code, position, title in nodes.values_list("code", "position", "title")
    }
    levels: dict[str, tuple[int, str]] = {}
    by_rank: dict[tuple[str, int], str] = {}
    for code, key, label, rank in Level.objects.filter(
        node__framework=framework, rank__isnull=False
    ).values_list("node__code", "key", "label", "rank"):
        levels.setdefault(key, (rank or 0, label))
        by_rank[(code, rank or 0)] = key
    ordered = sorted(levels.items(), key=lambda item: item[1][0])
    return titles, [(key, label) for key, (_, label) in ordered], by_rank


def _row(
    code: str,
    counts: Counter[str],
    councils: int,
    *,
    titles: dict[str, tuple[int, str]],
    labels: dict[str, str],
) -> BenchmarkRow:
    title = titles.get(code, (0, code))[1]
    if councils < MINIMUM_COUNCILS:
        return BenchmarkRow(code=code, title=title, suppressed=True, councils=None)
    whole = sum(counts.values())
    order = {key: position for position, key in enumerate(labels)}
    shares = [
        LevelShare(key=key, label=labels.get(key, key), count=count, percent=_percent(count, whole))
        for key, count in sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))
    ]
    return BenchmarkRow(code=code, title=title, suppressed=False, councils=councils, shares=shares)


def counted_answers(
    assessments: QuerySet[Assessment], framework: Framework | None
) -> QuerySet[OutcomeAnswer]:
    """Answers the benchmark counts in `assessments`: those on `framework` with a ranked level,
    leaving out judgements the independent assurer disagreed with."""
    return (
        OutcomeAnswer.objects.filter(
            assessment__in=assessments, node__framework=framework, level__rank__isnull=False
        )
        .filter(Q(assurer_agrees__isnull=True) | Q(assurer_agrees=True))
        .order_by()
    )


def _compute(filters: BenchmarkFilters) -> Benchmark:
    assessments = counted_assessments(filters)
    year = filters.year
    if year is None:
        year = assessments.aggregate(year=Max("cycle__year"))["year"]
    in_year = assessments.filter(cycle__year=year) if year else assessments.none()
    framework, versions = _framework(filters, in_year)
    titles, levels, by_rank = _caf_titles(framework)
    labels = dict(levels)
    # One row per council and outcome, at its worst level across its assessments: the second
    # count (councils per level) is done here, so the query count stays fixed.
    worst = (
        counted_answers(in_year, framework)
        .values(COUNCIL, "node__code")
        .annotate(
            rank=Min("level__rank"), demo=Count("pk", filter=Q(assessment__cycle__is_demo=True))
        )
    )
    outcome_counts: dict[str, Counter[str]] = defaultdict(Counter)
    objective_counts: dict[str, Counter[str]] = defaultdict(Counter)
    objective_councils: dict[str, set[int]] = defaultdict(set)
    includes_demo_data = False
    for found in worst:
        code, council = found["node__code"], found[COUNCIL]
        key = by_rank.get((code, found["rank"]), str(found["rank"]))
        outcome_counts[code][key] += 1
        objective_counts[code[:1]][key] += 1
        objective_councils[code[:1]].add(council)
        includes_demo_data = includes_demo_data or bool(found["demo"])

    def ordered(codes: Any) -> list[str]:
        return sorted(codes, key=lambda code: (titles.get(code, (10**9, ""))[0], code))

    return Benchmark(
        filters=filters,
        year=year,
        levels=levels,
        outcomes=[
            _row(
                code,
                outcome_counts[code],
                sum(outcome_counts[code].values()),
                titles=titles,
                labels=labels,
            )
            for code in ordered(outcome_counts)
        ],
        objectives=[
            _row(
                code,
                objective_counts[code],
                len(objective_councils[code]),
                titles=titles,
                labels=labels,
            )
            for code in ordered(objective_counts)
        ],
        includes_demo_data=includes_demo_data,
        version=framework.version if framework else "",
        versions=versions,
    )


def sector_benchmark(
    filters: BenchmarkFilters | None = None, *, version: str | None = None
) -> Benchmark:
    """The sector's shares per outcome and objective under `filters` (the newest year with
    counted assessments when no year is given), on one CAF version. At most six queries however
    many councils and assessments there are, none when remembered."""
    filters = filters or BenchmarkFilters()
    return _remembered(filters.key, lambda: _compute(filters), version)


def council_benchmark(
    organisation: Organisation, *, year: int | None = None, include_approved: bool = False
) -> CouncilBenchmark:
    """A council's own confirmed levels in its cycle of `year` (its newest cycle when not
    given), whatever the assessments' status, per outcome and per objective, beside the sector's
    shares for that year on the cycle's CAF version: all councils, councils of its type and
    councils in its region. The sector rows are the same suppressed figures everyone allowed
    sees; other councils are never named. At most 18 queries however much data there is (the
    three sector figures are remembered)."""
    cycles = (
        Cycle.objects.filter(organisation=organisation)
        .select_related("framework")
        .order_by("-year")
    )
    cycle = cycles.filter(year=year).first() if year is not None else cycles.first()
    if cycle is None:
        return CouncilBenchmark(organisation=organisation, cycle=None, sector=None, rows=[])
    base = BenchmarkFilters(
        year=cycle.year, include_approved=include_approved, version=cycle.framework.version
    )
    # Three sector figures, one version read.
    version = benchmark_version() if settings.HUB_PAGE_CACHE else None
    sector = sector_benchmark(base, version=version)
    same_type = (
        sector_benchmark(replace(base, council_type=organisation.la_type), version=version)
        if organisation.la_type
        else None
    )
    same_region = (
        sector_benchmark(replace(base, region=organisation.region), version=version)
        if organisation.region
        else None
    )
    own: dict[str, list[str]] = defaultdict(list)
    worst: dict[str, tuple[int, str]] = {}
    for code, key, label, rank, kind, system_name, agrees in (
        OutcomeAnswer.objects.filter(assessment__cycle=cycle, level__isnull=False)
        .order_by("assessment__kind", "assessment__system_name", "node__position")
        .values_list(
            "node__code",
            "level__key",
            "level__label",
            "level__rank",
            "assessment__kind",
            "assessment__system_name",
            "assurer_agrees",
        )
    ):
        text = (
            f"{label} ({system_name})" if kind == Assessment.Kind.SYSTEM and system_name else label
        )
        own[code].append(f"{text}, not agreed by the assurer" if agrees is False else text)
        if rank is not None and (code not in worst or rank < worst[code][0]):
            worst[code] = (rank, key)
    titles = {
        code: (node_type, position, title)
        for code, node_type, position, title in Node.objects.filter(
            framework_id=cycle.framework_id, type__in=["objective", "outcome"]
        ).values_list("code", "type", "position", "title")
    }
    ordered = sorted(titles.items(), key=lambda item: item[1][1])

    def by_code(
        benchmark: Benchmark | None, *, objectives: bool = False
    ) -> dict[str, BenchmarkRow]:
        if benchmark is None:
            return {}
        return {
            row.code: row for row in (benchmark.objectives if objectives else benchmark.outcomes)
        }

    outcome_rows = [by_code(sector), by_code(same_type), by_code(same_region)]
    rows = [
        CouncilRow(
            code=code,
            title=title,
            own=own.get(code, []),
            sector=outcome_rows[0].get(code),
            same_type=outcome_rows[1].get(code),
            same_region=outcome_rows[2].get(code),
        )
        for code, (node_type, _, title) in ordered
        if node_type == "outcome"
    ]
    labels = dict(sector.levels)
    order = {key: position for position, key in enumerate(labels)}
    own_by_objective: dict[str, Counter[str]] = defaultdict(Counter)
    for code, (_, key) in worst.items():
        own_by_objective[code[:1]][key] += 1
    objective_rows = [
        by_code(sector, objectives=True),
        by_code(same_type, objectives=True),
        by_code(same_region, objectives=True),
    ]
    objectives = []
    for code, (node_type, _, title) in ordered:
        if node_type != "objective":
            continue
        counts = own_by_objective.get(code, Counter())
        judged = sum(counts.values())
        objectives.append(
            CouncilObjectiveRow(
                code=code,
                title=title,
                judged=judged,
                own=[
                    LevelShare(
                        key=key,
                        label=labels.get(key, key),
                        count=count,
                        percent=_percent(count, judged),
                    )
                    for key, count in sorted(
                        counts.items(), key=lambda item: order.get(item[0], len(order))
                    )
                ],
                sector=objective_rows[0].get(code),
                same_type=objective_rows[1].get(code),
                same_region=objective_rows[2].get(code),
            )
        )
    return CouncilBenchmark(
        organisation=organisation,
        cycle=cycle,
        sector=sector,
        rows=rows,
        objectives=objectives,
        same_type=same_type,
        same_region=same_region,
    )
