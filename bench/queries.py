"""Count the database queries each page makes, in-process, against the benchmark database.

    python -m bench.queries /organisations/ /api/v1/organisations/ "/cyber/benchmark/#<session key>"

A path ending in #<session key> is requested with that session (a signed-in page). Prints
{"<path>": {"status": 200, "queries": 3, "bytes": 41234, "fresh_render_ms": 12.5}, ...} as JSON
on stdout: `fresh_render_ms` is the median of 5 more requests, in-process, as run (bench.run runs
this with the page caches off, so it is what a fresh rendering costs).
"""

import json
import os
import statistics
import sys
import time


def count(paths: list[str]) -> dict[str, dict[str, int]]:
    """Queries per request for each path, measured on a second, warm request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for argument in paths:
        path, _, session = argument.partition("#")
        client.cookies.clear()
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        # The first request fills per-process caches (content types, compiled templates).
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        # Read now: every request starts by clearing the connection's query log.
        queries = len(captured.captured_queries)
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            client.get(path)
            timings.append(time.perf_counter() - began)
        results[argument] = {
            "fresh_render_ms": round(statistics.median(timings) * 1000, 2),
            "status": response.status_code,
            "queries": queries,
            "bytes": len(response.content),
        }
    return results


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    print(json.dumps(count(sys.argv[1:])))


if __name__ == "__main__":
    main()
