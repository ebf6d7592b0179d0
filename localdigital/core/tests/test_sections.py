import pytest

from localdigital.core import sections


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(sections, "_providers", {})


def test_sections_are_shown_in_order_and_empty_ones_are_left_out(clean_registry, rf):
    sections.register("late", lambda request, org: sections.Section("b.html"), order=20)
    sections.register("early", lambda request, org: sections.Section("a.html"), order=10)
    sections.register("nothing", lambda request, org: None, order=5)
    found = sections.organisation_sections(rf.get("/"), object())
    assert [s.template for s in found] == ["a.html", "b.html"]


def test_registering_a_name_again_replaces_the_provider(clean_registry, rf):
    sections.register("one", lambda request, org: sections.Section("old.html"))
    sections.register("one", lambda request, org: sections.Section("new.html"))
    assert [s.template for s in sections.organisation_sections(rf.get("/"), None)] == ["new.html"]
