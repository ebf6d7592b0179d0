"""The outcomes an assessment answers."""

from django.db.models import QuerySet

from localdigital.cyber.models import OBJECTIVES_BY_KIND, Assessment
from localdigital.frameworks.models import Framework, Node


def outcome_nodes(framework: Framework, kind: str) -> QuerySet[Node]:
    """The framework's outcomes under the objectives a kind of assessment answers (A and D for
    the organisation, B and C for a critical system), in document order: assessable nodes whose
    grandparent is one of those objectives."""
    return Node.objects.filter(
        framework=framework,
        type="outcome",
        assessable=True,
        parent__parent__type="objective",
        parent__parent__code__in=OBJECTIVES_BY_KIND[Assessment.Kind(kind)],
    ).order_by("position")
