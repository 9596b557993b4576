"""A real Chromium, driven through Playwright, for the tests that follow a person through the site.

The browser is Debian's Chromium (``apt-get install chromium``), never one Playwright downloads.
Without it the browser tests skip, unless ``NEWSROOM_REQUIRE_BROWSER=1`` (set in CI) makes a
missing browser an error, so CI cannot go green without having run them.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Debian's chromium is not installed: apt-get install chromium"


@pytest.fixture
def browser(transactional_db) -> Iterator[Browser]:
    """A headless Chromium for one test (about a second to start).

    While Playwright runs, its asyncio loop counts as running in the main thread, even between
    calls, and that changes how Django treats the thread:

    - Django refuses ORM calls there (the test body, fixtures) with SynchronousOnlyOperation.
      Nothing here is async: the live server answers in threads of its own and the test thread
      only blocks on the browser, so DJANGO_ALLOW_ASYNC_UNSAFE allows them, for exactly as long
      as Playwright runs.
    - Django keeps database connections per thread, but per asyncio context where a loop runs,
      so the test thread gets a second connection object to the same in-memory database. The
      data is the same; what the test machinery keeps on the first object is not: the rows
      ``serialized_rollback`` saved, which it reloads before a test and uses to decide how to
      empty the database after it.

    Hence one Playwright per test, started after pytest-django has prepared the database
    (``transactional_db`` above) and stopped before it empties it. A Playwright kept for the
    session made the first browser test skip that reload and the next ``serialized_rollback``
    test (tests/test_editors.py) fail on content types the flush had recreated.
    """
    if not CHROMIUM.exists():
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{MISSING_CHROMIUM} (NEWSROOM_REQUIRE_BROWSER=1: the browser tests must run)"
            )
        pytest.skip(MISSING_CHROMIUM)

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
        # The connection Django opened for Playwright's asyncio context would otherwise stay
        # open and keep PostgreSQL from dropping the test database at the end of the run.
        connections.close_all()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[[], Page]]:
    """``new_page()`` is another person arriving at the live site: a fresh browser context,
    with cookies (a session, a sign-in) of its own. Relative URLs go to the live server."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
