"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers and the Hub's filters."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from localdigital.core import govuk
from localdigital.core.markdown import render_markdown


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value: Any, fmt: str = "j F Y") -> str:
    """Dates as GOV.UK writes them: 4 June 2026."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_format(value, fmt)


def format_datetime(value: Any) -> str:
    """Date and time as GOV.UK writes them: 4 June 2026 at 2:30pm."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{date_format(value, 'j F Y')} at {date_format(value, 'g:iA').lower()}"


def format_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


def environment(**options: Any) -> Environment:
    # Django passes a FileSystemLoader for DIRS; the GOV.UK macros come from their package.
    project_loader = options.pop("loader", None) or FileSystemLoader(
        str(settings.BASE_DIR / "localdigital" / "templates")
    )
    options.setdefault("extensions", ["jinja2.ext.do"])
    env = Environment(  # noqa: S701 - autoescape is passed in by Django's backend options
        loader=ChoiceLoader(
            [
                project_loader,
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": messages.get_messages,
            "service_name": settings.SERVICE_NAME,
            "contact_email": settings.HUB_CONTACT_EMAIL,
            "govuk": govuk,
        }
    )
    env.filters.update(
        {
            "date": format_date,
            "datetime": format_datetime,
            "number": format_number,
            "markdown": render_markdown,
        }
    )
    return env
