"""The app sends only the hashes of its trusted documents, never query text, and works so
on a server that holds browser sessions to them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, Response, WebSocket, expect

from tests.browser.conftest import ARTIFACTS, ROOT, Server, run_server, sign_in

CLI = [sys.executable, "-m", "customer_graph.cli"]
MANAGER = ("manager@example.com", "manager-demo-pass")
MANIFEST = ROOT / "src" / "customer_graph" / "web" / "static" / "persisted-documents.json"
VERSION = "query($id: ID!) { customer(id: $id) { version } }"
RENAME = """mutation($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { userErrors { message } } }"""


@dataclass(frozen=True)
class Locked:
    server: Server
    token: str
    """A partner's API token (read, write)."""


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Locked]:
    """A server on which a browser session may run only the app's trusted documents."""
    workdir = tmp_path_factory.mktemp("locked")
    with run_server(workdir, CUSTOMER_GRAPH_BROWSER_TRUSTED_DOCUMENTS_ONLY="true") as server:
        created = subprocess.run(
            [*CLI, "token", "create", "--name", "partner", "--scopes", "read,write"],
            cwd=workdir,
            env=os.environ | {"CUSTOMER_GRAPH_DATABASE_URL": server.database_url},
            capture_output=True,
            text=True,
            check=True,
        )
        yield Locked(server, created.stdout.strip())


@dataclass
class Wire:
    """Every GraphQL request body and WebSocket message the page sent."""

    http: list[dict[str, Any]] = field(default_factory=list)
    socket: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def record_request(self, request: Request) -> None:
        if urlsplit(request.url).path != "/graphql":
            return
        if request.method == "POST":
            self.http.append(json.loads(request.post_data or "null"))
        else:
            params = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
            for name in ("variables", "extensions"):
                if name in params:
                    params[name] = json.loads(params[name])
            self.http.append(params)

    def record_response(self, response: Response) -> None:
        if urlsplit(response.url).path == "/graphql" and response.status >= 400:
            self.refused.append(f"{response.status} {response.request.post_data}")

    def record_socket(self, socket: WebSocket) -> None:
        socket.on("framesent", lambda payload: self.socket.append(json.loads(payload)))

    def subscribes(self) -> list[dict[str, Any]]:
        return [message["payload"] for message in self.socket if message["type"] == "subscribe"]


def as_partner(locked: Locked, query: str, **variables: Any) -> Any:
    """A partner sends a document of its own, as text: tokens may."""
    response = httpx.post(
        f"{locked.server.url}/graphql",
        headers={"Authorization": f"Bearer {locked.token}"},
        json={"query": query, "variables": variables},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def assert_only_hashes(payloads: list[dict[str, Any]], trusted: dict[str, str]) -> set[str]:
    """Every payload names a trusted document by hash and carries no text; their names."""
    names = set()
    for payload in payloads:
        assert "query" not in payload, payload
        hash_ = payload["extensions"]["persistedQuery"]["sha256Hash"]
        assert f"sha256:{hash_}" in trusted, payload
        names.add(payload["operationName"])
    return names


def test_the_app_sends_only_hashes_and_works_when_sessions_are_held_to_them(
    browser: Browser, locked: Locked
) -> None:
    trusted: dict[str, str] = json.loads(MANIFEST.read_text())
    context = browser.new_context(
        base_url=locked.server.url, viewport={"width": 1366, "height": 860}
    )
    page: Page = context.new_page()
    page.set_default_timeout(10_000)
    wire = Wire()
    page.on("request", wire.record_request)
    page.on("websocket", wire.record_socket)
    page.on("response", wire.record_response)
    try:
        sign_in(page, *MANAGER)
        rows = page.locator("tbody tr")
        expect(rows.first).to_be_visible()
        expect(page.get_by_test_id("list-range")).to_have_text(re.compile(r" of [1-9]"))

        rows.first.get_by_role("link").click()
        expect(page.get_by_role("tab", name=re.compile("^Contacts"))).to_be_visible()
        customer_id = unquote(urlsplit(page.url).path.rsplit("/", 1)[-1])

        edited = f"Trusted Edit {uuid.uuid4().hex[:6]}"
        page.get_by_role("button", name="Edit").first.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Name").fill(edited)
        dialog.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name=edited, exact=True, level=1)).to_be_visible()

        # The open page hears of a partner's change through the subscription it opened by hash.
        version = as_partner(locked, VERSION, id=customer_id)["customer"]["version"]
        renamed = f"Renamed By Partner {uuid.uuid4().hex[:6]}"
        change = {"id": customer_id, "expectedVersion": version, "name": renamed}
        assert as_partner(locked, RENAME, input=change)["updateCustomer"]["userErrors"] == []
        expect(page.get_by_role("heading", name=renamed, exact=True, level=1)).to_be_visible()
    finally:
        page.screenshot(path=str(ARTIFACTS / "trusted_documents.png"), full_page=True)

    try:
        own_text = page.request.post("/graphql", data={"query": "{ viewer { name } }"})
        assert own_text.status == 403, "this session may not send a document of its own"
        assert own_text.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
    finally:
        context.close()

    sent_over_http = assert_only_hashes(wire.http, trusted)
    assert {"CustomersList", "CustomerDetail", "UpdateCustomer"} <= sent_over_http
    sent_over_socket = assert_only_hashes(wire.subscribes(), trusted)
    assert "CustomerLive" in sent_over_socket
    assert wire.refused == [], "the server accepted every request of the app"
