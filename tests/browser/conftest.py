"""Playwright driving Debian's Chromium against pytest-django's live server.

Browser tests are marked `browser`. They skip when Chromium is missing, unless
REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups. Browser tests are transactional (the live server needs
    committed data), and a transactional test's flush also empties what the
    data migrations made."""
    from django.contrib.auth.models import Group

    from claims.models import EDITORS_GROUP, REVIEWERS_GROUP

    for name in (EDITORS_GROUP, REVIEWERS_GROUP):
        Group.objects.get_or_create(name=name)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """new_page(user=None, javascript=True, width=1280, **options) -> a Page, signed in as
    `user` when given; options go to Playwright's new_context (reduced_motion=...)."""
    contexts = []

    def factory(
        user=None, *, javascript: bool = True, width: int = 1280, height: int = 900, **options
    ):
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
            **options,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            sign_in(page, live_server.url, user.get_username())
        return page

    yield factory
    for context in contexts:
        context.close()


def sign_in(page, base_url: str, username: str, password: str = "factcheck") -> None:  # noqa: S107
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# ---------------------------------------------------------------- accessibility

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, plus axe's best practices (landmarks, one h1, region).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


class AxeModerate(UserWarning):
    """A moderate or minor axe finding: listed in the test output, not a failure."""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        message = f"axe-core is missing ({AXE_JS}); run `npm ci` (make test does, if npm is here)."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def watch_page_problems(page) -> list[str]:
    """Collect CSP refusals, console errors, uncaught exceptions and failed loads from `page`.

    Chromium logs every 4xx answer as a console error. Pages and htmx requests get 4xx on
    purpose (422 for a form with errors, 409 for a stale edit), and the tests check those
    statuses themselves; a failed sub-resource (script, style, icon) or any 5xx counts."""
    problems: list[str] = []
    deliberate: set[str] = set()  # URLs of pages and htmx requests

    def on_request(request) -> None:
        if request.resource_type in ("document", "xhr", "fetch"):
            deliberate.add(request.url)

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        failed_load = msg.text.startswith("Failed to load resource")
        if failed_load and msg.location.get("url") in deliberate and "status of 5" not in msg.text:
            return
        problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url', '')})")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


@pytest.fixture
def page_problems() -> Callable:
    """page_problems(page) -> a list that fills with the page's console errors and CSP refusals."""
    return watch_page_problems


@pytest.fixture
def axe(axe_source) -> Callable:
    """axe(page, state) -> the serious and critical violations on the page as it is now.

    The axe source runs through Playwright's evaluate (DevTools protocol), which the
    page's Content-Security-Policy does not govern: the app's CSP stays as strict as in
    production, and no inline script tag is added to the page."""

    def check(page, state: str) -> list[str]:
        if not page.evaluate("() => Boolean(window.axe)"):
            page.evaluate(axe_source)
        results = page.evaluate(
            """(tags) => axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            }).then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")).slice(0, 8), count: v.nodes.length,
            })))""",
            AXE_TAGS,
        )
        blocking = []
        for v in results:
            where = ", ".join(v["targets"])
            line = f"[{state}] {v['impact']} {v['id']} ({v['count']}): {v['help']} at {where}"
            if v["impact"] in BLOCKING:
                blocking.append(line)
            else:
                warnings.warn(line, AxeModerate, stacklevel=2)
        return blocking

    return check
