"""Browser tests: Debian's chromium, driven by playwright, against a real server process
serving the built app on a real, seeded database.

They run as their own pytest call (``make test`` does that): playwright's sync API runs
its own event loop, which the async tests of the main suite must not share.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

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


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def run_server(workdir: Path, **env: str) -> Iterator[Server]:
    """``customer-graph serve`` in ``workdir`` on a fresh embedded database with demo data
    and sign-ins; ``env`` adds settings (``CUSTOMER_GRAPH_*``)."""
    static = ROOT / "src" / "customer_graph" / "web" / "static" / "index.html"
    if not static.exists():
        pytest.fail("The app is not built: run `make frontend` (make test does).")
    database_url = f"sqlite+aiosqlite:///{workdir / 'browser.db'}"
    port = _free_port()
    environment = os.environ | {
        "CUSTOMER_GRAPH_DATABASE_URL": database_url,
        "CUSTOMER_GRAPH_DEMO_CUSTOMERS": "40",
        "CUSTOMER_GRAPH_PORT": str(port),
        **env,
    }
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "customer_graph.cli", "serve"],
        cwd=workdir,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"server did not start: {(workdir / 'server.log').read_text()}")
        time.sleep(0.25)
    try:
        yield Server(url, database_url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


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
