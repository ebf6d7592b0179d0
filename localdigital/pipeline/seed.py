"""The real Local Digital Fund projects as Pipeline items (called by `seed_demo`).

`data/fund_projects.csv` is the programme's list of 40 funded projects, copied unchanged;
`data/fund_project_details.yaml` holds the Hub's own summary, problem, service area and tags for
each project that has a name and a lead council. Items are keyed by `source_key`
(`fund:<round>:<slug>`), so running the seed again changes nothing.
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, Partnership, ServiceArea
from localdigital.pipeline.services import items as item_services

DATA = Path(__file__).resolve().parent / "data"
PROJECTS = DATA / "fund_projects.csv"
DETAILS = DATA / "fund_project_details.yaml"
BANDS = [
    (50_000, "0-50k"),
    (100_000, "50k-100k"),
    (250_000, "100k-250k"),
    (500_000, "250k-500k"),
    (1_000_000, "500k-1m"),
]


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    partners: int = 0
    skipped: list[str] = field(default_factory=list)


def fund_key(round_: str, name: str) -> str:
    return f"fund:{round_}:{slugify(name)[:80]}"


def budget_band(amount: str) -> str:
    if not amount.strip():
        return Item.BudgetBand.UNKNOWN
    value = int(amount)
    return next((band for limit, band in BANDS if value <= limit), Item.BudgetBand.OVER_1M)


def funding_source(round_: str, announced: str) -> str:
    year = announced[:4]
    if round_ == "C-19":
        return f"Local Digital C-19 Challenge Fund ({year})"
    if round_ == "CFM":
        return f"Local Digital Fund continuation funding ({year})"
    if round_.startswith("<="):
        return "Local Digital Fund (round 5 or earlier)"
    return f"Local Digital Fund round {round_} ({year})"


def start_date(announced: str) -> dt.date | None:
    parts = [int(p) for p in announced.split("-") if p.strip().isdigit()]
    if not parts:
        return None
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def find_organisation(name: str) -> Organisation | None:
    """An organisation by the name a public page uses ("London Borough of Hackney", "Adur and
    Worthing Councils" is two councils and so not one organisation)."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip().rstrip(".")
    if not name:
        return None
    variants = {
        name,
        re.sub(r"\bCouncils$", "Council", name),
        name.replace("[", "").replace("]", ""),
    }
    query = Q()
    for variant in variants:
        query |= Q(name__iexact=variant) | Q(short_name__iexact=variant)
    return Organisation.objects.filter(query).order_by("-is_current", "code").first()


def _description(row: dict[str, str], partners: list[str]) -> str:
    lines = [f"Funded by the {funding_source(row['round'], row['announced'])}."]
    if row["amount_gbp"].strip():
        lines[0] += f" Grant: £{int(row['amount_gbp']):,}."
    if not row["phase"].strip():
        lines.append("The phase this funding paid for is not recorded in our sources.")
    if row["partner_councils"].strip():
        lines.append(f"Partners named in the source: {row['partner_councils'].strip()}.")
    if row["outputs_url"].strip():
        lines.append(f"Outputs: <{row['outputs_url'].strip()}>")
    sources = [s.strip() for s in row["source"].split(";") if s.strip()]
    lines.append("Sources: " + ", ".join(f"<{s}>" for s in sources))
    return "\n\n".join(lines)


@transaction.atomic
def seed_fund_projects() -> SeedResult:
    """Create or update an item for every fund project with a name and a lead council.

    Rows without a named project or a lead council are skipped and listed in the result."""
    with DETAILS.open(encoding="utf-8") as handle:
        details = yaml.safe_load(handle)["projects"]
    areas = {a.key: a for a in ServiceArea.objects.all()}
    result = SeedResult()
    with PROJECTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        key = fund_key(row["round"], row["project_name"])
        detail = details.get(key)
        lead = find_organisation(row["lead_council"])
        if detail is None or lead is None:
            result.skipped.append(key)
            continue
        partner_names = [p.strip() for p in row["partner_councils"].split(";") if p.strip()]
        data: dict[str, Any] = {
            "kind": Item.Kind.PROJECT,
            "title": row["project_name"].strip(),
            "summary": detail["summary"],
            "problem": detail.get("problem", ""),
            "description": _description(row, partner_names),
            "service_area": areas.get(detail["service_area"]),
            "tags": detail.get("tags", []),
            "phase": row["phase"].strip() or Item.Phase.DISCOVERY,
            "collaboration_level": Item.CollaborationLevel.SHARE_IDEAS,
            "budget_band": budget_band(row["amount_gbp"]),
            "funding_source": funding_source(row["round"], row["announced"]),
            "start_date": start_date(row["announced"]),
            "repository_url": row["outputs_url"].strip()
            if "github.com" in row["outputs_url"]
            else "",
            "blog_url": row["outputs_url"].strip()
            if row["outputs_url"].strip() and "github.com" not in row["outputs_url"]
            else "",
            "visibility": Item.Visibility.PUBLIC,
        }
        item = Item.objects.filter(source=Item.Source.FUND, source_key=key).first()
        if item is None:
            item = item_services.item_create(
                actor=None, organisation=lead, data=data, source=Item.Source.FUND, source_key=key
            )
            result.created += 1
        else:
            try:
                item_services.item_update(actor=None, item=item, data=data, note="Fund data")
                result.updated += 1
            except ApplicationError:
                result.unchanged += 1
        for name in partner_names:
            partner = find_organisation(name)
            if partner is None or partner.pk == lead.pk:
                continue
            if not Partnership.objects.filter(item=item, organisation=partner).exists():
                item_services.item_partner_add(
                    actor=None, item=item, organisation=partner, source=Partnership.Source.IMPORTED
                )
                result.partners += 1
    return result
