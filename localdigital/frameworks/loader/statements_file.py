"""Reading and checking a statements overlay: official text for a loaded framework version."""

from pathlib import Path

from localdigital.core.reference_data import ReferenceDataError
from localdigital.frameworks.loader.reading import Checker, content_hash, in_file_order, read_yaml
from localdigital.frameworks.loader.specs import StatementsSpec
from localdigital.frameworks.models import Framework

STATEMENTS_KEYS = frozenset(
    {"framework", "version", "source_url", "licence", "indicators", "descriptions"}
)
STATEMENTS_LICENCE_MAX = Framework._meta.get_field("statements_licence").max_length or 200


def parse_statements_file(path: Path) -> StatementsSpec:
    """Read and check a statements overlay on its own (that its ids exist in the framework
    version is checked when it is loaded). Raises ReferenceDataError listing every problem."""
    data = read_yaml(path)
    checker = Checker(path.name)
    checker.repeated_keys(data)
    checker.unknown_keys(data, STATEMENTS_KEYS, where="top level")
    framework_id = checker.text(data, "framework", required=True)
    version = checker.text(data, "version", required=True, numbers=True)
    source_url = checker.url(data, "source_url")
    licence = checker.text(data, "licence", required=True, max_length=STATEMENTS_LICENCE_MAX)
    sections: dict[str, dict[str, tuple[str, int | None]]] = {}
    for section, noun in (("indicators", "indicator"), ("descriptions", "node")):
        value = data.get(section)
        sections[section] = {}
        if value is None:
            continue
        if not isinstance(value, dict):
            checker.problem(
                f"{section} must map each {noun} id to its text",
                line=checker.line_of(data, section),
            )
            continue
        for raw_id, text in value.items():
            line = checker.line_of(value, raw_id)
            if not isinstance(text, str) or not text.strip():
                checker.problem(f"Give the text for {raw_id}", line=line, where=section)
                continue
            sections[section][str(raw_id)] = (text.strip(), line)
    if not sections["indicators"] and not sections["descriptions"]:
        checker.problem("Add indicators (or descriptions): each id with its official text")
    if checker.problems:
        raise ReferenceDataError(in_file_order(checker.problems))
    return StatementsSpec(
        file=path.name,
        framework_id=framework_id,
        version=version,
        source_url=source_url,
        licence=licence,
        content_hash=content_hash(data),
        indicators=sections["indicators"],
        descriptions=sections["descriptions"],
    )
