"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test reaches is checked with axe-core (WCAG 2.2 AA), for Content Security Policy
violations, script errors and broken same-site resources; the `hub` fixture fails the test if a
page was reached but never checked.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from tests.browser.axe import assert_accessible

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Set HUB_SCREENSHOTS=/tmp/screens to keep a full-page picture of every page checked.
SCREENSHOTS = os.environ.get("HUB_SCREENSHOTS", "")
TIMEOUT_MS = 15_000
SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: install the 'chromium' "
            "package (apt-get install chromium), or deselect them with -m 'not browser'."
        )
    # Playwright's synchronous API keeps an event loop running in this thread, which Django
    # would take for async code; the ORM calls made here (factories, flush) are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Hub:
    """One person's browser tab on the Hub, checking every page it reaches."""

    def __init__(self, context: BrowserContext, base_url: str, name: str):
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.page: Page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.problems: list[str] = []
        self.reached: list[str] = []
        self.checked: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfinished", self._finished)
        self.page.on("framenavigated", self._navigated)

    def _console(self, message) -> None:  # noqa: ANN001 - Playwright's ConsoleMessage
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"CSP violation on {self.page.url}: {text}")

    def _finished(self, request: Request) -> None:
        response = request.response()
        same_site = request.url.startswith(self.base_url)
        subresource = same_site and request.resource_type != "document"
        if subresource and response is not None and response.status >= 400:
            self.problems.append(f"{response.status} for {request.url} on {self.page.url}")

    def _navigated(self, frame) -> None:  # noqa: ANN001 - Playwright's Frame
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.reached.append(frame.url)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def visit(self, path: str, *, status: int = 200) -> Page:
        """Open a page, expect its status and check it."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        self.check()
        return self.page

    def submit(self, button_text: str) -> Page:
        """Press a button that sends a form, wait for the next page and check it."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role("button", name=button_text, exact=True).click()
        self.check()
        return self.page

    def follow(self, link_text: str) -> Page:
        """Follow a link (or a link styled as a button, such as a start button) and check."""
        link = self.page.get_by_role("link", name=link_text, exact=True).or_(
            self.page.locator("a[role=button]").get_by_text(link_text, exact=True)
        )
        with self.page.expect_navigation(wait_until="load"):
            link.first.click()
        self.check()
        return self.page

    def check(self) -> None:
        """axe-core finds nothing, and nothing broke the CSP, a script or a resource."""
        self.page.wait_for_load_state("load")
        self.checked.add(self.page.url)
        if SCREENSHOTS:
            self.screenshot()
        if self.context_has_javascript:
            assert_accessible(self.page)
        assert not self.problems, "\n".join(self.problems)

    @property
    def context_has_javascript(self) -> bool:
        return bool(getattr(self.context, "_hub_javascript", True))

    def screenshot(self) -> None:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", urlsplit(self.page.url).path.lower()).strip("-")
        self.page.screenshot(path=str(folder / f"{self.name}-{slug or 'home'}.png"), full_page=True)

    def unchecked(self) -> list[str]:
        return [url for url in self.reached if url not in self.checked]


def _without_scripts(route: Route) -> None:
    """Serve the page as a browser without JavaScript would render it, for axe to inspect. Only
    pages pass through here: styles, fonts and images go straight to the server, so nothing
    binary is read as text and nothing is still being fetched when a test closes its page."""
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch()
    body = response.text()
    if "text/html" in response.headers.get("content-type", ""):
        body = SCRIPT_TAG.sub("", body)
    route.fulfill(response=response, body=body)


@pytest.fixture
def open_hub(browser: Browser, live_server) -> Iterator:
    """Open a fresh browser context (a separate person) on the Hub: `open_hub("name")`.

    With `javascript=False` the page runs no script at all. axe-core needs JavaScript, so the
    same pages are also checked in a scripted context that is served the HTML with its script
    tags removed: the rendering a person without JavaScript gets.
    """
    hubs: list[Hub] = []
    contexts: list[BrowserContext] = []

    def open_(name: str, *, javascript: bool = True) -> Hub:
        context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
        context._hub_javascript = javascript  # type: ignore[attr-defined]
        contexts.append(context)
        hub = Hub(context, live_server.url, name)
        hubs.append(hub)
        return hub

    def open_no_script_rendering(name: str) -> Hub:
        hub = open_(name)
        hub.page.route(lambda url: url.startswith(live_server.url), _without_scripts)
        return hub

    open_.no_script_rendering = open_no_script_rendering  # type: ignore[attr-defined]
    yield open_
    for context in contexts:
        context.close()
    for hub in hubs:
        assert not hub.unchecked(), f"pages reached but never checked: {hub.unchecked()}"


@pytest.fixture
def hub(open_hub) -> Hub:
    """A browser tab for one anonymous visitor, with JavaScript."""
    return open_hub("visitor")
