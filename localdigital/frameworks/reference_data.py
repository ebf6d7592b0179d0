"""The frameworks loader for `load_reference_data`: every framework file in data/.

Files ending `.statements.yaml` are statements overlays, and files whose name has `crosswalk` in
it are crosswalks between two versions; both are loaded after every framework file. All files
are checked before anything is written, and everything is written in one transaction, so one
bad file leaves the database as it was.
"""

from pathlib import Path

from django.db import transaction

from localdigital.core.reference_data import LoadResult, ReferenceDataError, register
from localdigital.frameworks import services
from localdigital.frameworks.loader import (
    CrosswalkSpec,
    FileProblem,
    FrameworkSpec,
    StatementsSpec,
    parse_crosswalk_file,
    parse_framework_file,
    parse_statements_file,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
STATEMENTS_SUFFIX = ".statements.yaml"
CROSSWALK_MARK = "crosswalk"
DUPLICATE_VERSION = "{key} is also in {other}: each framework version has one file"


def is_crosswalk(path: Path) -> bool:
    return CROSSWALK_MARK in path.name and not path.name.endswith(STATEMENTS_SUFFIX)


def framework_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The framework files and the statements overlays in a folder, each sorted by name."""
    files = sorted(path for path in directory.glob("*.yaml") if not is_crosswalk(path))
    overlays = [path for path in files if path.name.endswith(STATEMENTS_SUFFIX)]
    return [path for path in files if path not in overlays], overlays


def crosswalk_files(directory: Path) -> list[Path]:
    """The crosswalk files in a folder, sorted by name."""
    return sorted(path for path in directory.glob("*.yaml") if is_crosswalk(path))


def parse_crosswalks(paths: list[Path]) -> list[CrosswalkSpec]:
    """Check every crosswalk file; raise one ReferenceDataError with all their problems."""
    problems: list = []
    specs: list[CrosswalkSpec] = []
    for path in paths:
        try:
            specs.append(parse_crosswalk_file(path))
        except ReferenceDataError as error:
            problems += error.problems
    if problems:
        raise ReferenceDataError(problems)
    return specs


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
    description=(
        "Frameworks and standards as versioned trees (the Technology Code of Practice, CAF 3.2 "
        "and 4.0 with their crosswalk, the ransomware readiness questionnaire)."
    ),
    order=20,
)
def load_frameworks(*, path: Path | None = None) -> LoadResult:
    """Load every framework file in data/ (or just `path`: a framework, statements or crosswalk
    file).

    Each version already loaded from the same content is counted as unchanged; one loaded from
    different content stops the whole load.
    """
    crosswalks: list[Path] = []
    if path is None:
        frameworks, overlays = framework_files(DATA_DIR)
        crosswalks = crosswalk_files(DATA_DIR)
    elif path.name.endswith(STATEMENTS_SUFFIX):
        frameworks, overlays = [], [path]
    elif is_crosswalk(path):
        frameworks, overlays, crosswalks = [], [], [path]
    else:
        frameworks, overlays = [path], []
    problems: list = []
    try:
        specs, statements = parse_files(frameworks, overlays)
    except ReferenceDataError as error:
        problems += error.problems
    try:
        walks = parse_crosswalks(crosswalks)
    except ReferenceDataError as error:
        problems += error.problems
    if problems:
        raise ReferenceDataError(problems)
    last_id = specs[-1].framework_id if specs else ""
    result = LoadResult(
        name="frameworks",
        # Read together as "caf 3.2, caf 4.0, tcop 2025" by LoadResult.summary.
        dataset_id=", ".join([*(f"{s.framework_id} {s.version}" for s in specs[:-1]), last_id])
        or "statements",
        version=specs[-1].version if specs else "-",
        rows=len(specs),
        details={"nodes added": 0, "statements added": 0, "crosswalk rows added": 0},
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
        for walk in walks:
            loaded = services.crosswalk_load(actor=None, spec=walk)
            if loaded.created:
                result.details["crosswalk rows added"] += loaded.rows
    return result
