"""Sections that capabilities add to an organisation's page.

The council page belongs to `organisations`, but later capabilities (Declaration, Pipeline,
estate...) each show their own records there. An app registers a provider in its AppConfig.ready:

    sections.register("declaration", declaration_section, order=10)

A provider takes the request and the organisation and returns a `Section` (a template and its
context) or None when it has nothing to show. Providers fetch what they need with a constant
number of queries.
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
_providers: dict[str, tuple[int, Provider]] = {}


def register(name: str, provider: Provider, *, order: int = 100) -> None:
    """Add (or replace) the provider called `name`; lower `order` shows first."""
    _providers[name] = (order, provider)


def organisation_sections(request: HttpRequest, organisation: Any) -> list[Section]:
    """Every registered section with something to show for this organisation, in order."""
    sections = []
    for _order, provider in sorted(_providers.values(), key=lambda item: item[0]):
        section = provider(request, organisation)
        if section is not None:
            sections.append(section)
    return sections
