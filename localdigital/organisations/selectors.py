"""Reads for the organisations directory, council pages and the organisations API."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from localdigital.organisations.models import Organisation, OrganisationDomain

GSS_CODE = re.compile(r"^[A-Za-z][0-9]{8}$")

STATUS_CURRENT = "current"
STATUS_FORMER = "former"
STATUS_ALL = "all"
STATUS_CHOICES = (
    (STATUS_CURRENT, "Current"),
    (STATUS_FORMER, "Former"),
    (STATUS_ALL, "Current and former"),
)
# Local authorities from the reference data: what the directory lists unless asked otherwise.
LOCAL_AUTHORITY_KINDS = (Organisation.Kind.COUNCIL, Organisation.Kind.COMBINED_AUTHORITY)

# Lower is better. The search ranks a match on a code above a name, and a whole name above
# the start of a name above a word inside one.
RANK_CODE = 0
RANK_NAME_EQUALS = 1
RANK_ALT_NAME_EQUALS = 2
RANK_NAME_STARTS = 3
RANK_ALT_NAME_STARTS = 4
RANK_WORD_STARTS = 5
RANK_CONTAINS = 6
# What a directory row shows; the list reads only these columns.
DIRECTORY_COLUMNS = (
    "code",
    "kind",
    "name",
    "short_name",
    "gss_code",
    "nation",
    "region",
    "la_type_name",
    "is_current",
)


@dataclass
class DirectoryFilters:
    """The directory's filters, as both the pages and the API take them."""

    q: str = ""
    nations: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    status: str = STATUS_CURRENT


def normalise_query(q: str) -> str:
    """Lower-case, single-spaced, without the `|` the search text uses as a separator."""
    return " ".join(q.replace("|", " ").lower().split())


def organisation_search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Organisations matching `q`, best first, the same way on SQLite and PostgreSQL.

    Every word of the query must appear in the names, alternative names or codes; the rank then
    prefers an exact code or GSS code, a whole name, the start of a name, the start of a word.
    """
    term = normalise_query(q)
    if not term:
        return queryset
    matches = Q()
    for word in term.split():
        matches &= Q(search_text__contains=word)
    code_match = Q(code__iexact=term) | Q(gss_code__iexact=term)
    if GSS_CODE.match(term):
        # A former GSS code finds the council that carried it as surely as its current one.
        code_match |= Q(former_gss_codes__icontains=term)
    rank = Case(
        When(code_match, then=Value(RANK_CODE)),
        When(Q(short_name__iexact=term) | Q(name__iexact=term), then=Value(RANK_NAME_EQUALS)),
        When(search_text__contains=f"|{term}|", then=Value(RANK_ALT_NAME_EQUALS)),
        When(
            Q(short_name__istartswith=term) | Q(name__istartswith=term),
            then=Value(RANK_NAME_STARTS),
        ),
        When(search_text__contains=f"|{term}", then=Value(RANK_ALT_NAME_STARTS)),
        When(search_text__contains=f" {term}", then=Value(RANK_WORD_STARTS)),
        default=Value(RANK_CONTAINS),
        output_field=IntegerField(),
    )
    return queryset.filter(matches).annotate(search_rank=rank).order_by("search_rank", "short_name")


def organisation_filter_status(
    queryset: QuerySet[Organisation], status: str
) -> QuerySet[Organisation]:
    """Current, former or all organisations."""
    if status == STATUS_FORMER:
        return queryset.filter(is_current=False)
    if status == STATUS_ALL:
        return queryset
    return queryset.filter(is_current=True)


def organisation_directory(filters: DirectoryFilters) -> QuerySet[Organisation]:
    """The directory list: local authorities (or the kinds asked for), filtered and searched.

    Only columns of the organisation itself are shown in the list, so the page makes the same
    number of queries whatever it holds.
    """
    queryset = Organisation.objects.only(*DIRECTORY_COLUMNS)
    queryset = queryset.filter(kind__in=filters.kinds or LOCAL_AUTHORITY_KINDS)
    queryset = organisation_filter_status(queryset, filters.status)
    if filters.nations:
        queryset = queryset.filter(nation__in=filters.nations)
    if filters.regions:
        queryset = queryset.filter(region__in=filters.regions)
    if filters.types:
        queryset = queryset.filter(la_type__in=filters.types)
    if filters.q:
        return organisation_search(queryset, filters.q)
    return queryset.order_by("short_name", "code")


def directory_filter_options() -> dict[str, list[tuple[str, str]]]:
    """The regions and council types in the directory, for the filter panel (one query)."""
    rows = (
        Organisation.objects.filter(kind__in=LOCAL_AUTHORITY_KINDS)
        .values_list("region", "la_type", "la_type_name")
        # Without this the default ordering's column joins the DISTINCT: a row per council.
        .order_by()
        .distinct()
    )
    regions: set[str] = set()
    types: dict[str, str] = {}
    for region, la_type, la_type_name in rows:
        if region:
            regions.add(region)
        if la_type:
            types[la_type] = la_type_name or la_type
    return {
        "regions": [(region, region) for region in sorted(regions)],
        "types": sorted(types.items(), key=lambda item: item[1]),
    }


def organisation_detail_queryset() -> QuerySet[Organisation]:
    """Organisations with every relation the council page and API detail show, fetched up front."""
    return Organisation.objects.select_related("county", "combined_authority").prefetch_related(
        _ordered("districts"),
        _ordered("constituent_members"),
        _ordered("successors"),
        _ordered("predecessors"),
    )


def _ordered(relation: str) -> Prefetch:
    return Prefetch(relation, queryset=Organisation.objects.order_by("short_name", "code"))


@dataclass
class Lookup:
    """The result of finding an organisation by what is in a URL."""

    organisation: Organisation
    canonical: bool  # False when found by GSS code or a different letter case


def organisation_lookup(code: str, queryset: QuerySet[Organisation] | None = None) -> Lookup | None:
    """Find an organisation by its code (any letter case), its GSS code or a former GSS code.

    Tries the exact code first so the usual case is one indexed query.
    """
    queryset = queryset if queryset is not None else Organisation.objects.all()
    code = code.strip()
    if not code:
        return None
    organisation = queryset.filter(code=code).first()
    if organisation is not None:
        return Lookup(organisation, canonical=True)
    organisation = queryset.filter(code__iexact=code).first()
    if organisation is None and GSS_CODE.match(code):
        gss = code.upper()
        organisation = queryset.filter(gss_code=gss).first()
        if organisation is None:
            # Former codes are a comma-separated list; match a whole code, not part of one.
            for candidate in queryset.filter(former_gss_codes__contains=gss).order_by(
                "-is_current", "code"
            ):
                if gss in candidate.former_gss_code_list:
                    organisation = candidate
                    break
    if organisation is None:
        return None
    return Lookup(organisation, canonical=False)


def organisation_domains(organisation: Organisation) -> QuerySet[OrganisationDomain]:
    """The email domains an organisation owns, in name order."""
    return organisation.domains.order_by("domain")
