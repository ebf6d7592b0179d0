import pytest
from bs4 import BeautifulSoup

from localdigital.core.markdown import markdown_to_text, render_markdown


def soup(text):
    return BeautifulSoup(str(render_markdown(text)), "html.parser")


def test_markdown_renders_paragraphs_lists_and_links_with_govuk_classes():
    page = soup("Some **bold** text\n\n- one\n- two\n\n[Read more](https://example.org/x)")
    assert page.select_one("p.govuk-body strong").text == "bold"
    assert [li.text for li in page.select("ul.govuk-list.govuk-list--bullet li")] == ["one", "two"]
    link = page.select_one("a.govuk-link")
    assert link["href"] == "https://example.org/x"
    assert "noopener" in link["rel"]


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p onclick="alert(1)">hello</p>',
        "<svg onload=alert(1)>",
    ],
)
def test_markdown_cannot_inject_script(attack):
    html = str(render_markdown(f"Before {attack} after"))
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert "onerror" not in lowered
    assert "onclick" not in lowered
    assert "onload" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered


def test_headings_sit_below_the_pages_own_heading():
    page = soup("# Big\n\n## Smaller")
    assert page.find("h1") is None
    assert page.find("h2") is None
    assert [h.name for h in page.find_all(["h3", "h4"])] == ["h3", "h3"]


def test_empty_markdown_renders_nothing():
    assert str(render_markdown("   ")) == ""


def test_markdown_to_text_keeps_only_the_words():
    assert markdown_to_text("Some **bold** & <b>tags</b>") == "Some bold & tags"
