"""Reads for finding Pipeline items: the list page's search, filters, sorting and pagination.

Every query starts from `pipeline_visible_q`, so a person only ever finds what they may see.
The filters run in SQL; the text search's relevance comes from the matcher's index
(`matching.search.search_scores`), which scores item ids, and the two are intersected in
Python. Only the items on the page being shown are then read in full, so the page costs the
same number of queries however many items there are.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from localdigital.core.access import pipeline_visible_q
from localdigital.organisations.models import Organisation
from localdigital.organisations.selectors import directory_filter_options
from localdigital.pipeline.filters import (
    OLDER_THAN_DAYS,
    SORT_NEWEST,
    SORT_TITLE,
    UPDATED_OLDER,
    ItemFilterForm,
    ItemFilters,
    parse_filters,
)
from localdigital.pipeline.matching import search
from localdigital.pipeline.models import Item, SavedSearch, ServiceArea

PAGE_SIZE = 20
# Columns a result never shows: long text the page would read for nothing.
LONG_TEXT = ("description", "problem", "user_needs", "search_text", "partner_editable_fields")

ORDERINGS: dict[str, tuple[Any, ...]] = {
    SORT_NEWEST: ("-created_at", "-pk"),
    SORT_TITLE: (Lower("title").asc(), "pk"),
}
DEFAULT_ORDERING: tuple[Any, ...] = ("-last_activity_at", "-pk")


def filter_options(visible: Q, *, organisation_code: str = "") -> dict[str, list[tuple[str, str]]]:
    """Choices for the filter panel (three queries): the organisations that lead items the
    person may see, regions and council types as the directory has them, and service areas.

    An organisation named in the address that has no items yet is still a valid choice (a link
    from its council page, say): it is looked up on its own, only then.
    """
    organisations = list(
        Organisation.objects.filter(pk__in=Item.objects.filter(visible).values("organisation_id"))
        .order_by("short_name", "code")
        .values_list("code", "short_name")
    )
    if organisation_code and organisation_code not in {code for code, _ in organisations}:
        organisations += list(
            Organisation.objects.filter(code=organisation_code).values_list("code", "short_name")
        )
    options = directory_filter_options()
    options["organisations"] = organisations
    options["service_areas"] = list(ServiceArea.objects.values_list("key", "name"))
    return options


def _updated_since(updated: str, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The (earliest, latest-exclusive) last activity a "last updated" choice allows."""
    if not updated:
        return None, None
    if updated == UPDATED_OLDER:
        return None, now - dt.timedelta(days=OLDER_THAN_DAYS)
    return now - dt.timedelta(days=int(updated)), None


def filters_q(filters: ItemFilters, *, now: dt.datetime) -> Q:
    """The filters (not the search words) as one SQL condition on items.

    `item_matches_filters` is the same rule in Python for one item already in memory; a test
    checks that the two agree."""
    condition = Q()
    if not filters.include_archived:
        condition &= Q(status=Item.Status.ACTIVE)
    if filters.kinds:
        condition &= Q(kind__in=filters.kinds)
    if filters.organisations:
        condition &= Q(organisation__code__in=filters.organisations)
    if filters.regions:
        condition &= Q(organisation__region__in=filters.regions)
    if filters.council_types:
        condition &= Q(organisation__la_type__in=filters.council_types)
    if filters.service_areas:
        condition &= Q(service_area__key__in=filters.service_areas)
    if filters.phases:
        condition &= Q(phase__in=filters.phases)
    if filters.collaboration_levels:
        condition &= Q(collaboration_level__in=filters.collaboration_levels)
    if filters.budget_bands:
        condition &= Q(budget_band__in=filters.budget_bands)
    since, before = _updated_since(filters.updated, now)
    if since is not None:
        condition &= Q(last_activity_at__gte=since)
    if before is not None:
        condition &= Q(last_activity_at__lt=before)
    return condition


def item_matches_filters(item: Item, filters: ItemFilters, *, now: dt.datetime) -> bool:
    """Whether one item (with its organisation and service area loaded) passes the filters;
    the search words are checked separately, against the search index."""
    organisation = item.organisation
    since, before = _updated_since(filters.updated, now)
    checks = (
        filters.include_archived or item.status == Item.Status.ACTIVE,
        not filters.kinds or item.kind in filters.kinds,
        not filters.organisations or organisation.code in filters.organisations,
        not filters.regions or organisation.region in filters.regions,
        not filters.council_types or organisation.la_type in filters.council_types,
        not filters.service_areas
        or (item.service_area is not None and item.service_area.key in filters.service_areas),
        not filters.phases or item.phase in filters.phases,
        not filters.collaboration_levels
        or item.collaboration_level in filters.collaboration_levels,
        not filters.budget_bands or item.budget_band in filters.budget_bands,
        since is None or item.last_activity_at >= since,
        before is None or item.last_activity_at < before,
    )
    return all(checks)


def _result_queryset() -> QuerySet[Item]:
    return Item.objects.select_related("organisation", "service_area").defer(*LONG_TEXT)


def ranked_item_ids(
    visible: Q, filters: ItemFilters, *, now: dt.datetime
) -> list[int] | QuerySet[Item]:
    """Every matching item, in the list's order: a queryset when there are no search words (the
    database counts and slices it), otherwise the ids ranked by relevance or the sort chosen."""
    condition = filters_q(filters, now=now)
    sort = filters.effective_sort
    ordering = ORDERINGS.get(sort, DEFAULT_ORDERING)
    if not filters.q:
        return _result_queryset().filter(visible, condition).order_by(*ordering)
    matching = Item.objects.filter(visible, condition)
    scores = search.search_scores(filters.q)
    if not scores:
        return []
    # In the chosen order (most recently updated first for relevance, so it breaks ties).
    ids = [pk for pk in matching.order_by(*ordering).values_list("pk", flat=True) if pk in scores]
    if sort in ORDERINGS:
        return ids
    # sorted() is stable: equal scores keep the recency order.
    return sorted(ids, key=lambda pk: -scores[pk])


@dataclass(frozen=True)
class FindResult:
    """What the list page shows: the filter form (with any errors), the search it ran, and one
    page of items (`page.object_list` holds the items themselves)."""

    form: ItemFilterForm
    filters: ItemFilters
    page: Page
    total: int


def item_find(
    user: Any, params: QueryDict, *, page_number: Any = None, now: dt.datetime | None = None
) -> FindResult:
    """Search and filter the items the person may see, and read one page of them.

    A constant number of queries: the person's memberships, three for the filter choices, and
    two for the results (the ids or count, then the page's items), plus whatever the search
    index needs when there are search words."""
    now = now or timezone.now()
    visible = pipeline_visible_q(user)
    form = parse_filters(
        params,
        options=filter_options(visible, organisation_code=str(params.get("organisation") or "")),
    )
    filters = form.to_filters()
    if not filters.sort or "sort" in form.errors:
        # Show the order the list is actually in.
        data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["sort"] = filters.effective_sort
        form.data = data
    ranked = ranked_item_ids(visible, filters, now=now)
    page = Paginator(ranked, PAGE_SIZE).get_page(page_number)
    if isinstance(ranked, list):
        ids = list(page.object_list)
        by_id = _result_queryset().in_bulk(ids) if ids else {}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    else:
        page.object_list = list(page.object_list)
    return FindResult(form=form, filters=filters, page=page, total=page.paginator.count)


def describe_filters(form: ItemFilterForm, filters: ItemFilters) -> list[dict[str, str]]:
    """The filters in force, in words, each with the query string that removes just it (for
    the "selected filters" list and for naming a saved search)."""
    labels: dict[str, dict[str, str]] = {
        name: {str(value): str(label) for value, label in getattr(bound.field, "choices", [])}
        for name, bound in ((name, form[name]) for name in form.fields)
    }
    pairs = filters.params()
    chosen = []
    for index, (name, value) in enumerate(pairs):
        if name == "q":
            text = f"‘{value}’"
            heading = "Search"
        elif name == "archived":
            text = "Including archived items"
            heading = "Archived"
        else:
            text = labels.get(name, {}).get(value, value)
            heading = str(form.fields[name].label)
        remaining = QueryDict(mutable=True)
        for other_index, (other_name, other_value) in enumerate(pairs):
            if other_index != index:
                remaining.appendlist(other_name, other_value)
        if filters.sort:
            remaining["sort"] = filters.sort
        chosen.append(
            {"name": name, "heading": heading, "text": text, "remove": remaining.urlencode()}
        )
    return chosen


@dataclass(frozen=True)
class SavedSearchRow:
    """A saved search on the person's list: what it looks for, in words, and where it runs."""

    saved: SavedSearch
    chosen: list[dict[str, str]]
    run_url: str


def saved_search_rows(user: Any) -> list[SavedSearchRow]:
    """The person's saved searches, by name, each described in words (four queries at most:
    the searches, then the filter choices that name their values)."""
    searches = list(SavedSearch.objects.filter(user=user).order_by("name", "pk"))
    if not searches:
        return []
    options = filter_options(pipeline_visible_q(user))
    rows = []
    for saved in searches:
        form = parse_filters(saved.query, options=options)
        query = f"?{saved.query}" if saved.query else ""
        rows.append(
            SavedSearchRow(
                saved=saved,
                chosen=describe_filters(form, form.to_filters()),
                run_url=reverse("pipeline:list") + query,
            )
        )
    return rows
