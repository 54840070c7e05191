"""Real-browser tests: Debian's Chromium driven by Playwright against `live_server`.

Playwright's sync API runs an event loop in the test's thread; the test's own database calls
are synchronous, so Django is told they are safe there (DJANGO_ALLOW_ASYNC_UNSAFE, tests only).
Each test starts and stops its own Playwright, so that loop never outlives the test: a loop left
running would make every later test's database call look like one made from async code.
Every page records its console errors and Content-Security-Policy violations; screenshots go to
SCREENSHOT_DIR (default: test-output/screenshots), printed at the end of the run.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", settings.BASE_DIR / "test-output" / "screenshots")
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pytest_sessionfinish(session):
    if SCREENSHOTS.exists():
        print(f"\nBrowser screenshots: {SCREENSHOTS}")


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """For these tests only, so that no subprocess a test starts inherits it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps this thread's database connections apart
        # (asgiref's context-local storage), out of reach of the test database's teardown.
        connections.close_all()


class Watched:
    """A page with what its console said: errors and CSP violations fail the tests."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def overflow(self):
        """How many CSS pixels the page is wider than the window (0 when it fits)."""
        return self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def open_page(browser, live_server, client):
    """open_page(user=None, width="desktop") -> Watched, signed in as `user` when given."""
    contexts = []

    def make(user=None, width="desktop", color_scheme="light"):
        context = browser.new_context(
            viewport={"width": WIDTHS[width], "height": 900},
            color_scheme=color_scheme,
            base_url=live_server.url,
        )
        contexts.append(context)
        if user is not None:
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return Watched(context.new_page())

    yield make
    for context in contexts:
        context.close()
