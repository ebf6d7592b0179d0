"""Small helpers the cyber view tests share: reading a response's HTML, its buttons and its
error summary, and making someone a member of a council."""

from bs4 import BeautifulSoup

from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def buttons(response):
    """The text of every button in a form of the page's main content."""
    return [b.get_text(strip=True) for b in soup(response).select("main form button")]


def error_text(response):
    """The error summary's text, or "" when the page has none."""
    summary = soup(response).select_one(".govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def join_council(user, organisation, status=Membership.Status.ACTIVE):
    return MembershipFactory(organisation=organisation, user=user, status=status)
