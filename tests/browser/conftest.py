"""Browser tests: Debian's chromium, driven by playwright, against a real server process
serving the built app on a real, seeded database.

They run as their own pytest call (``make test`` does that): playwright's sync API runs
its own event loop, which the async tests of the main suite must not share.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests import servers
from tests.servers import Server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def run_server(workdir: Path, **env: str) -> Iterator[Server]:
    """``customer-graph serve`` in ``workdir`` on a fresh embedded database with demo data
    and sign-ins; ``env`` adds settings (``CUSTOMER_GRAPH_*``)."""
    static = ROOT / "src" / "customer_graph" / "web" / "static" / "index.html"
    if not static.exists():
        pytest.fail("The app is not built: run `make frontend` (make test does).")
    database_url = f"sqlite+aiosqlite:///{workdir / 'browser.db'}"
    with servers.run_server(
        workdir, database_url, **{"CUSTOMER_GRAPH_DEMO_CUSTOMERS": "40", **env}
    ) as running:
        yield running


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with run_server(tmp_path_factory.mktemp("server")) as running:
        yield running


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (make test does).")
    browser = playwright_instance.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1366, "height": 860})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page whose last state is saved as a screenshot artifact, pass or fail, and that
    fails the test if the browser refused anything under the Content-Security-Policy."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert refused == [], "the page broke its Content-Security-Policy"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/customers**")
