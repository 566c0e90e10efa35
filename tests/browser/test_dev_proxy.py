"""`npm run dev` works with the backend: Vite's dev server, pointed at a running backend by
CUSTOMER_GRAPH_BACKEND, sends it every backend path (sign-in, GraphQL and its live
updates, export, import, health) and keeps the app's own pages and GraphiQL's."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests import servers
from tests.browser.conftest import ROOT, Server
from tests.browser.test_app import MANAGER

FRONTEND = ROOT / "frontend"
VITE = FRONTEND / "node_modules" / "vite" / "bin" / "vite.js"
NODE_BIN = ROOT / ".venv" / "bin"


@pytest.fixture(scope="module")
def dev_server(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not VITE.exists():
        pytest.fail("frontend/node_modules is missing: run `make frontend` (make test does).")
    port = servers.free_port()
    log_path: Path = tmp_path_factory.mktemp("vite") / "vite.log"
    environment = os.environ | {
        "PATH": f"{NODE_BIN}:{os.environ.get('PATH', '')}",
        "CUSTOMER_GRAPH_BACKEND": server.url,
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(NODE_BIN / "node"),
                str(VITE),
                "--host=127.0.0.1",
                f"--port={port}",
                "--strictPort",
            ],
            cwd=FRONTEND,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/", timeout=5).status_code == 200:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"vite did not start: {log_path.read_text()}")
        time.sleep(0.25)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_backend_path_reaches_the_backend(dev_server: str) -> None:
    html = {"Accept": "text/html"}
    with httpx.Client(base_url=dev_server, timeout=30) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/auth/me").status_code == 401
        signed_in = client.post("/auth/login", json={"email": MANAGER[0], "password": MANAGER[1]})
        assert signed_in.status_code == 200
        csrf = signed_in.json()["csrfToken"]
        viewer = client.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"X-CSRF-Token": csrf},
        )
        assert viewer.json()["data"]["viewer"]["name"] == "Dana Whitfield"
        exported = client.get("/export/customers.csv")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        template = client.get("/import/customers-template.csv")
        assert template.status_code == 200
        assert template.text.splitlines()[0] == exported.text.splitlines()[0]

        # The app's pages and GraphiQL's come from the dev server, built from source.
        for path in ("/customers", "/import", "/login"):
            page = client.get(path, headers=html)
            assert "/src/main.tsx" in page.text, path
        assert "/src/graphiql/main.tsx" in client.get("/graphql", headers=html).text


def test_the_app_signs_in_and_goes_live_through_the_dev_server(
    browser: Browser, dev_server: str
) -> None:
    context = browser.new_context(base_url=dev_server, viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.set_default_timeout(60_000)  # the dev server compiles the app on first request
    acknowledged: list[str] = []
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived",
            lambda frame: (
                acknowledged.append(socket.url) if "connection_ack" in str(frame) else None
            ),
        ),
    )
    try:
        page.goto("/customers")
        page.wait_for_url("**/login**")
        page.get_by_label("Email").fill(MANAGER[0])
        page.get_by_role("textbox", name="Password").fill(MANAGER[1])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_test_id("list-range")).to_be_visible()
        deadline = time.monotonic() + 20
        while not acknowledged and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert acknowledged, "no live connection through the dev server"
        assert acknowledged[0].endswith("/graphql")

        page.goto("/graphql")
        expect(page.locator(".graphiql-query-editor")).to_contain_text("viewer")
        page.get_by_role("button", name=re.compile("^Execute query")).click()
        expect(page.locator(".graphiql-response")).to_contain_text("Dana Whitfield")
    finally:
        context.close()
