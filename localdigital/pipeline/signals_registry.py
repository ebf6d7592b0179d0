"""What the Pipeline adds to other parts of the Hub (council page sections), registered once.

Not Django signals: plain registrations with `core.sections`, kept here so apps.py stays small.
"""

from localdigital.core import sections


def _portfolio_section(request, organisation):  # type: ignore[no-untyped-def]
    from localdigital.pipeline.views.portfolio import organisation_section

    return organisation_section(request, organisation)


# After the Declaration: a council's projects, ideas and problems, and the work it partners on.
sections.register("pipeline", _portfolio_section, order=20)
