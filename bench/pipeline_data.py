"""Generated Pipeline items for the benchmark: 5,000 at 1x, 50,000 at 10x.

Text is built from phrase banks per service area, written for the Hub, that say the same thing
in different words (abbreviations, jargon, plain English), so the matcher has real work to do.
A seeded generator makes two runs identical. One item has a fixed slug (`bench-item`) for the
item-page measurement.
"""

import random
from typing import Any

ITEMS_AT_1X = 5_000
BATCH = 2_000

BANKS: dict[str, list[str]] = {
    "housing": [
        "tenants report repairs online",
        "responsive repairs scheduling",
        "damp and mould reports",
        "housing register applications",
        "temporary accommodation bookings",
        "void property turnaround",
        "gas safety checks in council homes",
        "HMO licensing",
        "rent arrears early warning",
        "allocations and choice based lettings",
    ],
    "childrens-social-care": [
        "MASH referrals triage",
        "single view of the family for social workers",
        "children in care placement sufficiency",
        "early help assessments",
        "care leavers support offer",
        "fostering enquiries",
        "child protection conferences",
        "predicting demand for children's services",
        "family context at the front door",
    ],
    "education-and-send": [
        "EHCP assessments backlog",
        "education health and care plans deadlines",
        "SEND transport eligibility",
        "school admissions online",
        "annual reviews of EHC plans",
        "special educational needs caseworker tools",
        "early years funding claims",
    ],
    "adult-social-care": [
        "homecare scheduling",
        "domiciliary care market capacity",
        "care and support planning",
        "financial assessments for care",
        "carers assessments online",
        "telecare and TEC",
        "hospital discharge coordination",
        "Alexa for people receiving care at home",
    ],
    "planning-and-building-control": [
        "invalid planning applications",
        "planning back office replacement",
        "development management case work",
        "local plan consultation",
        "building control inspections",
        "land charges searches",
        "householder applications guidance",
    ],
    "revenues-and-benefits": [
        "council tax single person discount review",
        "business rates relief applications",
        "housing benefit processing",
        "R&B re-keying automation",
        "council tax support claims",
        "NNDR billing",
        "direct debit sign up",
    ],
    "waste-and-environment": [
        "missed bin collections reporting",
        "garden waste subscriptions",
        "bulky waste bookings",
        "fly-tipping enforcement",
        "recycling contamination",
        "street cleansing rounds",
        "net zero retrofit advice",
    ],
    "highways-and-transport": [
        "pothole reporting with photos",
        "highway defects inspections",
        "street lighting faults",
        "concessionary travel passes",
        "road works permits",
    ],
    "customer-services": [
        "contact centre demand",
        "resident online account",
        "web chat and chatbot",
        "complaints handling",
        "CRM replacement",
    ],
    "digital-and-technology": [
        "website CMS replacement",
        "LocalGov Drupal migration",
        "cyber security awareness",
        "cloud migration",
        "open source code sharing",
        "identity and sign in",
    ],
}
PREFIXES = [
    "Improving",
    "Redesigning",
    "Automating",
    "Speeding up",
    "Fixing",
    "Joining up",
    "Understanding",
    "Reducing failure demand in",
    "Making sense of",
    "Digitising",
]
PROBLEMS = [
    "Staff re-key data between systems and residents chase us by phone.",
    "The current process is paper based and slow.",
    "Our legacy system makes this hard to change.",
    "Demand has doubled and we cannot keep up.",
    "Residents cannot see where their request has got to.",
    "We have no data to show what works.",
]
NEEDS = [
    "As a resident I need to know what happens next so that I stop calling.",
    "As an officer I need one view of the case so that I can decide quickly.",
    "As a manager I need reliable data so that I can plan the service.",
]
KINDS = ["project"] * 5 + ["idea"] * 2 + ["problem"] * 3
PHASES = ["concept", "discovery", "discovery", "alpha", "alpha", "beta", "live", "decommissioned"]
LEVELS = ["share_ideas", "open_to_conversation", "seeking_partners", "share_funding"]
BANDS = ["unknown", "0-50k", "50k-100k", "100k-250k", "250k-500k", "500k-1m", "over-1m"]


def generate_items(rng: random.Random, organisations: list[Any], scale: int) -> dict[str, int]:
    """Bulk-insert items, tags, updates, partnerships and interests; return the counts."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from localdigital.pipeline.models import (
        Interest,
        Item,
        Partnership,
        ServiceArea,
        StatusUpdate,
    )
    from localdigital.pipeline.services.items import build_search_text

    areas = {a.key: a for a in ServiceArea.objects.filter(key__in=BANKS)}
    now = timezone.now()
    total = ITEMS_AT_1X * scale
    items: list[Item] = []
    for n in range(total):
        key = rng.choice(list(BANKS))
        topic = rng.choice(BANKS[key])
        other = rng.choice(BANKS[key])
        organisation = rng.choice(organisations)
        updated = now - dt.timedelta(days=rng.randint(0, 500))
        visibility = rng.choices(["public", "members", "draft"], weights=[85, 10, 5])[0]
        archived = rng.random() < 0.05
        item = Item(
            slug="bench-item" if n == 0 else f"bench-{n}",
            kind=rng.choice(KINDS),
            title=f"{rng.choice(PREFIXES)} {topic}",
            summary=f"{topic.capitalize()} and {other} at {organisation.short_name}. "
            f"{rng.choice(PROBLEMS)}"[:280],
            problem=rng.choice(PROBLEMS),
            user_needs=rng.choice(NEEDS),
            description=f"We are looking at {topic} and {other}. {rng.choice(PROBLEMS)}",
            service_area=areas.get(key),
            phase=rng.choice(PHASES),
            collaboration_level=rng.choice(LEVELS),
            budget_band=rng.choice(BANDS),
            organisation=organisation,
            visibility="public" if n == 0 else visibility,
            status="archived" if archived and n else "active",
            archived_at=updated if archived and n else None,
            last_activity_at=updated,
            last_reviewed_at=updated,
            review_by=updated.date() + dt.timedelta(days=90),
            published_at=None if visibility == "draft" and n else updated,
            partner_editable_fields=["summary", "description", "phase"],
        )
        item.search_text = build_search_text(item, [])
        items.append(item)
    with transaction.atomic():
        Item.objects.bulk_create(items, batch_size=BATCH)
        created = list(Item.objects.values_list("pk", "organisation_id"))
        updates, partners, interests = [], [], []
        seen_partners: set[tuple[int, int]] = set()
        for index, (pk, organisation_id) in enumerate(created):
            if index == 0 or rng.random() < 0.3:
                for k in range(3 if index == 0 else 1):
                    updates.append(
                        StatusUpdate(
                            item_id=pk,
                            organisation_id=organisation_id,
                            title=f"Sprint {k + 1} finished",
                            body="We tested the prototype with residents and changed the form.",
                        )
                    )
            if index == 0 or rng.random() < 0.15:
                partner = rng.choice(organisations)
                if partner.pk != organisation_id and (pk, partner.pk) not in seen_partners:
                    seen_partners.add((pk, partner.pk))
                    partners.append(Partnership(item_id=pk, organisation=partner))
            if rng.random() < 0.1:
                interested = rng.choice(organisations)
                if interested.pk != organisation_id:
                    interests.append(
                        Interest(
                            item_id=pk,
                            organisation=interested,
                            kind=rng.choice(["same_problem", "reuse", "contribute", "talk"]),
                            message="We would like to talk about this.",
                            status=rng.choice(["open", "replied", "accepted", "declined"]),
                            decline_reason="We have stopped this work.",
                        )
                    )
        StatusUpdate.objects.bulk_create(updates, batch_size=BATCH)
        Partnership.objects.bulk_create(partners, batch_size=BATCH)
        # One pending interest per organisation and item: keep the first.
        unique: dict[tuple[int, int], Any] = {}
        for interest in interests:
            unique.setdefault((interest.item_id, interest.organisation_id), interest)
        Interest.objects.bulk_create(list(unique.values()), batch_size=BATCH)
    return {
        "pipeline_items": len(items),
        "pipeline_updates": len(updates),
        "pipeline_partnerships": len(partners),
        "pipeline_interests": len(unique),
    }
