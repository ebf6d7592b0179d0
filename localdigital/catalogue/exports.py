"""The catalogue's CSV and JSON export: one row per asset, the same columns in both."""

from typing import Any

from localdigital.catalogue.models import Asset

COLUMNS = (
    "slug",
    "name",
    "kind",
    "summary",
    "owners",
    "licence",
    "repository_url",
    "landing_url",
    "documentation_url",
    "development_status",
    "maintenance",
    "service_areas",
    "tags",
    "platforms",
    "supports",
    "tcop_tier",
    "tcop_tier_until",
    "tcop_accredited",
    "adopters",
    "last_verified",
    "origin",
    "url",
)


def asset_row(asset: Asset) -> dict[str, Any]:
    """An asset as export values (owners, areas and tags prefetched by the selector)."""
    return {
        "slug": asset.slug,
        "name": asset.name,
        "kind": asset.kind,
        "summary": asset.summary,
        "owners": ";".join(o.code for o in asset.owners.all()),
        "licence": asset.licence,
        "repository_url": asset.repository_url,
        "landing_url": asset.landing_url,
        "documentation_url": asset.documentation_url,
        "development_status": asset.development_status,
        "maintenance": asset.maintenance,
        "service_areas": ";".join(a.key for a in asset.service_areas.all()),
        "tags": ";".join(t.name for t in asset.tags.all()),
        "platforms": ";".join(asset.platforms),
        "supports": ";".join(asset.supports),
        "tcop_tier": asset.tcop_tier,
        "tcop_tier_until": asset.tcop_tier_until.isoformat() if asset.tcop_tier_until else "",
        "tcop_accredited": asset.tcop_accredited,
        "adopters": asset.adopter_count,
        "last_verified": asset.last_verified.isoformat() if asset.last_verified else "",
        "origin": asset.origin.slug if asset.origin_id and asset.origin else "",
        "url": asset.get_absolute_url(),
    }
