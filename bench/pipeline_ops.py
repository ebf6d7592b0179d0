"""Pipeline operations measured in-process on the benchmark database (JSON on stdout):

- rebuilding every item's features and matches (`rebuild_all_matches`), total seconds;
- `similar_items` for one query: the first (cold) call, which loads the index, then the median
  and 95th percentile of 30 varied officer-style queries on the warm index;
- matchmaking quality (`evaluate`: top-3 share and mean reciprocal rank), with --quality.
"""

import argparse
import json
import os
import statistics
import sys
import time

QUERIES = [
    "our EHCP backlog is growing", "tenants want to report repairs online",
    "MASH referrals take too long to triage", "homecare rotas are done on spreadsheets",
    "R&B staff re-key council tax data", "missed bins reported by phone",
    "potholes reported without photos", "planning applications arrive invalid",
    "replace our website CMS", "chatbot for the contact centre",
    "single view of the family for social workers", "damp and mould complaints",
    "SEND transport eligibility checks", "business rates relief applications online",
    "fly-tipping enforcement evidence", "care leavers support", "carers assessments online",
    "land charges searches are slow", "cyber security training for staff",
    "temporary accommodation costs", "demand forecasting for children's services",
    "garden waste subscription payments", "building control inspection booking",
    "street lighting faults", "early help assessments data", "NNDR billing errors",
    "hospital discharge delays", "school admissions appeals", "HMO licence renewals",
    "open source code sharing between councils",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="Pipeline operation timings")
    parser.add_argument("--quality", action="store_true", help="Also measure match quality")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from localdigital.pipeline.matching.engine import rebuild_all_matches, similar_to_text
    from localdigital.pipeline.matching.index import forget_index

    result: dict = {}
    rebuild = rebuild_all_matches()
    result["rebuild_all_matches"] = rebuild
    print(f"[bench.pipeline_ops] rebuild {rebuild}", file=sys.stderr, flush=True)
    forget_index()
    began = time.perf_counter()
    similar_to_text(QUERIES[0], limit=5)
    cold = time.perf_counter() - began
    timings = []
    for query in QUERIES:
        began = time.perf_counter()
        similar_to_text(query, limit=5)
        timings.append(time.perf_counter() - began)
    quantiles = statistics.quantiles(timings, n=20, method="inclusive")
    result["similar_items"] = {
        "queries": len(timings),
        "cold_first_call_ms": round(cold * 1000, 1),
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(quantiles[18] * 1000, 2),
        "note": "in-process, index warm after the first call; the cold call loads the index",
    }
    if args.quality:
        from localdigital.pipeline.matching.evaluation import evaluate

        quality = evaluate()
        result["matching_quality"] = {k: v for k, v in quality.items() if k != "misses"}
        result["matching_quality"]["misses"] = len(quality["misses"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
