"""Writes for catalogue assets: add, change, verify, link to Pipeline items.

Every change is kept as an `AssetRevision` (who changed which field, old and new values) and
rebuilds the asset's matching features, so search and "existing solutions" see it at once.
Services check who may act themselves: only members of an asset's owning organisations change it.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.catalogue.licences import licence_problem
from localdigital.catalogue.models import Asset, AssetRevision, ItemAssetLink
from localdigital.core.access import active_organisation_ids, is_asset_owner, is_item_owner
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, ServiceArea, Tag
from localdigital.pipeline.services.items import parse_tags

NAME_REQUIRED = "Enter the name of the solution"
NAME_TOO_LONG = "Enter a name of 150 characters or fewer"
SUMMARY_REQUIRED = "Enter a summary"
SUMMARY_TOO_LONG = "Enter a summary of 280 characters or fewer"
KIND_REQUIRED = "Select what kind of solution this is"
STATUS_REQUIRED = "Select the development status"
MAINTENANCE_REQUIRED = "Select how it is maintained"
OWNER_REQUIRED = "Select at least one owning organisation"
NOT_A_MEMBER = "You can only add solutions owned by an organisation you are a member of"
NOT_AN_OWNER = "Only people from the organisations that own this solution can change it"
URL_SCHEME = "Enter a web address starting with http:// or https://"
REPOSITORY_TAKEN = "Another solution in the catalogue already has this repository: {name}"
CONTRACTOR_REQUIRED = "Enter the contractor and the contract end date for contract maintenance"
CONTRACTORS_ONLY_FOR_CONTRACT = "Only contract maintenance has contractors"
CONTACT_REQUIRED = "Enter at least one contact for internal or community maintenance"
BAD_CONTRACTOR = "Enter each contractor as ‘name, end date’, for example ‘Acme Ltd, 2027-03-31’"
BAD_CONTACT = "Enter each contact as ‘name, email address’"
NOTHING_CHANGED = "You have not changed anything"
UNKNOWN_SUPPORT = "‘{value}’ is not a UK claim the catalogue knows"
ORIGIN_NOT_VISIBLE = "Choose a public Pipeline item as the origin"

# The UK claims an asset can make (publiccode.yml's `uk.supports`).
SUPPORTS = {
    "tcop": "Technology Code of Practice",
    "service-standard": "Service Standard",
    "wcag-2.2": "WCAG 2.2 AA",
    "uk-gdpr": "UK GDPR",
    "gov-uk-notify": "GOV.UK Notify",
    "gov-uk-pay": "GOV.UK Pay",
    "cyber-essentials": "Cyber Essentials",
}
FIELDS = (
    "name",
    "kind",
    "summary",
    "description",
    "owners",
    "licence",
    "repository_url",
    "landing_url",
    "documentation_url",
    "development_status",
    "maintenance",
    "contractors",
    "maintainers",
    "service_areas",
    "tags",
    "platforms",
    "supports",
    "origin",
)
LABELS = {
    "name": "Name",
    "kind": "Kind",
    "summary": "Summary",
    "description": "Description",
    "owners": "Owners",
    "licence": "Licence",
    "repository_url": "Repository",
    "landing_url": "Landing page",
    "documentation_url": "Documentation",
    "development_status": "Development status",
    "maintenance": "Maintenance",
    "contractors": "Contractors",
    "maintainers": "Maintainers",
    "service_areas": "Service areas",
    "tags": "Tags",
    "platforms": "Platforms",
    "supports": "UK claims",
    "origin": "Origin",
    "last_verified": "Last verified",
}
URL_FIELDS = ("repository_url", "landing_url", "documentation_url")
RESERVED_SLUGS = {"new", "import", "validate", "adoption", "links", "export.csv", "export.json"}


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100].strip("-") or "solution"
    candidate, n = base, 1
    while True:
        others = Asset.objects.filter(slug=candidate)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if candidate not in RESERVED_SLUGS and not others.exists():
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def parse_contractors(value: str | Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Contractors from lines of ‘name, YYYY-MM-DD’ (the form) or a list of mappings."""
    if not isinstance(value, str):
        return [{k: str(v) for k, v in dict(c).items() if v not in (None, "")} for c in value if c]
    contractors = []
    for line in value.splitlines():
        if not line.strip():
            continue
        name, _, until = line.rpartition(",")
        try:
            day = dt.date.fromisoformat(until.strip())
        except ValueError:
            raise ApplicationError(BAD_CONTRACTOR, field="contractors") from None
        if not name.strip():
            raise ApplicationError(BAD_CONTRACTOR, field="contractors")
        contractors.append({"name": " ".join(name.split()), "until": day.isoformat()})
    return contractors


def parse_contacts(value: str | Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Contacts from lines of ‘name, email’ (the form) or a list of mappings."""
    if not isinstance(value, str):
        return [{k: str(v) for k, v in dict(c).items() if v not in (None, "")} for c in value if c]
    contacts = []
    for line in value.splitlines():
        if not line.strip():
            continue
        name, _, email = line.rpartition(",")
        email = email.strip()
        if not name.strip() or "@" not in email or " " in email:
            raise ApplicationError(BAD_CONTACT, field="maintainers")
        contacts.append({"name": " ".join(name.split()), "email": email})
    return contacts


def _as_list(value: str | Iterable[str]) -> list[str]:
    raw = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    seen: list[str] = []
    for entry in raw:
        entry = " ".join(str(entry).split())
        if entry and entry not in seen:
            seen.append(entry)
    return seen


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "tags":
            value = parse_tags(value or "")
        elif name == "contractors":
            value = parse_contractors(value or [])
        elif name == "maintainers":
            value = parse_contacts(value or [])
        elif name in ("platforms", "supports"):
            value = _as_list(value or [])
        elif name in ("owners", "service_areas"):
            value = sorted(set(value or []), key=lambda o: o.pk)
        elif name == "description" and isinstance(value, str):
            value = value.strip()
        elif isinstance(value, str):
            value = " ".join(value.split())
        values[name] = value
    return values


def _check(
    values: Mapping[str, Any], *, exclude_pk: int | None = None, require_owner: bool = True
) -> None:
    name = values.get("name", "")
    if not name:
        raise ApplicationError(NAME_REQUIRED, field="name")
    if len(name) > 150:
        raise ApplicationError(NAME_TOO_LONG, field="name")
    summary = values.get("summary", "")
    if not summary:
        raise ApplicationError(SUMMARY_REQUIRED, field="summary")
    if len(summary) > 280:
        raise ApplicationError(SUMMARY_TOO_LONG, field="summary")
    if values.get("kind") not in Asset.Kind.values:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    if values.get("development_status") not in Asset.DevelopmentStatus.values:
        raise ApplicationError(STATUS_REQUIRED, field="development_status")
    maintenance = values.get("maintenance")
    if maintenance not in Asset.Maintenance.values:
        raise ApplicationError(MAINTENANCE_REQUIRED, field="maintenance")
    if require_owner and not values.get("owners"):
        raise ApplicationError(OWNER_REQUIRED, field="owners")
    for field in URL_FIELDS:
        url = values.get(field, "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise ApplicationError(URL_SCHEME, field=field)
    licence = values.get("licence", "")
    if licence:
        problem = licence_problem(licence)
        if problem:
            raise ApplicationError(problem, field="licence")
    contractors = values.get("contractors") or []
    if maintenance == Asset.Maintenance.CONTRACT and not contractors:
        raise ApplicationError(CONTRACTOR_REQUIRED, field="contractors")
    if maintenance != Asset.Maintenance.CONTRACT and contractors:
        raise ApplicationError(CONTRACTORS_ONLY_FOR_CONTRACT, field="contractors")
    internal = (Asset.Maintenance.INTERNAL, Asset.Maintenance.COMMUNITY)
    if maintenance in internal and not values.get("maintainers"):
        raise ApplicationError(CONTACT_REQUIRED, field="maintainers")
    for claim in values.get("supports") or []:
        if claim not in SUPPORTS:
            raise ApplicationError(UNKNOWN_SUPPORT.format(value=claim), field="supports")
    repository = values.get("repository_url", "")
    if repository:
        others = Asset.objects.filter(repository_url=repository)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        other = others.first()
        if other is not None:
            raise ApplicationError(REPOSITORY_TAKEN.format(name=other.name), field="repository_url")
    origin = values.get("origin")
    if origin is not None and (origin.visibility != Item.Visibility.PUBLIC or origin.is_archived):
        raise ApplicationError(ORIGIN_NOT_VISIBLE, field="origin")


def display_value(name: str, value: Any) -> str:
    """A field's value as a person reads it, for the history."""
    if value in (None, "", []):
        return ""
    if name in ("owners", "service_areas"):
        return ", ".join(str(v) for v in value)
    if name == "tags":
        return ", ".join(value)
    if name == "contractors":
        return "; ".join(f"{c.get('name', '')} until {c.get('until', '')}" for c in value)
    if name == "maintainers":
        return "; ".join(f"{c.get('name', '')} <{c.get('email', '')}>" for c in value)
    if name == "platforms":
        return ", ".join(value)
    if name == "supports":
        return ", ".join(SUPPORTS.get(v, v) for v in value)
    if name == "origin":
        return value.title
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    choices: Any = getattr(Asset._meta.get_field(name), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def current_values(asset: Asset) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name in ("owners", "service_areas"):
            values[name] = sorted(getattr(asset, name).all(), key=lambda o: o.pk)
        elif name == "tags":
            values[name] = [t.name for t in asset.tags.all()]
        else:
            values[name] = getattr(asset, name)
    return values


def _apply(asset: Asset, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name not in ("owners", "service_areas", "tags"):
            setattr(asset, name, value)


def _set_relations(asset: Asset, values: Mapping[str, Any]) -> None:
    if "owners" in values:
        asset.owners.set(values["owners"])
    if "service_areas" in values:
        asset.service_areas.set(values["service_areas"])
    if "tags" in values:
        tags = []
        for name in values["tags"]:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
            tags.append(tag)
        asset.tags.set(tags)


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "tags":
        return {slugify(t) for t in old} == {slugify(t) for t in new}
    if name in ("owners", "service_areas"):
        return [o.pk for o in old] == [o.pk for o in new]
    return old == new


def _record(asset: Asset, *, actor: Any, changes: dict, summary: str) -> None:
    AssetRevision.objects.create(asset=asset, author=actor, summary=summary, changes=changes)


def _after_change(asset: Asset) -> None:
    from localdigital.catalogue.search import build_asset_document

    build_asset_document(asset)


@transaction.atomic
def asset_create(
    *,
    actor: Any,
    data: Mapping[str, Any],
    source: str = Asset.Source.HUB,
    extra: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    require_owner: bool = True,
) -> Asset:
    """Add a solution to the catalogue, owned by `data["owners"]`.

    `actor` must be a member of at least one owning organisation; `None` is the system (the
    seed and the import command), which may add an asset no Hub organisation owns (a
    publiccode.yml from abroad: programme staff then look after it). `extra` sets the
    publiccode.yml fields a form never shows (original text, version, other languages...)."""
    values = _clean(data)
    values.setdefault("development_status", Asset.DevelopmentStatus.DEVELOPMENT)
    values.setdefault("maintenance", Asset.Maintenance.NONE)
    if require_owner and not values.get("owners"):
        raise ApplicationError(OWNER_REQUIRED, field="owners")
    if actor is not None:
        own = active_organisation_ids(actor)
        if not any(o.pk in own for o in values.get("owners") or []):
            raise ApplicationError(NOT_A_MEMBER, field="owners")
    _check(values, require_owner=require_owner)
    now = now or timezone.now()
    asset = Asset(source=source, created_by=actor, last_verified=timezone.localdate(now))
    _apply(asset, values)
    for name, value in (extra or {}).items():
        setattr(asset, name, value)
    asset.slug = unique_slug(asset.name)
    asset.save()
    _set_relations(asset, values)
    changes = {
        name: {"label": LABELS[name], "old": "", "new": display_value(name, value)}
        for name, value in values.items()
        if display_value(name, value)
    }
    _record(asset, actor=actor, changes=changes, summary="Added to the catalogue")
    owners = values.get("owners") or [None]
    event_log(
        actor=actor,
        action="catalogue.asset.create",
        summary=f"Added “{asset.name}” to the catalogue"
        + (" (from publiccode.yml)" if source == Asset.Source.PUBLICCODE else ""),
        obj=asset,
        organisation=owners[0],
        data={"slug": asset.slug, "kind": asset.kind},
    )
    _after_change(asset)
    return asset


@transaction.atomic
def asset_update(
    *,
    actor: Any,
    asset: Asset,
    data: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
    summary: str = "Changed",
    now: dt.datetime | None = None,
) -> Asset:
    """Change an asset's fields. Only members of its owning organisations may (`None` is the
    system). Raises NOTHING_CHANGED when nothing differs, so re-imports leave no trace. A
    change made by an owner also marks the asset verified today."""
    if actor is not None and not is_asset_owner(actor, asset):
        raise ApplicationError(NOT_AN_OWNER)
    values = _clean(data)
    before = current_values(asset)
    if actor is not None and "owners" in values:
        own = active_organisation_ids(actor)
        if not any(o.pk in own for o in values["owners"]):
            raise ApplicationError(
                "You cannot remove your own organisation from the owners", field="owners"
            )
    changes = {}
    for name, value in values.items():
        if not _same(name, before[name], value):
            changes[name] = {
                "label": LABELS[name],
                "old": display_value(name, before[name]),
                "new": display_value(name, value),
            }
    extra_changed = {k: v for k, v in (extra or {}).items() if getattr(asset, k) != v}
    if not changes and not extra_changed:
        raise ApplicationError(NOTHING_CHANGED)
    merged = {**before, **values}
    _check(merged, exclude_pk=asset.pk, require_owner=bool(before["owners"]))
    _apply(asset, values)
    for name, value in extra_changed.items():
        setattr(asset, name, value)
    if actor is not None:
        asset.last_verified = timezone.localdate(now or timezone.now())
    asset.save()
    _set_relations(asset, {k: v for k, v in values.items() if k in changes})
    if extra_changed and not changes:
        changes["publiccode"] = {
            "label": "publiccode.yml",
            "old": "",
            "new": "Updated from a new publiccode.yml",
        }
    _record(asset, actor=actor, changes=changes, summary=summary)
    event_log(
        actor=actor,
        action="catalogue.asset.update",
        summary=f"Changed {', '.join(c['label'].lower() for c in changes.values())} of "
        f"“{asset.name}”",
        obj=asset,
        organisation=asset.owners.first(),
        data={"fields": sorted(changes)},
    )
    _after_change(asset)
    return asset


@transaction.atomic
def asset_verify(*, actor: Any, asset: Asset, now: dt.datetime | None = None) -> Asset:
    """An owner confirms the entry is still accurate: "last verified" becomes today."""
    if not is_asset_owner(actor, asset):
        raise ApplicationError(NOT_AN_OWNER)
    today = timezone.localdate(now or timezone.now())
    old = asset.last_verified
    asset.last_verified = today
    asset.save(update_fields=["last_verified", "updated_at"])
    _record(
        asset,
        actor=actor,
        changes={
            "last_verified": {
                "label": LABELS["last_verified"],
                "old": display_value("last_verified", old),
                "new": display_value("last_verified", today),
            }
        },
        summary="Confirmed still accurate",
    )
    event_log(
        actor=actor,
        action="catalogue.asset.verify",
        summary=f"Confirmed “{asset.name}” is still accurate",
        obj=asset,
        organisation=asset.owners.first(),
    )
    return asset


LINK_OWNER_ONLY = "Only people from {organisation} can link solutions to this item"
ALREADY_LINKED = "This item already says it {relation} {name}"


@transaction.atomic
def item_asset_link(*, actor: Any, item: Item, asset: Asset, relation: str) -> ItemAssetLink:
    """A Pipeline item's owners record that it reuses or produces a catalogue asset."""
    if not is_item_owner(actor, item):
        raise ApplicationError(LINK_OWNER_ONLY.format(organisation=item.organisation.short_name))
    if relation not in ItemAssetLink.Relation.values:
        raise ApplicationError("Select whether the item reuses or produces it", field="relation")
    if ItemAssetLink.objects.filter(item=item, asset=asset, relation=relation).exists():
        label = ItemAssetLink.Relation(relation).label.lower()
        raise ApplicationError(ALREADY_LINKED.format(relation=label, name=asset.name))
    link = ItemAssetLink.objects.create(item=item, asset=asset, relation=relation, created_by=actor)
    event_log(
        actor=actor,
        action="catalogue.item_link.create",
        summary=f"“{item.title}” {link.get_relation_display().lower()} “{asset.name}”",
        obj=link,
        organisation=item.organisation,
    )
    return link


@transaction.atomic
def item_asset_unlink(*, actor: Any, link: ItemAssetLink) -> None:
    if not is_item_owner(actor, link.item):
        raise ApplicationError(
            LINK_OWNER_ONLY.format(organisation=link.item.organisation.short_name)
        )
    event_log(
        actor=actor,
        action="catalogue.item_link.delete",
        summary=f"“{link.item.title}” no longer {link.get_relation_display().lower()} "
        f"“{link.asset.name}”",
        obj=link.item,
        organisation=link.item.organisation,
    )
    link.delete()


def owners_from_codes(codes: Iterable[str]) -> list[Organisation]:
    """Organisations by Hub code, mySociety code or GSS code; unknown codes raise."""
    from django.db.models import Q

    found = []
    for code in codes:
        organisation = Organisation.objects.filter(
            Q(code__iexact=code) | Q(gss_code__iexact=code)
        ).first()
        if organisation is None:
            raise ApplicationError(f"No organisation has the code ‘{code}’", field="owners")
        found.append(organisation)
    return found


def service_areas_from_keys(keys: Iterable[str]) -> list[ServiceArea]:
    areas = list(ServiceArea.objects.filter(key__in=list(keys)))
    return areas
