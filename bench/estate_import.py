"""Estate register import measured in-process (JSON on stdout).

`python -m bench.estate_import` builds its own fresh SQLite database under bench/results/
(migrate, then the service areas and functions), adds one council and an approved product list,
writes a realistic 50,000-row register CSV for that council (mostly in-house and other systems
with distinct names, plus real products once per function, so it fits the register's uniqueness
rules) and imports it through the real service: parse and check (import_start), then write
(import_apply). It prints rows, seconds, rows per second and peak memory (the tracemalloc peak
of the import and the process's maximum resident set size).
"""

import csv
import io
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "bench" / "results" / "estate-import.sqlite3"
COUNCIL_CODE = "BENCH-ESTATE"
SUPPLIERS = (
    ("Civica", ("Civica Open Revenues", "Civica APP", "Civica W2", "Civica Spydus")),
    ("Capita", ("Capita One", "Capita Integra", "Capita Pay360")),
    ("Idox", ("Idox Uniform", "Idox Acolaid", "Idox Public Access")),
    ("Northgate", ("Northgate Assure", "Northgate iWorld", "Northgate NEC Housing")),
    ("Bartec", ("Bartec Collective",)),
    ("Whitespace", ("Whitespace Work Software",)),
    ("Modern.gov", ("ModernGov",)),
    ("Esri", ("ArcGIS Enterprise",)),
    ("Microsoft", ("Dynamics 365", "SharePoint Online", "Entra ID")),
    ("Salesforce", ("Service Cloud",)),
    ("Xpress", ("Xpress Electoral Management",)),
    ("Liquidlogic", ("LAS", "LCS")),
    ("Oracle", ("Oracle Fusion",)),
    ("Unit4", ("Unit4 ERP",)),
    ("Granicus", ("Granicus GovDelivery",)),
)
WORDS = (
    "case",
    "tracker",
    "portal",
    "register",
    "bookings",
    "scheduler",
    "gateway",
    "ledger",
    "inspections",
    "permits",
    "grants",
    "claims",
    "returns",
    "rota",
    "assets",
)


def log(message: str) -> None:
    print(f"[bench.estate_import] {message}", file=sys.stderr, flush=True)


def _setup_reference_data() -> Any:
    """Functions, service areas, the council and the approved products; returns the council."""
    from localdigital.estate.models import Function, Product, Supplier
    from localdigital.estate.reference_data import load_functions
    from localdigital.organisations.models import Organisation
    from localdigital.pipeline.reference_data import load_service_areas

    load_service_areas()
    load_functions()
    organisation, _ = Organisation.objects.get_or_create(
        code=COUNCIL_CODE,
        defaults={"name": "Benchmark Borough Council", "short_name": "Benchmark"},
    )
    functions = list(Function.objects.all())
    for supplier_name, names in SUPPLIERS:
        supplier, _ = Supplier.objects.get_or_create(
            name=supplier_name, defaults={"slug": supplier_name.lower().replace(".", "-")}
        )
        for name in names:
            product, _ = Product.objects.get_or_create(
                supplier=supplier,
                name=name,
                defaults={
                    "slug": name.lower().replace(" ", "-").replace(".", "-"),
                    "status": Product.Status.APPROVED,
                },
            )
            product.functions.set(functions)
    return organisation


def register_csv(rows: int, *, seed: int = 6) -> bytes:
    """A council's register as CSV: every product once per function, then in-house systems
    with distinct names, with every column filled in the way a council would."""
    from localdigital.estate.exports import HEADERS
    from localdigital.estate.models import Function, Hosting, Product, System

    rng = random.Random(seed)
    functions = list(Function.objects.order_by("position"))
    products = list(
        Product.objects.filter(status=Product.Status.APPROVED)
        .select_related("supplier")
        .order_by("pk")
    )
    hosting = [label for _, label in Hosting.choices]
    costs = [label for _, label in System.CostBand.choices]
    users = [label for _, label in System.UserBand.choices]
    apis = [label for _, label in System.OpenApis.choices]
    plans = [label for _, label in System.Plan.choices]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    pairs = [(f, p) for f in functions for p in products]
    rng.shuffle(pairs)
    for number in range(rows):
        if number < len(pairs) // 2:
            function, product = pairs[number]
            product_name, supplier, other = product.name, product.supplier.name, ""
        else:
            function = functions[number % len(functions)]
            words = " ".join(rng.sample(WORDS, 2)).capitalize()
            product_name, supplier, other = "", "", f"{words} {number:05d}"
        start_year = rng.randint(2015, 2025)
        start = f"{start_year}-{rng.randint(1, 12):02d}-01"
        end = f"{start_year + rng.randint(1, 8)}-{rng.randint(1, 12):02d}-28"
        yes_no = ["yes", "no"]
        writer.writerow(
            [
                function.name,
                product_name,
                supplier,
                other,
                "",
                f"{rng.randint(1, 12)}.{rng.randint(0, 9)}",
                rng.choice(hosting),
                start if number % 5 else f"{start[8:10]}/{start[5:7]}/{start[0:4]}",
                end,
                rng.choice(["", "3", "6", "12"]),
                rng.choice(costs),
                rng.choice(users),
                rng.choice(apis),
                rng.choice(yes_no),
                rng.choice(["", "1", "2", "3", "4", "5"]),
                rng.choice(yes_no),
                rng.choice(yes_no),
                rng.choice(yes_no),
                rng.choice(yes_no),
                rng.choice(yes_no),
                rng.choice(plans),
                f"{rng.randint(2026, 2030)}-03-31",
                rng.choice(yes_no),
                "Renewal discussed at the digital board" if number % 7 == 0 else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _import(organisation: Any, data: bytes) -> tuple[Any, float, float]:
    """Parse, check and apply; returns the import, the total and the parse-and-check seconds."""
    from localdigital.estate.services.imports import import_apply, import_start

    began = time.perf_counter()
    estate_import = import_start(
        actor=None, organisation=organisation, file_name="register.csv", data=data
    )
    checked = time.perf_counter()
    if estate_import.errors or estate_import.unknown_products:
        raise SystemExit(f"The generated file does not import: {estate_import.errors[:3]}")
    estate_import = import_apply(actor=None, estate_import=estate_import)
    return estate_import, time.perf_counter() - began, checked - began


def measure(rows: int = 50_000) -> dict:
    """Import a generated `rows`-row register CSV into a council with no systems (Django must
    be set up on a migrated database); returns the figures.

    The timed run is made without tracemalloc, which slows Python several times over; a second
    run into another council measures the tracemalloc peak."""
    from localdigital.estate.models import System
    from localdigital.organisations.models import Organisation

    organisation = _setup_reference_data()
    System.objects.filter(organisation=organisation).delete()
    data = register_csv(rows)
    estate_import, elapsed, checking = _import(organisation, data)
    timed_maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = System.objects.filter(organisation=organisation).count()
    if stored != rows or estate_import.created_count != rows:
        raise SystemExit(f"Expected {rows} systems, found {stored}")
    second, _ = Organisation.objects.get_or_create(
        code=f"{COUNCIL_CODE}-2",
        defaults={"name": "Second Benchmark Council", "short_name": "Benchmark 2"},
    )
    System.objects.filter(organisation=second).delete()
    tracemalloc.start()
    _import(second, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": rows,
        "file_megabytes": round(len(data) / 1024 / 1024, 1),
        "seconds": round(elapsed, 2),
        "parse_and_check_seconds": round(checking, 2),
        "apply_seconds": round(elapsed - checking, 2),
        "rows_per_second": round(rows / elapsed),
        "peak_memory_mb": {
            "tracemalloc_peak": round(peak / 1024 / 1024, 1),
            "ru_maxrss_after_timed_run": round(timed_maxrss_kb / 1024, 1),
            "ru_maxrss_after_tracemalloc_run": round(maxrss_kb / 1024, 1),
        },
    }


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    import django

    django.setup()
    from django.core.management import call_command

    log(f"migrating {DATABASE.relative_to(ROOT)}")
    call_command("migrate", "--noinput", verbosity=0)
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    log(f"importing a {rows:,}-row register CSV")
    result = {"estate_import": measure(rows)}
    print(f"[bench.estate_import] {result}", file=sys.stderr, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
