"""Markdown that people write on the Hub, rendered to safe GOV.UK-styled HTML.

People write item descriptions, problems and updates in Markdown. Markdown passes raw HTML
through, so the output is sanitised with nh3 (an allow-list of tags, attributes and URL schemes)
before the GOV.UK classes are added: nothing a person types can run script on another's page.
"""

import html as html_lib
import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# GOV.UK classes for each tag, added after sanitising (nh3 would strip them otherwise).
GOVUK_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "blockquote": "govuk-inset-text",
    "table": "govuk-table",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
_OPENING_TAG = re.compile(r"<(" + "|".join(GOVUK_CLASSES) + r")(?=[\s>/])")
# Headings people write as "#" would clash with the page's own h1: shift every level down two.
_HEADING_SHIFT = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}
_HEADING = re.compile(r"<(/?)(h[1-6])\b")


def _add_classes(html: str) -> str:
    return _OPENING_TAG.sub(lambda m: f'<{m.group(1)} class="{GOVUK_CLASSES[m.group(1)]}"', html)


def render_markdown(text: str) -> Markup:
    """Markdown to sanitised HTML with GOV.UK classes. Empty text renders as empty."""
    if not text or not text.strip():
        return Markup("")
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}{_HEADING_SHIFT[m.group(2)]}", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(_add_classes(clean))  # noqa: S704 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """The words of some Markdown without its markup (for feeds, search and summaries)."""
    html = markdown_lib.markdown(text or "")
    return " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
