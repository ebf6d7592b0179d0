"""Reads of expressions of interest: the item page's panel and the person's interest page."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from localdigital.core.access import active_organisation_ids, can_edit_item
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Interest, Item, Partnership
from localdigital.pipeline.services.freshness import awaiting_response, is_stale


def _with_state(interests: Sequence[Interest]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"interest": i, "awaiting": awaiting_response(i, today)} for i in interests]


def item_interest_panel(user: Any, item: Item) -> dict[str, Any]:
    """What the item page shows about interest and freshness for this person: the owner sees all
    interest with its state, an interested organisation its own, and anyone else who may the
    form to express interest. A fixed number of queries."""
    own = active_organisation_ids(user)
    is_owner = item.organisation_id in own
    base = Interest.objects.filter(item=item).select_related("organisation", "person")
    base = base.annotate(replies=Count("messages")).order_by("-created_at", "-pk")
    if is_owner:
        visible = list(base)
    elif own:
        visible = list(base.filter(organisation_id__in=own))
    else:
        visible = []
    partner_ids = set(
        Partnership.objects.filter(item=item).values_list("organisation_id", flat=True)
    )
    pending_ids = {i.organisation_id for i in visible if i.is_pending}
    choices = [
        o
        for o in Organisation.objects.filter(pk__in=own).order_by("short_name")
        if o.pk != item.organisation_id and o.pk not in partner_ids and o.pk not in pending_ids
    ] if own else []  # fmt: skip
    return {
        "is_owner": is_owner,
        "signed_in": bool(user and user.is_authenticated),
        "interests": _with_state(visible),
        "can_express": bool(choices) and not item.is_draft and not item.is_archived,
        "express_organisations": choices,
        "can_confirm": can_edit_item(user, item) and not item.is_archived,
        "is_stale": is_stale(item, timezone.localdate()),
    }


def interests_for_person(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Interest sent by and received by the person's organisations, newest first."""
    own = active_organisation_ids(user)
    base = (
        Interest.objects.select_related("item__organisation", "organisation")
        .annotate(replies=Count("messages"))
        .order_by("-created_at", "-pk")
    )
    return {
        "received": _with_state(list(base.filter(item__organisation_id__in=own)[:100])),
        "sent": _with_state(list(base.filter(organisation_id__in=own)[:100])),
    }


def conversation(interest: Interest) -> list[Any]:
    return list(interest.messages.select_related("author").order_by("created_at", "pk"))


def open_interest_count(organisation_ids: set[int]) -> int:
    return Interest.objects.filter(
        Q(item__organisation_id__in=organisation_ids), status=Interest.Status.OPEN
    ).count()
