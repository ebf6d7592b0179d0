"""Pipeline pages: find items (search, filters, sorting), saved searches, and the Atom and
JSON feeds of public activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core.access import access_saved_search_for_user, pipeline_visible_q
from localdigital.core.cache import public_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.pagination import govuk_pagination
from localdigital.organisations.models import Organisation
from localdigital.pipeline import feeds
from localdigital.pipeline.filters import (
    ItemFilters,
    SavedSearchForm,
    parse_filters,
)
from localdigital.pipeline.models import ServiceArea, Tag
from localdigital.pipeline.selectors.activity import FeedScope, feed_activity
from localdigital.pipeline.selectors.find import (
    describe_filters,
    filter_options,
    item_find,
    saved_search_rows,
)
from localdigital.pipeline.services import saved_searches as services

NAV = "pipeline"
FORMATS = r"(?P<fmt>atom|json)"


def _feed_links(filters: ItemFilters | None = None) -> list[dict[str, str]]:
    """The feeds a list page offers: everything, and the one service area or organisation the
    list is narrowed to, if it is."""
    links = [{"title": "New Pipeline items and updates", "atom": "", "json": ""}]
    links[0]["atom"] = reverse("pipeline:feed", kwargs={"fmt": "atom"})
    links[0]["json"] = reverse("pipeline:feed", kwargs={"fmt": "json"})
    if filters is not None and len(filters.service_areas) == 1:
        key = filters.service_areas[0]
        links.append(
            {
                "title": "New Pipeline items and updates in this service area",
                "atom": reverse("pipeline:service_area_feed", kwargs={"key": key, "fmt": "atom"}),
                "json": reverse("pipeline:service_area_feed", kwargs={"key": key, "fmt": "json"}),
            }
        )
    if filters is not None and len(filters.organisations) == 1:
        code = filters.organisations[0]
        links.append(
            {
                "title": "New Pipeline items and updates from this organisation",
                "atom": reverse("pipeline:organisation_feed", kwargs={"code": code, "fmt": "atom"}),
                "json": reverse("pipeline:organisation_feed", kwargs={"code": code, "fmt": "json"}),
            }
        )
    return links


@require_GET
@public_page_cache
def item_list(request: HttpRequest) -> HttpResponse:
    """Find items: relevance-ranked search, filters, sorting and pages of results."""
    found = item_find(request.user, request.GET, page_number=request.GET.get("page"))
    query = found.filters.to_query()
    return render(
        request,
        "pipeline/list.html",
        {
            "nav_section": NAV,
            "form": found.form,
            "filters": found.filters,
            "page": found.page,
            "total": found.total,
            "pagination": govuk_pagination(found.page, request),
            "chosen": describe_filters(found.form, found.filters),
            "today": timezone.localdate(),
            "has_errors": bool(found.form.errors),
            "save_url": reverse("pipeline:saved_search_new") + (f"?{query}" if query else ""),
            "feed_links": _feed_links(found.filters),
        },
    )


def _suggested_name(chosen: list[dict[str, str]]) -> str:
    if not chosen:
        return "All Pipeline items"
    return ", ".join(entry["text"] for entry in chosen)[:100]


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_new(request: HttpRequest) -> HttpResponse:
    """Name the current search and save it (its filters come in the query string)."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        query = str(request.POST.get("query") or "")
    else:
        query = request.GET.urlencode()
        form = SavedSearchForm(initial={"query": query, "email": True})
    filter_form = parse_filters(
        query,
        options=filter_options(
            pipeline_visible_q(request.user),
            organisation_code=QueryDict(query).get("organisation") or "",
        ),
    )
    filters = filter_form.to_filters()
    chosen = describe_filters(filter_form, filters)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.saved_search_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                query=query,
                email=form.cleaned_data["email"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Your search ‘{saved.name}’ has been saved.")
            return redirect("pipeline:saved_searches")
    elif request.method == "GET":
        form.initial["name"] = _suggested_name(chosen)
    return render(
        request,
        "pipeline/saved_search_new.html",
        {
            "nav_section": NAV,
            "form": form,
            "chosen": chosen,
            "query": query,
            "has_errors": form.is_bound and bool(form.errors),
        },
    )


@login_required
@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The person's saved searches, each with what it looks for."""
    rows = saved_search_rows(request.user)
    return render(request, "pipeline/saved_searches.html", {"nav_section": NAV, "rows": rows})


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = access_saved_search_for_user(request.user, pk)
    name = saved.name
    services.saved_search_delete(actor=request.user, saved_search=saved)
    messages.success(request, f"Your saved search ‘{name}’ has been deleted.")
    return redirect("pipeline:saved_searches")


@login_required
@require_POST
def saved_search_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop or start the emails of a saved search (`email=on` or `email=off`)."""
    saved = access_saved_search_for_user(request.user, pk)
    choice = request.POST.get("email")
    if choice not in {"on", "off"}:
        raise Http404("No such choice")
    services.saved_search_set_email(actor=request.user, saved_search=saved, email=choice == "on")
    if choice == "on":
        messages.success(request, f"We will email you when a new item matches ‘{saved.name}’.")
    else:
        messages.success(
            request,
            f"We will stop emailing you about ‘{saved.name}’. "
            "New matches still appear in your notifications.",
        )
    return redirect("pipeline:saved_searches")


def _feed(request: HttpRequest, fmt: str, scope: FeedScope, info: feeds.FeedInfo) -> HttpResponse:
    events = feed_activity(scope)
    if fmt == "json":
        return feeds.json_feed_response(request, info, events)
    return feeds.atom_response(request, info, events)


def _feed_paths(name: str, **kwargs: str) -> dict[str, str]:
    return {
        "atom_path": reverse(f"pipeline:{name}", kwargs={**kwargs, "fmt": "atom"}),
        "json_path": reverse(f"pipeline:{name}", kwargs={**kwargs, "fmt": "json"}),
    }


@require_GET
@public_page_cache
def feed(request: HttpRequest, fmt: str) -> HttpResponse:
    """New public items and status updates across the Pipeline."""
    info = feeds.FeedInfo(
        title="Local Digital Pipeline: new items and updates",
        description="New public projects, ideas and problems from councils, and their updates.",
        page_path=reverse("pipeline:list"),
        **_feed_paths("feed"),
    )
    return _feed(request, fmt, FeedScope(), info)


@require_GET
@public_page_cache
def service_area_feed(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """New public items and status updates in one service area."""
    area = get_object_or_404(ServiceArea, key=key)
    info = feeds.FeedInfo(
        title=f"Local Digital Pipeline: {area.name}",
        description=f"New public Pipeline items and updates in {area.name}.",
        page_path=f"{reverse('pipeline:list')}?service_area={area.key}",
        **_feed_paths("service_area_feed", key=area.key),
    )
    return _feed(request, fmt, FeedScope(service_area=area), info)


@require_GET
@public_page_cache
def organisation_feed(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """New public items and status updates led by one organisation."""
    organisation = get_object_or_404(Organisation, code=code)
    info = feeds.FeedInfo(
        title=f"Local Digital Pipeline: {organisation.short_name}",
        description=f"New public Pipeline items and updates from {organisation.name}.",
        page_path=f"{reverse('pipeline:list')}?organisation={organisation.code}",
        **_feed_paths("organisation_feed", code=organisation.code),
    )
    return _feed(request, fmt, FeedScope(organisation=organisation), info)


@require_GET
@public_page_cache
def tag_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """New public items and status updates tagged with one tag."""
    tag = get_object_or_404(Tag, slug=slug)
    info = feeds.FeedInfo(
        title=f"Local Digital Pipeline: tagged ‘{tag.name}’",
        description=f"New public Pipeline items and updates tagged ‘{tag.name}’.",
        page_path=f"{reverse('pipeline:list')}?q={tag.name}",
        **_feed_paths("tag_feed", slug=tag.slug),
    )
    return _feed(request, fmt, FeedScope(tag=tag), info)


urlpatterns: list = [
    path("", item_list, name="list"),
    path("saved-searches/", saved_search_list, name="saved_searches"),
    path("saved-searches/new/", saved_search_new, name="saved_search_new"),
    path("saved-searches/<int:pk>/delete/", saved_search_delete, name="saved_search_delete"),
    path("saved-searches/<int:pk>/email/", saved_search_email, name="saved_search_email"),
    re_path(rf"^feed\.{FORMATS}$", feed, name="feed"),
    re_path(
        rf"^service-areas/(?P<key>[-a-zA-Z0-9_]+)/feed\.{FORMATS}$",
        service_area_feed,
        name="service_area_feed",
    ),
    re_path(
        rf"^organisations/(?P<code>[-a-zA-Z0-9_]+)/feed\.{FORMATS}$",
        organisation_feed,
        name="organisation_feed",
    ),
    re_path(rf"^tags/(?P<slug>[-a-zA-Z0-9_]+)/feed\.{FORMATS}$", tag_feed, name="tag_feed"),
]
