"""Shared helpers for the find, saved search, feed and activity tests."""

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse

from localdigital.pipeline.models import Item


@pytest.fixture
def item_pages(monkeypatch):
    """Item links work in these tests whether or not the item pages are in place yet (they
    are another area's): until `pipeline:item_detail` exists, items link to /pipeline/<slug>/."""
    try:
        reverse("pipeline:item_detail", args=["example"])
    except NoReverseMatch:
        monkeypatch.setattr(Item, "get_absolute_url", lambda self: f"/pipeline/{self.slug}/")


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")
