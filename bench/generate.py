"""Generate sector-sized data for the benchmark with bulk inserts (seconds, not minutes).

Run by bench.run in a fresh database that already holds the real councils from
`load_reference_data`:

    python -m bench.generate --scale 10

At 1x: about 8,000 people across the current councils, their memberships (some people belong to
two organisations; each council has admins; a few requests wait for approval) and one email
domain per organisation. At 10x: ten times the people and memberships, and nine generated
non-council organisations for every real authority, so the organisation table is ten times
larger too. Then Pipeline items, catalogue assets and the technology estate
(bench/estate_data.py: 40,000 systems at 1x, 400,000 at 10x, over every current organisation;
its build time is reported as `estate_generation_seconds`). The numbers come from a seeded
generator, so two runs build the same data.
"""

import argparse
import json
import os
import random
import sys
import time
from typing import Any

PEOPLE_AT_1X = 8_000
# Published count of Declaration signatories, February 2024 (shared/data/standards.yaml).
SIGNATORIES_AT_1X = 361
SECOND_MEMBERSHIP_SHARE = 0.1
ADMIN_SHARE = 0.03
PENDING_SHARE = 0.04
BATCH = 2_000
SEED = 20_260_601

# Non-council organisations: the kinds programme staff add, with names made from real places.
GENERATED_KINDS = [
    ("fire_and_rescue", "{place} Fire and Rescue Service"),
    ("nhs_body", "NHS {place} Integrated Care Board"),
    ("national_park", "{place} National Park Authority"),
    ("other_public_body", "{place} Borough Partnership"),
    ("supplier", "{place} Digital Services Ltd"),
    ("central_government", "{place} Office of the Department for Local Services"),
]
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Gareth", "Hana", "Iwan", "Jas", "Kai",
    "Lowri", "Mohammed", "Niamh", "Oluwaseun", "Priya", "Rhys", "Siobhan", "Tom", "Yusuf",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Bowen", "Campbell", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jones", "Kaur", "Lewis", "Murray", "Nwosu", "O'Neill", "Patel", "Roberts", "Smith",
    "Taylor", "Williams",
]  # fmt: skip


def log(message: str) -> None:
    print(f"[bench.generate] {message}", file=sys.stderr, flush=True)


def domain_for(organisation: Any) -> str:
    label = (organisation.gov_uk_slug or organisation.code).lower()
    label = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    suffix = ".gov.uk" if organisation.kind == "council" else ".example.org.uk"
    return f"{label}{suffix}"


def generate(scale: int) -> dict[str, int]:
    """Add organisations, domains, people and memberships for `scale`; return the counts."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from localdigital.accounts.models import User
    from localdigital.organisations.models import Membership, Organisation, OrganisationDomain

    rng = random.Random(SEED + scale)
    now = timezone.now()
    real = list(Organisation.objects.order_by("code"))
    if not real:
        raise SystemExit("No organisations: run migrate and load_reference_data first.")

    with transaction.atomic():
        generated: list[Organisation] = []
        places = [o for o in real if o.is_current and o.nation]
        for n in range((scale - 1) * len(real)):
            kind, pattern = GENERATED_KINDS[n % len(GENERATED_KINDS)]
            place = places[n % len(places)]
            name = pattern.format(place=place.short_name)
            if n >= len(places) * len(GENERATED_KINDS):
                name = f"{name} {n // (len(places) * len(GENERATED_KINDS)) + 1}"
            organisation = Organisation(
                code=f"bench-{n:05d}",
                kind=kind,
                name=name,
                short_name=name,
                nation=place.nation,
                region=place.region,
                is_current=rng.random() > 0.05,
            )
            organisation.search_text = organisation.build_search_text()
            generated.append(organisation)
        Organisation.objects.bulk_create(generated, batch_size=BATCH)
        organisations = list(Organisation.objects.order_by("code"))
        log(f"{len(organisations)} organisations ({len(generated)} generated)")

        used: set[str] = set(OrganisationDomain.objects.values_list("domain", flat=True))
        domains = []
        home_domain: dict[int, str] = {}
        for organisation in organisations:
            domain = domain_for(organisation)
            if domain in used:
                domain = f"{organisation.code.lower()}-{domain}"
            used.add(domain)
            home_domain[organisation.pk] = domain
            domains.append(OrganisationDomain(organisation=organisation, domain=domain))
        OrganisationDomain.objects.bulk_create(domains, batch_size=BATCH)

        # One hash for everyone: hashing 80,000 passwords would measure PBKDF2, not the Hub.
        password = make_password("bench-password-not-used-for-sign-in")
        joinable = [o for o in organisations if o.is_current]
        homes = [joinable[i % len(joinable)] for i in range(PEOPLE_AT_1X * scale)]
        rng.shuffle(homes)
        people = []
        for n, home in enumerate(homes):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                User(
                    email=f"{first}.{last}.{n}@{home_domain[home.pk]}".lower().replace("'", ""),
                    full_name=f"{first} {last}",
                    password=password,
                    email_verified_at=now,
                    date_joined=now,
                )
            )
        # SQLite 3.35+ and PostgreSQL hand back the new primary keys from a bulk insert.
        User.objects.bulk_create(people, batch_size=BATCH)
        log(f"{len(people)} people")

        memberships = []
        for person, home in zip(people, homes, strict=True):
            draw = rng.random()
            if draw < ADMIN_SHARE:
                role, status = Membership.Role.ADMIN, Membership.Status.ACTIVE
            elif draw < ADMIN_SHARE + PENDING_SHARE:
                role, status = Membership.Role.MEMBER, Membership.Status.PENDING
            else:
                role, status = Membership.Role.MEMBER, Membership.Status.ACTIVE
            memberships.append(
                Membership(
                    user=person,
                    organisation=home,
                    role=role,
                    status=status,
                    decided_at=now if status == Membership.Status.ACTIVE else None,
                )
            )
            if rng.random() < SECOND_MEMBERSHIP_SHARE:
                other = rng.choice(joinable)
                if other.pk != home.pk:
                    memberships.append(
                        Membership(
                            user=person,
                            organisation=other,
                            role=Membership.Role.MEMBER,
                            status=Membership.Status.ACTIVE,
                            decided_at=now,
                        )
                    )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        log(f"{len(memberships)} memberships")
        _declaration(rng, organisations, scale)

    from localdigital.declaration.models import Commitment, Signing

    return {
        "signatories": Signing.objects.filter(status=Signing.Status.ACTIVE).count(),
        "commitments": Commitment.objects.count(),
        "organisations": Organisation.objects.count(),
        "current_councils": Organisation.objects.filter(kind="council", is_current=True).count(),
        "organisation_domains": OrganisationDomain.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def _declaration(rng: random.Random, organisations: list[Any], scale: int) -> None:
    """Declaration signings (the sector's 361 signatories, times the scale) with a commitment
    each, naming one or two partners."""
    import datetime

    from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing

    current = [o for o in organisations if o.is_current]
    # Councils first, so at 1x the signatories are real councils as in the sector.
    current.sort(key=lambda o: (o.kind not in ("council", "combined_authority"), o.code))
    signatories = current[: min(len(current), SIGNATORIES_AT_1X * scale)]
    launched = datetime.date(2018, 7, 4)
    span = (datetime.date(2025, 12, 31) - launched).days
    signings = [
        Signing(
            organisation=o,
            status=Signing.Status.ACTIVE,
            method=Signing.Method.ONLINE,
            signed_on=launched + datetime.timedelta(days=rng.randrange(span)),
            signed_on_precision=Signing.DatePrecision.DAY,
            senior_officer_name="Chief Executive",
            senior_officer_role="Chief Executive",
            political_lead_name="Leader",
            political_lead_role="Leader of the Council",
        )
        for o in signatories
    ]
    Signing.objects.bulk_create(signings, batch_size=BATCH)
    commitments = [
        Commitment(
            organisation=signing.organisation,
            signing=signing,
            year=2025,
            title=f"Shared digital service {n}",
            mission="Deliver a reusable service with partner councils within the year.",
            impact="Residents get a faster service; councils share the cost.",
            progress_due_on=datetime.date(2025, 12, 31),
        )
        for n, signing in enumerate(signings)
    ]
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    principles = list(Principle.objects.all())
    links = Commitment.principles.through
    Commitment.principles.through.objects.bulk_create(
        [
            links(commitment_id=c.pk, principle_id=p.pk)
            for c in commitments
            for p in rng.sample(principles, k=min(2, len(principles)))
        ],
        batch_size=BATCH,
    )
    partners = []
    for commitment in commitments:
        for other in rng.sample(signatories, k=2):
            if other.pk != commitment.organisation_id:
                partners.append(
                    CommitmentPartner(
                        commitment=commitment,
                        organisation=other,
                        status=CommitmentPartner.Status.CONFIRMED,
                    )
                )
    CommitmentPartner.objects.bulk_create(partners, batch_size=BATCH)
    log(f"{len(signings)} signings, {len(commitments)} commitments, {len(partners)} partners")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1 for the sector today, 10 for 10x")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(args.scale)
    log(f"generated in {time.perf_counter() - started:.1f}s")
    from bench.pipeline_data import generate_items
    from localdigital.organisations.models import Organisation

    started = time.perf_counter()
    councils = list(Organisation.objects.filter(kind="council", is_current=True).order_by("code"))
    counts.update(generate_items(random.Random(SEED + 100 + args.scale), councils, args.scale))
    log(f"Pipeline items generated in {time.perf_counter() - started:.1f}s")
    from bench.catalogue_data import generate_assets

    started = time.perf_counter()
    counts.update(generate_assets(random.Random(SEED + 200 + args.scale), councils, args.scale))
    log(f"Catalogue assets generated in {time.perf_counter() - started:.1f}s")
    from bench.estate_data import generate_estate

    started = time.perf_counter()
    # Every current organisation keeps a register (ended councils' registers moved on).
    everyone = list(Organisation.objects.filter(is_current=True).order_by("code"))
    counts.update(generate_estate(random.Random(SEED + 300 + args.scale), everyone, args.scale))
    counts["estate_generation_seconds"] = round(time.perf_counter() - started, 1)
    log(f"Estate systems generated in {counts['estate_generation_seconds']}s")
    from bench.cyber_data import generate_cyber

    started = time.perf_counter()
    every_organisation = list(Organisation.objects.order_by("code"))
    counts.update(
        generate_cyber(random.Random(SEED + 400 + args.scale), every_organisation, args.scale)
    )
    counts["cyber_generation_seconds"] = round(time.perf_counter() - started, 1)
    log(f"Cyber health generated in {counts['cyber_generation_seconds']}s")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
