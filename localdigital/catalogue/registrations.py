"""What the catalogue adds to other parts of the Hub, registered once: "existing solutions" on
Pipeline item pages and the solutions a council owns and uses on its page."""

from typing import Any

from django.http import HttpRequest

from localdigital.core import sections


def _solutions_section(request: HttpRequest, item: Any) -> sections.Section | None:
    from localdigital.catalogue.selectors import item_solutions
    from localdigital.core.access import is_item_owner

    found = item_solutions(item)
    return sections.Section(
        "catalogue/_item_solutions.html",
        {**found, "item": item, "is_owner": is_item_owner(request.user, item)},
    )


def _organisation_section(request: HttpRequest, organisation: Any) -> sections.Section | None:
    from localdigital.catalogue.selectors import organisation_solutions

    found = organisation_solutions(organisation)
    if not (found["owned"] or found["adopted"]):
        return None
    return sections.Section("catalogue/_organisation_section.html", found)


sections.register("catalogue-solutions", _solutions_section, order=10, place="pipeline_item")
sections.register("catalogue", _organisation_section, order=30)
