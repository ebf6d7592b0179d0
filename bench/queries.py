"""Count the database queries each page makes, in-process, against the benchmark database.

    python -m bench.queries /organisations/ /api/v1/organisations/

Prints {"<path>": {"status": 200, "queries": 3, "bytes": 41234}, ...} as JSON on stdout.
"""

import json
import os
import sys


def count(paths: list[str]) -> dict[str, dict[str, int]]:
    """Queries per request for each path, measured on a second, warm request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for path in paths:
        # The first request fills per-process caches (content types, compiled templates).
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        results[path] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
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
