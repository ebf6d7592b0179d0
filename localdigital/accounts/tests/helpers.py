"""Small helpers for the accounts tests: parsing pages and reading the error summary."""

from bs4 import BeautifulSoup
from django.core import mail


def soup(response) -> BeautifulSoup:  # noqa: ANN001 - a test client response
    return BeautifulSoup(response.content, "html.parser")


def error_summary(response) -> dict[str, str]:  # noqa: ANN001
    """The error summary's messages mapped to the href each links to."""
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    if summary is None:
        return {}
    return {a.text.strip(): a["href"] for a in summary.select(".govuk-error-summary__list a")}


def field_error(response, field_id: str) -> str:  # noqa: ANN001
    """The inline error message shown above the field with this id."""
    page = soup(response)
    node = page.select_one(f"#{field_id}-error")
    return node.text.replace("Error:", "").strip() if node else ""


def link_in_last_email(prefix: str) -> str:
    """The first path in the most recent email that starts with `prefix`."""
    body = mail.outbox[-1].body
    for word in body.split():
        if prefix in word:
            return word[word.index(prefix) :]
    raise AssertionError(f"No link with {prefix} in: {body}")


def h1(response) -> str:  # noqa: ANN001
    return soup(response).select_one("main h1").text.strip()
