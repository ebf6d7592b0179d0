"""The committed OpenAPI document: where it lives and how it is rendered, byte for byte."""

import json
from pathlib import Path

from django.conf import settings

from localdigital.api.selectors import openapi_schema


def committed_schema_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def render_schema() -> str:
    """The schema as stable, sorted JSON so diffs show real changes only."""
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, default=str) + "\n"
