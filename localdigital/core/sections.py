"""Sections that capabilities add to pages other apps own.

The council page belongs to `organisations`, but later capabilities (Declaration, Pipeline,
estate...) each show their own records there. An app registers a provider in its AppConfig.ready:

    sections.register("declaration", declaration_section, order=10)

A provider takes the request and the organisation and returns a `Section` (a template and its
context) or None when it has nothing to show. Providers fetch what they need with a constant
number of queries.

Other pages take sections the same way, by place: the Pipeline's item page collects the
"pipeline_item" place, where the catalogue adds "existing solutions":

    sections.register("solutions", solutions_section, order=10, place="pipeline_item")
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[HttpRequest, Any], Section | None]
_providers: dict[str, dict[str, tuple[int, Provider]]] = {}


def register(
    name: str, provider: Provider, *, order: int = 100, place: str = "organisation"
) -> None:
    """Add (or replace) the provider called `name` on a page; lower `order` shows first."""
    _providers.setdefault(place, {})[name] = (order, provider)


def sections_for(place: str, request: HttpRequest, obj: Any) -> list[Section]:
    """Every registered section of a page with something to show for `obj`, in order."""
    sections = []
    for _order, provider in sorted(_providers.get(place, {}).values(), key=lambda p: p[0]):
        section = provider(request, obj)
        if section is not None:
            sections.append(section)
    return sections


def organisation_sections(request: HttpRequest, organisation: Any) -> list[Section]:
    """Every registered section with something to show for this organisation, in order."""
    return sections_for("organisation", request, organisation)
