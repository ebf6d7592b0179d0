"""Fixtures shared by the gaps, plan, export and housekeeping tests (no tests of its own).

`caf` here replaces the shared one in the modules that import it: a small CAF-shaped
framework made in a few queries instead of loading every shipped framework, so these tests stay
fast. It has outcomes with and without "partially achieved", and a profile with required, "not
required" and missing targets. One test in test_gaps.py runs on the real CAF 4.0.
"""

import pytest
from django.utils import timezone

from localdigital.cyber.models import OutcomeAnswer
from localdigital.frameworks.models import Framework, Level, Node, Profile, ProfileTarget

# (objective, principle, outcome, has partially achieved)
OUTCOMES = [
    ("A", "A1", "A1.a", False),
    ("A", "A1", "A1.b", True),
    ("A", "A2", "A2.a", True),
    ("B", "B1", "B1.a", True),
    ("D", "D1", "D1.a", False),
    ("D", "D1", "D1.b", True),
]
# The profile's target for each outcome: a level key, None for "not required", or no row.
TARGETS = {
    "A1.a": "achieved",
    "A1.b": "partially-achieved",
    "A2.a": None,
    "B1.a": "achieved",
    "D1.a": "achieved",
}


def build_small_caf() -> Framework:
    framework = Framework.objects.create(
        framework_id="caf",
        version="9.9",
        name="Small CAF",
        kind=Framework.Kind.ASSESSMENT,
        source_url="https://example.org/caf",
        licence="OGL-UK-3.0",
        namespace="caf-9.9",
        content_hash="0" * 64,
        loaded_at=timezone.now(),
    )
    position = 0
    made: dict[str, Node] = {}

    def node(code: str, depth: int, parent: Node | None, kind: str) -> Node:
        nonlocal position
        if code not in made:
            position += 1
            made[code] = Node.objects.create(
                framework=framework,
                node_id=f"caf-9.9:{code}",
                parent=parent,
                type=kind,
                code=code,
                title=f"Title of {code}",
                position=position,
                depth=depth,
                assessable=kind == "outcome",
            )
        return made[code]

    for objective, principle, outcome, partial in OUTCOMES:
        o = node(objective, 0, None, "objective")
        p = node(principle, 1, o, "principle")
        leaf = node(outcome, 2, p, "outcome")
        keys = [("not-achieved", "Not achieved", 0)]
        if partial:
            keys.append(("partially-achieved", "Partially achieved", 1))
        keys.append(("achieved", "Achieved", 2))
        for index, (key, label, rank) in enumerate(keys):
            Level.objects.create(node=leaf, key=key, label=label, rank=rank, position=index)
    return framework


def level(framework: Framework, code: str, key: str) -> Level:
    return Level.objects.get(node__framework=framework, node__code=code, key=key)


def add_profile(framework: Framework) -> Profile:
    profile = Profile.objects.create(
        framework=framework, profile_id="baseline", name="Small baseline"
    )
    for code, key in TARGETS.items():
        ProfileTarget.objects.create(
            profile=profile,
            node=Node.objects.get(framework=framework, code=code),
            level=level(framework, code, key) if key else None,
        )
    return profile


@pytest.fixture
def caf(db):
    return build_small_caf()


@pytest.fixture
def profiled(cycle, caf):
    """The cycle with the small baseline profile."""
    cycle.profile = add_profile(caf)
    cycle.save(update_fields=["profile"])
    return cycle


@pytest.fixture
def answers(assessment, caf, people):
    """One answer per outcome of objectives A and D; A1.a not achieved, A1.b partially
    achieved, A2.a not achieved, D1.a achieved; D1.b not assessed."""
    levels = {
        "A1.a": "not-achieved",
        "A1.b": "partially-achieved",
        "A2.a": "not-achieved",
        "D1.a": "achieved",
    }
    made = {}
    for node in Node.objects.filter(
        framework=caf, assessable=True, parent__parent__code__in=["A", "D"]
    ):
        key = levels.get(node.code)
        made[node.code] = OutcomeAnswer.objects.create(
            assessment=assessment,
            node=node,
            level=level(caf, node.code, key) if key else None,
            justification=f"Because of {node.code}",
            evidence_text=f"Policy for {node.code}",
            evidence_links=[f"https://intranet.example/{node.code}"],
            owner=people["contributor"],
            status=OutcomeAnswer.Status.COMPLETED if key else OutcomeAnswer.Status.NOT_STARTED,
        )
    return made
