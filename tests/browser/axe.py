"""Run axe-core in a page and turn its violations into a readable test failure."""

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "frontend" / "axe.min.js"
# WCAG 2.2 AA: every level A and AA rule axe knows, from 2.0 to 2.2.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(
            f"{AXE_SCRIPT} is missing: run 'make frontend' (it copies axe-core from npm)."
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The axe-core violations on the page as it is now."""
    # Evaluated through the DevTools protocol, so the page's CSP (no inline script) still holds.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;0")
    result = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        lines.extend(f"  at {target}" for target in violation["targets"][:10])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with each rule, its help text and the elements at fault if axe finds anything."""
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)
