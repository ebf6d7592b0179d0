"""Reads for the start page."""

from django.db.models import Count, Q

from localdigital.organisations.models import Organisation


def home_figures() -> dict[str, int]:
    """Headline counts for the start page, in one query."""
    return Organisation.objects.aggregate(
        # Local authorities as the directory lists them: councils and combined authorities.
        current_councils=Count(
            "pk",
            filter=Q(
                is_current=True,
                kind__in=[Organisation.Kind.COUNCIL, Organisation.Kind.COMBINED_AUTHORITY],
            ),
        ),
        organisations=Count("pk", filter=Q(is_current=True)),
    )
