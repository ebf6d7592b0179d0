"""publiccode.yml in and out of the catalogue.

Import: validate the whole file first (every error and warning with its line and column); an
invalid file writes nothing. A valid one creates the asset or updates the one with the same
repository URL, and keeps the original text. Export: any asset as publiccode.yml 0.4, filling
what the standard requires from the Hub's fields, so import -> export -> import gives the same
asset.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from localdigital.catalogue.models import Asset
from localdigital.catalogue.publiccode import ValidationReport, from_publiccode, to_publiccode
from localdigital.catalogue.publiccode import validate as validate_publiccode
from localdigital.catalogue.services import assets as asset_services
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import ServiceArea

INVALID = "The publiccode.yml has {count} {errors}: nothing was saved"
# What the Hub calls each publiccode.yml software type when it becomes an asset.
KIND_BY_SOFTWARE_TYPE: dict[str, str] = {
    "standalone/web": Asset.Kind.OPEN_SOURCE,
    "standalone/mobile": Asset.Kind.OPEN_SOURCE,
    "standalone/desktop": Asset.Kind.OPEN_SOURCE,
    "standalone/iot": Asset.Kind.OPEN_SOURCE,
    "standalone/backend": Asset.Kind.OPEN_SOURCE,
    "standalone/other": Asset.Kind.OPEN_SOURCE,
    "addon": Asset.Kind.COMPONENT,
    "library": Asset.Kind.COMPONENT,
    "configurationFiles": Asset.Kind.COMPONENT,
}
# And back: the software type an asset of each kind exports as, when it has none of its own.
SOFTWARE_TYPE_BY_KIND: dict[str, str] = {
    Asset.Kind.COMPONENT: "library",
    Asset.Kind.API: "standalone/backend",
    Asset.Kind.DATA_STANDARD: "configurationFiles",
    Asset.Kind.DATASET: "configurationFiles",
}
DEFAULT_CATEGORY = "it-development"
LONG_DESCRIPTION_MIN = 150


class PubliccodeInvalid(ApplicationError):
    """The file has errors; `report` holds every message with its line and column."""

    def __init__(self, report: ValidationReport):
        count = len(report.errors)
        super().__init__(
            INVALID.format(count=count, errors="error" if count == 1 else "errors"),
            extra={"report": report},
        )
        self.report = report


@dataclass
class ImportOutcome:
    asset: Asset
    created: bool
    changed: bool
    report: ValidationReport
    warnings: list[Any] = field(default_factory=list)


def _asset_data(plain: dict[str, Any], owners: Sequence[Organisation]) -> dict[str, Any]:
    summary = plain.get("short_description") or plain.get("name", "")
    return {
        "name": plain.get("name", ""),
        "kind": KIND_BY_SOFTWARE_TYPE.get(plain.get("software_type", ""), Asset.Kind.OPEN_SOURCE),
        "summary": summary,
        "description": plain.get("long_description", ""),
        "owners": list(owners),
        "licence": plain.get("licence", ""),
        "repository_url": plain.get("url", ""),
        "landing_url": plain.get("landing_url", ""),
        "documentation_url": plain.get("documentation", ""),
        "development_status": plain.get("development_status")
        or Asset.DevelopmentStatus.DEVELOPMENT,
        "maintenance": plain.get("maintenance_type") or Asset.Maintenance.NONE,
        "contractors": [
            {
                **{k: v for k, v in c.items() if k != "until"},
                "until": c["until"].isoformat()
                if isinstance(c.get("until"), dt.date)
                else str(c.get("until", "")),
            }
            for c in plain.get("contractors") or []
        ],
        "maintainers": plain.get("contacts") or [],
        "platforms": plain.get("platforms") or [],
        "supports": plain.get("supports") or [],
    }


def _asset_extra(plain: dict[str, Any], report: ValidationReport) -> dict[str, Any]:
    """The publiccode.yml fields a form never shows, kept for the round trip."""
    release = plain.get("release_date")
    return {
        "publiccode_version": report.version or "",
        "software_version": plain.get("software_version", ""),
        "release_date": release if isinstance(release, dt.date) else None,
        "categories": plain.get("categories") or [],
        "software_type": plain.get("software_type", ""),
        "descriptions": _jsonable(plain.get("description") or {}),
        "dependencies": _jsonable(plain.get("depends_on") or {}),
        "publiccode_extra": _jsonable(
            {
                "extra": plain.get("extra") or {},
                "main_copyright_owner": plain.get("main_copyright_owner", ""),
                "repo_owner": plain.get("repo_owner", ""),
                "available_languages": plain.get("available_languages") or [],
                "localisation_ready": plain.get("localisation_ready"),
                "features": plain.get("features") or [],
                "description_language": plain.get("description_language", ""),
            }
        ),
    }


def _jsonable(value: Any) -> Any:
    """Dates (which YAML reads as date objects) become ISO text so JSON fields can hold them."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def publiccode_import(
    *,
    actor: Any,
    content: str | bytes,
    owners: Sequence[Organisation] = (),
    now: dt.datetime | None = None,
) -> ImportOutcome:
    """Create or update the asset a publiccode.yml describes (keyed by its repository URL).

    Raises PubliccodeInvalid, writing nothing, when the file has any error. `owners` are the
    owning organisations of a new asset (an update keeps the asset's own). A person (`actor`)
    must be a member of one of them; `None` is the system (the command and the seed)."""
    report = validate_publiccode(content)
    if not report.valid:
        raise PubliccodeInvalid(report)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    plain = from_publiccode(report.data)
    extra = {**_asset_extra(plain, report), "publiccode_text": text}
    existing = Asset.objects.filter(repository_url=plain.get("url", "")).first()
    if existing is None:
        data = _asset_data(plain, owners)
        asset = asset_services.asset_create(
            actor=actor,
            data=data,
            source=Asset.Source.PUBLICCODE,
            extra=extra,
            now=now,
            require_owner=actor is not None,
        )
        return ImportOutcome(asset=asset, created=True, changed=True, report=report)
    data = _asset_data(plain, list(existing.owners.all()))
    data.pop("owners")
    # The text may differ in layout or standard version only; the asset changes only when
    # what it says changes.
    quiet = {
        "publiccode_text": extra.pop("publiccode_text"),
        "publiccode_version": extra.pop("publiccode_version"),
    }
    try:
        asset = asset_services.asset_update(
            actor=actor,
            asset=existing,
            data=data,
            extra=extra,
            summary="Updated from publiccode.yml",
            now=now,
        )
    except ApplicationError as error:
        if error.message != asset_services.NOTHING_CHANGED:
            raise
        asset, changed = existing, False
    else:
        changed = True
    stale = [name for name, value in quiet.items() if getattr(asset, name) != value]
    for name in stale:
        setattr(asset, name, quiet[name])
    if stale:
        asset.save(update_fields=stale)
    return ImportOutcome(asset=asset, created=False, changed=changed, report=report)


def asset_plain(asset: Asset, *, page_url: str) -> dict[str, Any]:
    """An asset as the plain dict the publiccode.yml writer takes, filling what the standard
    requires from the Hub's fields when the asset did not come from a file."""
    stored = asset.publiccode_extra or {}
    descriptions = dict(asset.descriptions or {})
    language = stored.get("description_language") or "en"
    long_text = asset.description or asset.summary
    if len(long_text) < LONG_DESCRIPTION_MIN:
        long_text = (
            f"{long_text}\n\nThis entry is part of the Local Digital Hub catalogue of "
            f"reusable solutions for UK councils: {page_url}"
        )
    own = dict(descriptions.get(language) or {})
    # Keep the file's own wording (line breaks included) unless the asset now says otherwise.
    if " ".join(str(own.get("shortDescription", "")).split()) != asset.summary:
        own["shortDescription"] = asset.summary[:150]
    if str(own.get("longDescription", "")).strip() != long_text.strip():
        own["longDescription"] = long_text
    if asset.documentation_url:
        own["documentation"] = asset.documentation_url
    if not own.get("features"):
        own["features"] = stored.get("features") or [asset.summary[:100]]
    descriptions[language] = own
    owners = [o.name for o in asset.owners.all()]
    return {
        "name": asset.name,
        "url": asset.repository_url or asset.landing_url or page_url,
        "landing_url": asset.landing_url,
        "software_version": asset.software_version,
        "release_date": asset.release_date,
        "platforms": asset.platforms or ["web"],
        "categories": asset.categories or [DEFAULT_CATEGORY],
        "development_status": asset.development_status,
        "software_type": asset.software_type
        or SOFTWARE_TYPE_BY_KIND.get(asset.kind, "standalone/other"),
        "description": descriptions,
        "licence": asset.licence or "LicenseRef-unknown",
        "main_copyright_owner": stored.get("main_copyright_owner") or ", ".join(owners),
        "repo_owner": stored.get("repo_owner", ""),
        "maintenance_type": asset.maintenance,
        "contractors": asset.contractors,
        "contacts": asset.maintainers,
        "available_languages": stored.get("available_languages") or [language],
        "localisation_ready": stored.get("localisation_ready")
        if isinstance(stored.get("localisation_ready"), bool)
        else False,
        "depends_on": asset.dependencies,
        "supports": asset.supports,
        "extra": stored.get("extra") or {},
    }


def asset_publiccode(asset: Asset, *, page_url: str) -> str:
    """The asset as publiccode.yml 0.4 text."""
    return to_publiccode(asset_plain(asset, page_url=page_url))


def owners_for(codes: Sequence[str]) -> list[Organisation]:
    return asset_services.owners_from_codes(codes)


def areas_for(keys: Sequence[str]) -> list[ServiceArea]:
    return asset_services.service_areas_from_keys(keys)
