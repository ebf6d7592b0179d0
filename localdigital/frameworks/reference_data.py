"""The frameworks loader for `load_reference_data`: every framework file in data/.

Files ending `.statements.yaml` are statements overlays and are loaded after every framework
file. All files are checked before anything is written, and everything is written in one
transaction, so one bad file leaves the database as it was.
"""

from pathlib import Path

from django.db import transaction

from localdigital.core.reference_data import LoadResult, ReferenceDataError, register
from localdigital.frameworks import services
from localdigital.frameworks.loader import (
    FileProblem,
    FrameworkSpec,
    StatementsSpec,
    parse_framework_file,
    parse_statements_file,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
STATEMENTS_SUFFIX = ".statements.yaml"
DUPLICATE_VERSION = "{key} is also in {other}: each framework version has one file"


def framework_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The framework files and the statements overlays in a folder, each sorted by name."""
    files = sorted(directory.glob("*.yaml"))
    overlays = [path for path in files if path.name.endswith(STATEMENTS_SUFFIX)]
    return [path for path in files if path not in overlays], overlays


def parse_files(
    frameworks: list[Path], overlays: list[Path]
) -> tuple[list[FrameworkSpec], list[StatementsSpec]]:
    """Check every file; raise one ReferenceDataError with the problems of all of them."""
    problems: list = []
    specs: list[FrameworkSpec] = []
    statements: list[StatementsSpec] = []
    seen: dict[str, str] = {}
    for path in frameworks:
        try:
            spec = parse_framework_file(path)
        except ReferenceDataError as error:
            problems += error.problems
            continue
        if spec.key in seen:
            message = DUPLICATE_VERSION.format(key=spec.key, other=seen[spec.key])
            problems.append(FileProblem(spec.file, message))
            continue
        seen[spec.key] = spec.file
        specs.append(spec)
    for path in overlays:
        try:
            statements.append(parse_statements_file(path))
        except ReferenceDataError as error:
            problems += error.problems
    if problems:
        raise ReferenceDataError(problems)
    return specs, statements


@register(
    "frameworks",
    description="Frameworks and standards as versioned trees (the Technology Code of Practice).",
    order=20,
)
def load_frameworks(*, path: Path | None = None) -> LoadResult:
    """Load every framework file in data/ (or just `path`, a framework or statements file).

    Each version already loaded from the same content is counted as unchanged; one loaded from
    different content stops the whole load.
    """
    if path is None:
        frameworks, overlays = framework_files(DATA_DIR)
    elif path.name.endswith(STATEMENTS_SUFFIX):
        frameworks, overlays = [], [path]
    else:
        frameworks, overlays = [path], []
    specs, statements = parse_files(frameworks, overlays)
    result = LoadResult(
        name="frameworks",
        dataset_id=", ".join(spec.framework_id for spec in specs) or "statements",
        version=", ".join(spec.version for spec in specs) or "-",
        rows=len(specs),
        details={"nodes added": 0, "statements added": 0},
    )
    with transaction.atomic():
        for spec in specs:
            load = services.framework_load(actor=None, spec=spec)
            if load.created:
                result.created += 1
                result.details["nodes added"] += load.counts["nodes"]
            else:
                result.unchanged += 1
        for overlay in statements:
            added = services.framework_statements_load(actor=None, spec=overlay)
            if added.created:
                result.details["statements added"] += added.indicators + added.descriptions
    return result
