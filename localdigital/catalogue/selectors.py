"""Reads for the catalogue: find assets, an asset's page, exports and the Pipeline panel.

Every function reads a constant number of queries however many assets, adopters or claims
there are.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import QueryDict
from django.utils import timezone

from localdigital.catalogue import search
from localdigital.catalogue.filters import (
    SORT_ADOPTERS,
    SORT_NAME,
    SORT_VERIFIED,
    TIER_ACCREDITED,
    TIER_NONE,
    AssetFilterForm,
    AssetFilters,
)
from localdigital.catalogue.models import (
    LAPSE_DAYS,
    Adoption,
    Asset,
    ItemAssetLink,
    TcopClaim,
    TcopProfile,
)
from localdigital.catalogue.services.tcop import Tier, tier_of
from localdigital.core.access import active_organisation_ids, is_sector_member
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import ServiceArea

PAGE_SIZE = 20
ORDERINGS = {
    SORT_ADOPTERS: ("-adopter_count", "name", "pk"),
    SORT_VERIFIED: ("-last_verified", "name", "pk"),
    SORT_NAME: ("name", "pk"),
}
USING = (Adoption.Status.PILOTING, Adoption.Status.USING)


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """Choices for the filters read from the data (two queries)."""
    licences = (
        Asset.objects.exclude(licence="").order_by("licence").values_list("licence", flat=True)
    )
    return {
        "service_areas": list(ServiceArea.objects.values_list("key", "name")),
        "licences": [(value, value) for value in licences.distinct()],
    }


def my_organisation(user: Any) -> Organisation | None:
    """The organisation "councils like mine" compares with: the person's first membership."""
    own = sorted(active_organisation_ids(user))
    return Organisation.objects.filter(pk__in=own[:1]).first() if own else None


def like_q(organisation: Organisation) -> Q:
    """Organisations of the same council type or in the same region."""
    condition = Q(pk__in=[])
    if organisation.la_type:
        condition |= Q(la_type=organisation.la_type)
    if organisation.region:
        condition |= Q(region=organisation.region)
    return condition


def filters_q(filters: AssetFilters, *, user: Any, today: dt.date) -> Q:
    condition = Q()
    if filters.kinds:
        condition &= Q(kind__in=filters.kinds)
    if filters.service_area:
        condition &= Q(service_areas__key=filters.service_area)
    if filters.licence:
        condition &= Q(licence=filters.licence)
    if filters.statuses:
        condition &= Q(development_status__in=filters.statuses)
    if filters.tiers:
        tiers = Q(pk__in=[])
        current = Q(tcop_tier_until__gte=today)
        for tier in filters.tiers:
            if tier == TIER_ACCREDITED:
                tiers |= current & Q(tcop_accredited=True)
            elif tier == TIER_NONE:
                tiers |= ~current | Q(tcop_tier_until__isnull=True)
            else:
                tiers |= current & Q(tcop_tier=tier)
        condition &= tiers
    if filters.like_mine:
        mine = my_organisation(user)
        if mine is None:
            condition &= Q(pk__in=[])
        else:
            adopters = Adoption.objects.filter(
                asset=OuterRef("pk"),
                status__in=USING,
                confirmed_on__gte=today - dt.timedelta(days=LAPSE_DAYS),
                organisation__in=Organisation.objects.filter(like_q(mine)),
            )
            condition &= Q(Exists(adopters))
    return condition


def _result_queryset() -> QuerySet[Asset]:
    return Asset.objects.defer("description", "publiccode_text", "publiccode_extra", "descriptions")


def ranked_asset_ids(
    filters: AssetFilters, *, user: Any, today: dt.date
) -> list[int] | QuerySet[Asset]:
    condition = filters_q(filters, user=user, today=today)
    sort = filters.effective_sort
    ordering = ORDERINGS.get(sort, ORDERINGS[SORT_NAME])
    matching = Asset.objects.filter(condition)
    if filters.service_area:
        matching = matching.distinct()
    if not filters.q:
        return _result_queryset().filter(pk__in=matching.values("pk")).order_by(*ordering)
    scores = search.search_scores(filters.q)
    if not scores:
        return []
    ids = [pk for pk in matching.order_by(*ordering).values_list("pk", flat=True) if pk in scores]
    if sort in ORDERINGS:
        return ids
    return sorted(ids, key=lambda pk: -scores[pk])


@dataclass(frozen=True)
class FindResult:
    form: AssetFilterForm
    filters: AssetFilters
    page: Page
    total: int


def asset_find(
    user: Any, params: QueryDict, *, page_number: Any = None, today: dt.date | None = None
) -> FindResult:
    """Search and filter the catalogue and read one page of assets."""
    today = today or timezone.localdate()
    form = AssetFilterForm(params, options=filter_options())
    filters = form.to_filters()
    if not filters.sort or "sort" in form.errors:
        data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["sort"] = filters.effective_sort
        form.data = data
    ranked = ranked_asset_ids(filters, user=user, today=today)
    page = Paginator(ranked, PAGE_SIZE).get_page(page_number)
    if isinstance(ranked, list):
        ids = list(page.object_list)
        by_id = _result_queryset().in_bulk(ids) if ids else {}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    else:
        page.object_list = list(page.object_list)
    return FindResult(form=form, filters=filters, page=page, total=page.paginator.count)


def assets_for_export(user: Any, params: QueryDict) -> list[Asset]:
    """Every asset the list's filters select, in its order, with owners and areas (4 queries)."""
    form = AssetFilterForm(params, options=filter_options())
    filters = form.to_filters()
    ranked = ranked_asset_ids(filters, user=user, today=timezone.localdate())
    queryset = Asset.objects.prefetch_related("owners", "service_areas", "tags").select_related(
        "origin"
    )
    if isinstance(ranked, list):
        by_id = queryset.in_bulk(ranked)
        return [by_id[pk] for pk in ranked if pk in by_id]
    return list(queryset.filter(pk__in=ranked.values("pk")).order_by(*ranked.query.order_by))


@dataclass(frozen=True)
class AssetPage:
    asset: Asset
    adoptions: list[Adoption]
    lapsed_adoptions: int
    profile: TcopProfile | None
    claims: list[TcopClaim]
    tier: Tier
    history: list[TcopProfile]
    draft: TcopProfile | None
    similar: list[search.Suggestion]
    links: list[ItemAssetLink]
    mine: list[Adoption]
    can_review: bool


def asset_page(user: Any, asset: Asset, *, today: dt.date | None = None) -> AssetPage:
    """Everything the asset's page shows (the asset comes from `access_asset_for_user`, with
    its origin and owners): a constant 9 queries, plus the asset index's check."""
    today = today or timezone.localdate()
    prefetch_related_objects([asset], "service_areas", "tags")
    every = list(
        asset.adoptions.select_related("organisation").order_by("organisation__short_name", "pk")
    )
    cutoff = today - dt.timedelta(days=LAPSE_DAYS)
    adoptions = [a for a in every if a.confirmed_on >= cutoff]
    own = active_organisation_ids(user)
    profiles = list(
        asset.tcop_profiles.select_related("reviewer_organisation", "framework").order_by(
            F("declared_at").desc(nulls_last=True), "-pk"
        )
    )
    # The current profile is the newest declared one that a later one has not superseded.
    profile = next(
        (
            p
            for p in profiles
            if p.state not in (TcopProfile.State.DRAFT, TcopProfile.State.SUPERSEDED)
        ),
        None,
    )
    claims = (
        list(profile.claims.select_related("node", "level").order_by("node__position"))
        if profile
        else []
    )
    owner = bool(own & {o.pk for o in asset.owners.all()})
    draft = next((p for p in profiles if p.state == TcopProfile.State.DRAFT), None)
    links = list(
        asset.item_links.filter(item__visibility="public", item__status="active")
        .select_related("item__organisation")
        .order_by("item__title")
    )
    return AssetPage(
        asset=asset,
        adoptions=adoptions,
        lapsed_adoptions=len(every) - len(adoptions),
        profile=profile,
        claims=claims,
        tier=tier_of(profile, today, claims),
        history=[p for p in profiles if p.state != TcopProfile.State.DRAFT and p is not profile],
        draft=draft if owner else None,
        similar=search.similar_assets(asset),
        links=links,
        mine=[a for a in every if a.organisation_id in own],
        can_review=(
            profile is not None
            and profile.state == TcopProfile.State.DECLARED
            and is_sector_member(user)
            and bool(own)
            and not owner
        ),
    )


def profile_claims(profile: TcopProfile) -> list[TcopClaim]:
    """A profile's claims in point order with each point's levels (three queries)."""
    return list(
        profile.claims.select_related("node", "level")
        .prefetch_related(Prefetch("node__levels"))
        .order_by("node__position")
    )


def item_solutions(item: Any) -> dict[str, Any]:
    """The Pipeline item's "existing solutions": the assets it links, then matched ones."""
    links = list(
        ItemAssetLink.objects.filter(item=item).select_related("asset").order_by("relation", "pk")
    )
    linked = {link.asset_id for link in links}
    matched = [s for s in search.solutions_for_item(item, limit=8) if s.asset.pk not in linked]
    return {"links": links, "matched": matched[:5]}


def organisation_solutions(organisation: Organisation) -> dict[str, Any]:
    """What a council's page shows of the catalogue: solutions it owns and those it uses."""
    today = timezone.localdate()
    owned = list(organisation.catalogue_assets.order_by("name")[:50])
    adopted = list(
        organisation.adoptions.filter(confirmed_on__gte=today - dt.timedelta(days=LAPSE_DAYS))
        .select_related("asset")
        .order_by("asset__name")[:50]
    )
    return {"organisation": organisation, "owned": owned, "adopted": adopted}
