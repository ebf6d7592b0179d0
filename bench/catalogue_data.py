"""Generated catalogue assets for the benchmark: 2,000 at 1x, 20,000 at 10x.

Names and summaries are built from the Pipeline's phrase banks, so search and similarity have the
same vocabulary to work with. Each asset gets owners, service areas, a licence, a development
status, some adoption records and, for a share, a TCoP tier; their matching features are built
as the services would. One asset has a fixed slug (`bench-asset`), a declared, reviewed and
assured TCoP profile and adopters, for the asset-page measurement.
"""

import datetime as dt
import random
from typing import Any

from bench.pipeline_data import BANKS

ASSETS_AT_1X = 2_000
BATCH = 2_000
KINDS = [
    "open_source",
    "open_source",
    "saas",
    "component",
    "api",
    "data_standard",
    "service_pattern",
    "guidance",
    "dataset",
    "project_output",
]
STATUSES = ["concept", "development", "beta", "beta", "stable", "stable", "obsolete"]
LICENCES = ["MIT", "GPL-3.0-or-later", "AGPL-3.0-only", "Apache-2.0", "OGL-UK-3.0", "EUPL-1.2", ""]
NOUNS = ["toolkit", "platform", "service", "pattern", "API", "module", "app", "standard"]
TIERS = ["", "", "", "declared", "reviewed", "assured"]


def generate_assets(rng: random.Random, organisations: list[Any], scale: int) -> dict[str, int]:
    """Bulk-insert assets, their owners, areas, documents, adoptions and one full profile."""
    from django.db import transaction
    from django.utils import timezone

    from localdigital.catalogue.models import Adoption, Asset, AssetDocument
    from localdigital.catalogue.search import asset_fields
    from localdigital.pipeline.matching.analyser import ANALYSER_VERSION, analyse_fields
    from localdigital.pipeline.models import ServiceArea

    areas = {a.key: a for a in ServiceArea.objects.filter(key__in=BANKS)}
    now = timezone.now()
    today = timezone.localdate(now)
    total = ASSETS_AT_1X * scale
    assets: list[Asset] = []
    area_of: list[str] = []
    for n in range(total):
        key = rng.choice(list(BANKS))
        topic = rng.choice(BANKS[key])
        other = rng.choice(BANKS[key])
        tier = "assured" if n == 0 else rng.choice(TIERS)
        verified = today - dt.timedelta(days=rng.randint(0, 700))
        assets.append(
            Asset(
                slug="bench-asset" if n == 0 else f"bench-asset-{n}",
                name=f"{topic.capitalize()} {rng.choice(NOUNS)} {n}",
                summary=f"Helps councils with {topic} and {other}."[:280],
                description=f"Built for {topic}. It also covers {other}. Reused by councils.",
                kind=rng.choice(KINDS),
                licence=rng.choice(LICENCES),
                repository_url=f"https://code.example.org/bench/{n}",
                development_status=rng.choice(STATUSES),
                maintenance="community",
                maintainers=[{"name": "Maintainers", "email": "team@example.org"}],
                last_verified=verified,
                tcop_tier=tier,
                tcop_tier_until=today + dt.timedelta(days=rng.randint(-60, 300)) if tier else None,
                tcop_accredited=tier == "assured" and rng.random() < 0.5,
            )
        )
        area_of.append(key)
    with transaction.atomic():
        Asset.objects.bulk_create(assets, batch_size=BATCH)
        created = list(Asset.objects.order_by("pk"))
        owners = Asset.owners.through
        asset_areas = Asset.service_areas.through
        owner_rows, area_rows, documents, adoptions = [], [], [], []
        for index, asset in enumerate(created):
            owner_rows.append(
                owners(asset_id=asset.pk, organisation_id=rng.choice(organisations).pk)
            )
            area = areas.get(area_of[index])
            analysis = analyse_fields(asset_fields(asset, []))
            if area is not None:
                area_rows.append(asset_areas(asset_id=asset.pk, servicearea_id=area.pk))
                analysis.add(f"a:{area.pk}", 1.0, area.name)
            documents.append(
                AssetDocument(
                    asset=asset,
                    terms=analysis.as_json(),
                    analyser_version=ANALYSER_VERSION,
                    built_at=now,
                )
            )
            adopters = rng.sample(organisations, 12 if index == 0 else rng.randint(0, 4))
            for organisation in adopters:
                adoptions.append(
                    Adoption(
                        asset=asset,
                        organisation=organisation,
                        status=rng.choice(["exploring", "piloting", "using", "using", "stopped"]),
                        confirmed_on=today - dt.timedelta(days=rng.randint(0, 500)),
                        rating=rng.randint(1, 5) if rng.random() < 0.3 else None,
                        review="It worked for our residents.",
                        annual_saving=rng.choice([None, 5_000, 20_000, 80_000]),
                    )
                )
        owners.objects.bulk_create(owner_rows, batch_size=BATCH)
        asset_areas.objects.bulk_create(area_rows, batch_size=BATCH)
        AssetDocument.objects.bulk_create(documents, batch_size=BATCH)
        Adoption.objects.bulk_create(adoptions, batch_size=BATCH)
        # As the adoption services keep it: current records of piloting or using.
        cutoff = today - dt.timedelta(days=365)
        counts: dict[int, int] = {}
        for adoption in adoptions:
            if adoption.status in ("piloting", "using") and adoption.confirmed_on >= cutoff:
                counts[adoption.asset.pk] = counts.get(adoption.asset.pk, 0) + 1
        for asset in created:
            asset.adopter_count = counts.get(asset.pk, 0)
        Asset.objects.bulk_update(created, ["adopter_count"], batch_size=BATCH)
        profile_claims = _full_profile(created[0], organisations, now)
    return {
        "catalogue_assets": len(created),
        "catalogue_adoptions": len(adoptions),
        "catalogue_tcop_claims": profile_claims,
    }


def _full_profile(asset: Any, organisations: list[Any], now: Any) -> int:
    """A declared, peer-reviewed and assured profile for the measured asset page."""
    from localdigital.catalogue.models import TcopClaim, TcopProfile
    from localdigital.frameworks.models import Framework, Node

    framework = Framework.objects.filter(framework_id="tcop").order_by("-version_order").first()
    if framework is None:
        return 0
    profile = TcopProfile.objects.create(
        asset=asset,
        framework=framework,
        state=TcopProfile.State.ASSURED,
        declared_at=now,
        reviewed_at=now,
        reviewer_organisation=organisations[0],
        assured_at=now,
    )
    claims = []
    for node in Node.objects.filter(framework=framework, assessable=True).prefetch_related(
        "levels"
    ):
        level = next(lv for lv in node.levels.all() if lv.key == "meets")
        claims.append(
            TcopClaim(
                profile=profile,
                node=node,
                level=level,
                evidence="Our service assessment report shows it.",
                links=["https://example.org/evidence"],
                review="confirmed",
            )
        )
    TcopClaim.objects.bulk_create(claims)
    return len(claims)
