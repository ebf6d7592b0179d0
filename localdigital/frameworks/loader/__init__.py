"""Reading and checking framework files and statements overlays (docs/frameworks.md).

Nothing here touches the database. `parse_framework_file` and `parse_statements_file` read a
whole file, check all of it, and either return a plain description of it (a `FrameworkSpec` or a
`StatementsSpec`) or raise `ReferenceDataError` listing every problem with its line and the node,
scale or profile it is in. The services in services.py write what these return.
"""

from localdigital.frameworks.loader.crosswalk_file import parse_crosswalk_file
from localdigital.frameworks.loader.framework_file import parse_framework_file
from localdigital.frameworks.loader.reading import FileProblem, content_hash
from localdigital.frameworks.loader.specs import (
    DEFAULT_SCALE,
    NOT_REQUIRED,
    CrosswalkRowSpec,
    CrosswalkSpec,
    FrameworkSpec,
    IndicatorSpec,
    LevelSpec,
    NodeSpec,
    ProfileSpec,
    StatementsSpec,
    version_order,
)
from localdigital.frameworks.loader.statements_file import parse_statements_file

__all__ = [
    "DEFAULT_SCALE",
    "NOT_REQUIRED",
    "CrosswalkRowSpec",
    "CrosswalkSpec",
    "FileProblem",
    "FrameworkSpec",
    "IndicatorSpec",
    "LevelSpec",
    "NodeSpec",
    "ProfileSpec",
    "StatementsSpec",
    "content_hash",
    "parse_crosswalk_file",
    "parse_framework_file",
    "parse_statements_file",
    "version_order",
]
