"""Rendering a page in the service's layout.

The layout needs two things from every page: which navigation section to mark as current
(`nav_section`) and whether a form on the page failed validation (`has_errors`, which starts the
page title with "Error: "). An app's views bind their section and template folder once:

    page = partial(render_page, nav_section="estate", template_dir="estate")
"""

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    nav_section: str,
    template_dir: str,
) -> HttpResponse:
    """Render `template_dir/template` with the navigation section marked, unless the context
    names its own, and `has_errors` true when any bound form in the context has errors, unless
    the context sets it. `has_errors` is also written into `context` itself."""
    forms_ = [value for value in context.values() if isinstance(value, BaseForm)]
    context.setdefault("has_errors", any(f.is_bound and f.errors for f in forms_))
    return render(request, f"{template_dir}/{template}", {"nav_section": nav_section, **context})
