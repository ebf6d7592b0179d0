"""Catalogue operations measured in-process (JSON on stdout):

- publiccode.yml validation throughput: the five real example files validated round after round
  for a few seconds, in files per second (the size of the data does not change this figure, so
  it is measured once, at 1x);
- the first catalogue search in a fresh process (which builds the asset index) and the median of
  warm searches.
"""

import json
import os
import statistics
import sys
import time

SECONDS = 3.0
QUERIES = ["tenants report repairs", "EHCP", "website CMS", "missed bins", "council tax"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from localdigital.catalogue.publiccode import validate
    from localdigital.catalogue.publiccode.examples import NAMES, read
    from localdigital.catalogue.search import search_scores

    texts = [read(name).encode("utf-8") for name in NAMES]
    files, began = 0, time.perf_counter()
    while time.perf_counter() - began < SECONDS:
        for text in texts:
            report = validate(text)
            if not report.valid:
                raise SystemExit(f"An example file no longer validates: {report.errors[0]}")
            files += 1
    elapsed = time.perf_counter() - began
    began = time.perf_counter()
    search_scores(QUERIES[0])
    cold = time.perf_counter() - began
    timings = []
    for query in QUERIES * 4:
        began = time.perf_counter()
        search_scores(query)
        timings.append(time.perf_counter() - began)
    result = {
        "publiccode_validation": {
            "files": files,
            "seconds": round(elapsed, 2),
            "files_per_second": round(files / elapsed, 1),
            "kilobytes_per_file": round(sum(len(t) for t in texts) / len(texts) / 1024, 1),
        },
        "catalogue_search_index": {
            "cold_first_search_ms": round(cold * 1000, 1),
            "median_warm_search_ms": round(statistics.median(timings) * 1000, 2),
        },
    }
    print(f"[bench.catalogue_ops] {result}", file=sys.stderr, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
