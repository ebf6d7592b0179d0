"""Saved Pipeline searches that tell people when a new item matches.

A saved search stores the normalised query string of the list page (`ItemFilters.to_query`),
so running it is just opening the list with that query. When an item becomes visible beyond its
own organisation, the background task calls `saved_searches_notify_for_item`: each person
whose saved search the item matches, who may see it and is not in its organisation, is told
once (in the Hub, and by email unless they stopped emails). `SavedSearchHit` rows remember who
was told, so a rerun of the task, or the item being published again, tells nobody twice.
"""

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from localdigital.audit.services import event_log
from localdigital.core.access import can_see_item, is_item_owner, pipeline_visible_q
from localdigital.core.exceptions import ApplicationError
from localdigital.notifications.services import notification_create
from localdigital.pipeline.filters import parse_filters
from localdigital.pipeline.matching import search
from localdigital.pipeline.models import Item, SavedSearch, SavedSearchHit
from localdigital.pipeline.selectors.find import filter_options, item_matches_filters

MAX_SAVED_SEARCHES = 50
NAME_MAX_LENGTH = 100
QUERY_MAX_LENGTH = 1000

SIGN_IN_REQUIRED = "Sign in to save a search"
NAME_REQUIRED = "Enter a name for your search"
NAME_TOO_LONG = f"Enter a name of {NAME_MAX_LENGTH} characters or fewer"
SEARCH_INVALID = (
    "This search has filters the Pipeline does not recognise. Search again, then save it."
)
SEARCH_EMPTY = "Enter search words or choose a filter before you save a search"
SEARCH_TOO_LONG = "This search is too long to save. Remove some filters or words, then save it."
ALREADY_SAVED = "You have already saved this search as ‘{name}’"
TOO_MANY = f"You can save up to {MAX_SAVED_SEARCHES} searches. Delete one you no longer need first."
NOT_YOURS = "You can only change your own saved searches"

NOTIFICATION_KIND = "pipeline.saved_search_match"


def _require_owner(actor: Any, saved_search: SavedSearch) -> None:
    if not (actor and actor.is_authenticated and saved_search.user_id == actor.pk):
        raise ApplicationError(NOT_YOURS)


def saved_search_query(actor: Any, query: str) -> str:
    """The normalised query string of a search, as a saved search stores it; raises when any
    of its values is not one the list page understands (three queries, for the choices)."""
    form = parse_filters(
        query,
        options=filter_options(
            pipeline_visible_q(actor), organisation_code=_first(query, "organisation")
        ),
    )
    filters = form.to_filters()
    if form.errors:
        raise ApplicationError(SEARCH_INVALID, field="query")
    normalised = filters.to_query()
    if not normalised:
        # Every new item would match: the feeds are the way to follow everything.
        raise ApplicationError(SEARCH_EMPTY, field="query")
    if len(normalised) > QUERY_MAX_LENGTH:
        raise ApplicationError(SEARCH_TOO_LONG, field="query")
    return normalised


def _first(query: str, name: str) -> str:
    return QueryDict(query).get(name) or ""


@transaction.atomic
def saved_search_create(*, actor: Any, name: str, query: str, email: bool = True) -> SavedSearch:
    """Save a search (the list page's query string) under a name for the signed-in person.

    The query is normalised first, so the same search saved twice is caught however its
    parameters were ordered."""
    if not (actor and actor.is_authenticated):
        raise ApplicationError(SIGN_IN_REQUIRED)
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(NAME_REQUIRED, field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ApplicationError(NAME_TOO_LONG, field="name")
    normalised = saved_search_query(actor, query or "")
    existing = SavedSearch.objects.filter(user=actor, query=normalised).first()
    if existing is not None:
        raise ApplicationError(ALREADY_SAVED.format(name=existing.name), field="name")
    if SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED_SEARCHES:
        raise ApplicationError(TOO_MANY)
    saved = SavedSearch(user=actor, name=name, query=normalised, email=email)
    saved.full_clean()
    saved.save()
    event_log(
        actor=actor,
        action="pipeline.saved_search.create",
        summary=f"Saved the Pipeline search ‘{name}’",
        obj=saved,
        data={"query": normalised, "email": email},
    )
    return saved


@transaction.atomic
def saved_search_delete(*, actor: Any, saved_search: SavedSearch) -> None:
    """Delete one of the person's saved searches (and the record of what it found)."""
    _require_owner(actor, saved_search)
    event_log(
        actor=actor,
        action="pipeline.saved_search.delete",
        summary=f"Deleted the saved Pipeline search ‘{saved_search.name}’",
        obj=saved_search,
        data={"query": saved_search.query},
    )
    saved_search.delete()


@transaction.atomic
def saved_search_set_email(*, actor: Any, saved_search: SavedSearch, email: bool) -> SavedSearch:
    """Turn a saved search's emails on or off (the Hub's own notifications always arrive)."""
    _require_owner(actor, saved_search)
    if saved_search.email == email:
        return saved_search
    saved_search.email = email
    saved_search.full_clean()
    saved_search.save(update_fields=["email", "updated_at"])
    event_log(
        actor=actor,
        action="pipeline.saved_search.email_on" if email else "pipeline.saved_search.email_off",
        summary=(
            f"{'Turned on' if email else 'Stopped'} emails for the saved Pipeline search "
            f"‘{saved_search.name}’"
        ),
        obj=saved_search,
        data={"email": email},
    )
    return saved_search


def _matching_searches(item: Item) -> dict[Any, list[SavedSearch]]:
    """Saved searches not yet told about the item whose filters and words match it, grouped
    by their owner. Searches the list page can no longer read in full are skipped: running
    what is left of them would tell people about items they never asked for."""
    options = filter_options(Q(), organisation_code=item.organisation.code)
    now = timezone.now()
    told = SavedSearchHit.objects.filter(item=item).values("saved_search_id")
    scores_by_words: dict[str, dict[int, float]] = {}
    matched: dict[Any, list[SavedSearch]] = defaultdict(list)
    candidates = (
        SavedSearch.objects.filter(user__is_active=True)
        .exclude(pk__in=told)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    for saved in candidates:
        form = parse_filters(saved.query, options=options)
        filters = form.to_filters()
        if form.errors or not item_matches_filters(item, filters, now=now):
            continue
        if filters.q:
            if filters.q not in scores_by_words:
                scores_by_words[filters.q] = search.search_scores(filters.q)
            if item.pk not in scores_by_words[filters.q]:
                continue
        matched[saved.user].append(saved)
    return matched


@transaction.atomic
def saved_searches_notify_for_item(*, item_id: int) -> int:
    """Tell each person whose saved search matches the item, once. Returns how many were told.

    Nobody hears about a draft, an item they may not see, or an item of their own
    organisation. A person with several matching searches is told once, naming the first."""
    item = Item.objects.select_related("organisation", "service_area").filter(pk=item_id).first()
    if item is None or item.is_draft or item.is_archived:
        return 0
    told = 0
    now = timezone.now()
    for person, searches in _matching_searches(item).items():
        if is_item_owner(person, item) or not can_see_item(person, item):
            continue
        fresh = [
            saved
            for saved in searches
            if SavedSearchHit.objects.get_or_create(saved_search=saved, item=item)[1]
        ]
        if not fresh:
            continue
        first = fresh[0]
        notification_create(
            recipient=person,
            kind=NOTIFICATION_KIND,
            title=(
                f"A new {item.get_kind_display().lower()} matches your saved search ‘{first.name}’"
            )[:200],
            body=f"{item.title} ({item.organisation.short_name}): {item.summary}",
            url=item.get_absolute_url(),
            send_email=any(saved.email for saved in fresh),
        )
        SavedSearch.objects.filter(pk__in=[saved.pk for saved in fresh]).update(
            last_notified_at=now
        )
        told += 1
    if told:
        event_log(
            actor=None,
            action="pipeline.saved_search.notify",
            summary=f"Told {told} people that ‘{item.title}’ matches their saved searches",
            obj=item,
            organisation=item.organisation,
            data={"people": told},
        )
    return told
