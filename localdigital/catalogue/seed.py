"""Catalogue seed data for `seed_demo`: the five real publiccode.yml files and the real outputs of
five Local Digital Fund projects.

Facts (names, lead councils, rounds, web addresses) come from `fund_projects.csv` (see
NOTICE.md); the descriptions are written by the Hub's team. Each output's origin is the funded
project's Pipeline item when `seed_fund_projects` has loaded it. Safe to rerun: assets are found
by repository or landing page and only changed when what they say changes.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q

from localdigital.catalogue.models import Asset
from localdigital.catalogue.services import assets as asset_services
from localdigital.catalogue.services.publiccode import publiccode_import
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, ServiceArea

EXAMPLES = Path(__file__).resolve().parent / "publiccode" / "examples"


@dataclass
class CatalogueSeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


# Outputs of funded projects. `lead` is matched against organisation names; `origin` against the
# fund project's name in the Pipeline; `areas` are service-area keys.
FUND_OUTPUTS: list[dict[str, Any]] = [
    {
        "name": "LocalGov Drupal",
        "kind": Asset.Kind.OPEN_SOURCE,
        "lead": "Croydon",
        "origin": "LocalGov Drupal",
        "summary": "A shared website platform for councils, built on Drupal by councils working "
        "together, with components for services, guides, directories, news and alerts.",
        "description": "Councils that use LocalGov Drupal share one codebase for their public "
        "website instead of each commissioning their own. Common content types (service "
        "pages, step-by-step guides, directories, events, news and alert banners) are built "
        "once, tested with residents and improved by every council that adopts them.\n\n"
        "The project grew from a Local Digital Fund discovery on code sharing between "
        "councils, through alpha and beta, and continued with further funding.",
        "licence": "GPL-2.0-or-later",
        "landing_url": "https://localgovdrupal.org",
        "repository_url": "https://github.com/localgovdrupal/localgov",
        "development_status": Asset.DevelopmentStatus.STABLE,
        "maintenance": Asset.Maintenance.COMMUNITY,
        "maintainers": [{"name": "LocalGov Drupal community", "email": "hello@localgovdrupal.org"}],
        "areas": ["customer-services", "digital-and-technology"],
        "tags": ["website", "Drupal", "content management"],
        "platforms": ["web"],
        "supports": ["wcag-2.2"],
    },
    {
        "name": "Back Office Planning System (BoPS)",
        "kind": Asset.Kind.OPEN_SOURCE,
        "lead": "Southwark",
        "origin": "Planning back-office system (BoPS)",
        "summary": "An open-source back-office system for planning officers to process and "
        "decide planning applications, built with councils through the Local Digital Fund.",
        "description": "BoPS lets planning officers validate, assess and decide householder "
        "and other applications in one place, with the applicant able to follow progress. "
        "It started as a user-centred alpha on digital planning applications and moved to "
        "beta with continuation funding, led by Southwark with partner councils.",
        "licence": "MIT",
        "landing_url": "https://www.southwark.gov.uk/innovate/collabrative-project/planning-back-office",
        "development_status": Asset.DevelopmentStatus.BETA,
        "maintenance": Asset.Maintenance.INTERNAL,
        "maintainers": [{"name": "Southwark digital team", "email": "digital@southwark.gov.uk"}],
        "areas": ["planning-and-building-control"],
        "tags": ["planning", "development management"],
        "platforms": ["web"],
        "supports": [],
    },
    {
        "name": "Open Referral UK",
        "kind": Asset.Kind.DATA_STANDARD,
        "lead": "Buckinghamshire",
        "origin": "Open Referral UK",
        "summary": "A data standard for publishing directories of community support services, "
        "so councils, the NHS and charities can share one picture of what is available.",
        "description": "Many organisations keep their own lists of local support services, "
        "each out of date in its own way. Open Referral UK describes services, locations, "
        "eligibility and contacts in one structure, so directories can be published once and "
        "reused by other sites and tools. It was developed with Local Digital Fund support, "
        "led by Buckinghamshire with partner councils.",
        "licence": "",
        "landing_url": "https://openreferraluk.org",
        "development_status": Asset.DevelopmentStatus.STABLE,
        "maintenance": Asset.Maintenance.NONE,
        "maintainers": [],
        "areas": ["adult-social-care", "public-health"],
        "tags": ["directory", "data standard", "social prescribing"],
        "platforms": [],
        "supports": [],
    },
    {
        "name": "LocalGov IMS (income management system)",
        "kind": Asset.Kind.OPEN_SOURCE,
        "lead": "Barnsley",
        "origin": "Digital system to manage council payments",
        "summary": "An open-source income management system for councils: take card payments, "
        "match them to the right account and reconcile income.",
        "description": "Income management is usually bought as a closed product. LocalGov IMS "
        "is an open-source alternative for taking payments and allocating income to council "
        "funds, started through the Local Digital Fund with Barnsley leading.",
        "licence": "",
        "repository_url": "https://github.com/LocalGovIMS",
        "development_status": Asset.DevelopmentStatus.BETA,
        "maintenance": Asset.Maintenance.NONE,
        "maintainers": [],
        "areas": ["payments-and-income"],
        "tags": ["payments", "income management"],
        "platforms": ["web"],
        "supports": ["gov-uk-pay"],
    },
    {
        "name": "Report a housing repair online",
        "kind": Asset.Kind.SERVICE_PATTERN,
        "lead": "Greenwich",
        "origin": "Report housing repairs online",
        "summary": "A tested pattern and prototype for tenants to report a repair to their "
        "council home online, from councils that worked on it together.",
        "description": "Tenants often have to phone to report a repair. Councils working "
        "together through the Local Digital Fund researched how tenants describe problems and "
        "prototyped an online journey that gets the right information to the repairs team "
        "first time.",
        "licence": "",
        "development_status": Asset.DevelopmentStatus.CONCEPT,
        "maintenance": Asset.Maintenance.NONE,
        "maintainers": [],
        "areas": ["housing"],
        "tags": ["housing repairs", "tenants"],
        "platforms": ["web"],
        "supports": [],
    },
]


def _organisation(name: str) -> Organisation | None:
    return (
        Organisation.objects.filter(name__icontains=name, end_date__isnull=True)
        .order_by("name")
        .first()
    )


def _origin(name: str) -> Item | None:
    return (
        Item.objects.filter(source=Item.Source.FUND, title__icontains=name)
        .order_by("-start_date", "pk")
        .first()
    )


def seed_catalogue() -> CatalogueSeedResult:
    """Load the example publiccode.yml files and the fund outputs."""
    result = CatalogueSeedResult()
    for path in sorted(EXAMPLES.glob("*.yml")):
        try:
            outcome = publiccode_import(actor=None, content=path.read_bytes())
        except ApplicationError as error:
            result.skipped.append(f"{path.name}: {error.message}")
            continue
        if outcome.created:
            result.created += 1
        elif outcome.changed:
            result.updated += 1
        else:
            result.unchanged += 1
    for spec in FUND_OUTPUTS:
        _seed_output(spec, result)
    return result


def _seed_output(spec: dict[str, Any], result: CatalogueSeedResult) -> None:
    lead = _organisation(spec["lead"])
    if lead is None:
        result.skipped.append(f"{spec['name']}: no organisation called {spec['lead']}")
        return
    data = {k: v for k, v in spec.items() if k not in ("lead", "origin", "areas")}
    data["owners"] = [lead]
    data["service_areas"] = list(ServiceArea.objects.filter(key__in=spec["areas"]))
    if len(data["service_areas"]) != len(spec["areas"]):
        result.skipped.append(f"{spec['name']}: unknown service area in {spec['areas']}")
    data["origin"] = _origin(spec["origin"])
    keys = Q(name=spec["name"])
    for url_field in ("repository_url", "landing_url"):
        if spec.get(url_field):
            keys |= Q(**{url_field: spec[url_field]})
    existing = Asset.objects.filter(keys).first()
    if existing is None:
        asset_services.asset_create(actor=None, data=data)
        result.created += 1
        return
    try:
        asset_services.asset_update(actor=None, asset=existing, data=data)
    except ApplicationError as error:
        if error.message != asset_services.NOTHING_CHANGED:
            raise
        result.unchanged += 1
    else:
        result.updated += 1
