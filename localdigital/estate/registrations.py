"""What the estate adds to other pages, registered once: the register's count on a council's
page and "councils that moved off this went to" on a product's page."""

from typing import Any

from django.http import HttpRequest

from localdigital.core import sections


def _organisation_section(request: HttpRequest, organisation: Any) -> sections.Section | None:
    from localdigital.core.access import active_organisation_ids
    from localdigital.estate.access import sharing_level
    from localdigital.estate.models import SharingSetting, System
    from localdigital.estate.selectors.register import shared_system_count

    user = request.user
    is_member = organisation.pk in active_organisation_ids(user)
    shares_nothing = sharing_level(organisation) == SharingSetting.Level.NOTHING
    if is_member:
        count = System.objects.filter(organisation=organisation).count()
    else:
        # Counted even when the council shares nothing (and then not shown), so the council page
        # makes the same queries whatever a council's sharing setting.
        count = shared_system_count(organisation)
        if shares_nothing:
            count = 0
    if not (count or is_member or shares_nothing):
        return None
    return sections.Section(
        "estate/_organisation_section.html",
        {
            "organisation": organisation,
            "count": count,
            "shares_nothing": shares_nothing,
            "is_member": is_member,
            "signed_in": bool(user and user.is_authenticated),
        },
    )


def _pathways_section(request: HttpRequest, product: Any) -> sections.Section | None:
    from localdigital.estate.selectors.pathways import pathways_from

    summary = pathways_from(product, request.user)
    if summary.is_empty:
        return None
    return sections.Section("estate/_pathways_section.html", {"summary": summary})


sections.register("estate", _organisation_section, order=40)
sections.register("pathways", _pathways_section, order=10, place="estate_product")
