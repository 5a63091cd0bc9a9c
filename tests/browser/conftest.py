"""Headless Chromium through Playwright, against pytest-django's live server.

Debian's chromium is used (Playwright cannot download its own browser here). On a machine without
it the browser tests skip with a message; CI sets PORTAL_REQUIRE_BROWSER=1 so a missing browser
fails there instead.
"""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.browser.pages import csp_violations, watch_csp

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
VIEWPORTS = {"narrow": {"width": 360, "height": 780}, "wide": {"width": 1280, "height": 900}}
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# One Playwright and one browser for the whole run: Playwright's sync API cannot be started twice
# in one thread.
_RUNNING = {}


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    if "browser" not in _RUNNING:
        from playwright.sync_api import sync_playwright

        _RUNNING["playwright"] = sync_playwright().start()
        _RUNNING["browser"] = _RUNNING["playwright"].chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
    return _RUNNING["browser"]


def pytest_sessionfinish(session):
    if "browser" in _RUNNING:
        _RUNNING.pop("browser").close()
        _RUNNING.pop("playwright").stop()


@pytest.fixture(autouse=True)
def page_cache(page_cache, settings):
    """The journeys run with the public page cache on, as production does: what the public sees
    after a change must be the change."""
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def new_page(browser, live_server):
    """Factory: new_page(viewport="wide", javascript=True) → a Page whose base URL is the server.

    Every page it makes watches for Content-Security-Policy violations (pages.watch_csp): a test
    fails when any page it opened broke the policy, on a full load or after an HTMX swap, even
    if the test itself never looked."""
    contexts = []

    def make(viewport="wide", javascript=True):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            java_script_enabled=javascript,
            base_url=live_server.url,
            locale="en-GB",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.javascript = javascript  # axe_violations checks a no-JS page through a copy
        watch_csp(page)
        return page

    yield make
    violations = [v for context in contexts for p in context.pages for v in csp_violations(p)]
    for context in contexts:
        context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def demo_data(transactional_db):
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)


@pytest.fixture
def meetings_data(demo_data):
    """The rest of `make run`'s demo data: the plan's meetings and its monitoring records."""
    call_command("import_meetings", "fixtures/banska-bystrica-meetings.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", verbosity=0)


@pytest.fixture
def demo_accounts(demo_data, settings, tmp_path):
    """The demo accounts of `make run` (password "demo") on the demo data. A fast hasher: the
    live server runs in this process, so it checks passwords with the same settings."""
    from tests.personas import create_demo_site_accounts

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files uploaded by the tests
    create_demo_site_accounts()
