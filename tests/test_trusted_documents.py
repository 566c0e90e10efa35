"""Trusted documents: the app's operations run by hash; sessions may be held to them.

The hash travels as ``extensions.persistedQuery.sha256Hash`` over HTTP (POST and GET) and
in graphql-transport-ws ``subscribe`` messages; API tokens may always send any document.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.testclient import TestClient

from customer_graph.db.enums import Role
from customer_graph.domain.tokens import create_token
from customer_graph.domain.users import create_user
from customer_graph.settings import Settings
from customer_graph.web.app import create_app
from customer_graph.web.graphql_http import GRAPHQL_RESPONSE, JSON
from customer_graph.web.trusted_documents import ManifestError
from tests.web_client import TEST_SETTINGS, app_client, sign_in

EMAIL, PASSWORD = "trusted@example.com", "trusted documents pass"

VIEWER = "query Viewer { __typename viewer { __typename name } }"
CUSTOMERS = "query Count { customers { totalCount } }"
CREATE = """mutation Create($name: String!) { createCustomer(input: {name: $name}) {
  customer { id name version } userErrors { code message } } }"""
RENAME = """mutation Rename($id: ID!, $v: Int!, $name: String!) {
  updateCustomer(input: {id: $id, expectedVersion: $v, name: $name}) { userErrors { message } } }"""
CHANGED = "subscription Changed($id: ID!) { customerChanged(id: $id) { name version } }"
TRUSTED = [VIEWER, CUSTOMERS, CREATE, RENAME, CHANGED]

ARBITRARY = "{ viewer { name role } }"
EVENTS = "subscription { customerEvents { action customer { name } } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def by_hash(document: str, **variables: Any) -> dict[str, Any]:
    """What the app sends: the hash of a trusted document, never its text."""
    return {
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(document)}},
    }


def as_text(document: str, **variables: Any) -> dict[str, Any]:
    return {"query": document, "variables": variables}


def write_manifest(path: Path, documents: list[str]) -> Path:
    """The manifest as graphql-codegen's client preset writes it."""
    path.write_text(json.dumps({f"sha256:{sha256(d)}": d for d in documents}))
    return path


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_manifest(tmp_path / "persisted-documents.json", TRUSTED)


def settings_for(manifest: Path, *, trusted_only: bool | None, **more: Any) -> Settings:
    return TEST_SETTINGS.model_copy(
        update={
            "trusted_documents_path": manifest,
            "browser_trusted_documents_only": trusted_only,
            **more,
        }
    )


@pytest.fixture
async def token(engine: AsyncEngine) -> str:
    async with AsyncSession(engine) as session:
        await create_user(
            session, email=EMAIL, name="Trusted Manager", role=Role.SALES_MANAGER, password=PASSWORD
        )
        issued = await create_token(session, name="partner", scopes=frozenset({"read", "write"}))
        await session.commit()
    return issued.secret


@pytest.fixture
async def session_client(
    engine: AsyncEngine, manifest: Path, token: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in browser session (with its CSRF header) on a server held to trusted documents."""
    async with app_client(engine, settings_for(manifest, trusted_only=True)) as client:
        client.headers["X-CSRF-Token"] = await sign_in(client, EMAIL, PASSWORD)
        yield client


@pytest.fixture
async def token_client(
    engine: AsyncEngine, manifest: Path, token: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_for(manifest, trusted_only=True)
    async with app_client(engine, settings, Authorization=f"Bearer {token}") as client:
        yield client


async def count(client: httpx.AsyncClient) -> int:
    response = await client.post("/graphql", json=by_hash(CUSTOMERS))
    total: int = response.json()["data"]["customers"]["totalCount"]
    return total


async def test_a_session_runs_trusted_documents_by_hash(session_client: httpx.AsyncClient) -> None:
    viewer = await session_client.post("/graphql", json=by_hash(VIEWER))
    assert viewer.status_code == 200
    assert viewer.json()["data"] == {
        "__typename": "Query",
        "viewer": {"__typename": "Viewer", "name": "Trusted Manager"},
    }

    created = await session_client.post("/graphql", json=by_hash(CREATE, name="By Hash Ltd"))
    payload = created.json()["data"]["createCustomer"]
    assert payload["userErrors"] == []
    assert payload["customer"]["name"] == "By Hash Ltd"
    assert await count(session_client) == 1

    extensions = json.dumps(by_hash(CUSTOMERS)["extensions"])
    by_get = await session_client.get("/graphql", params={"extensions": extensions})
    assert by_get.json()["data"] == {"customers": {"totalCount": 1}}


async def test_a_token_runs_trusted_documents_by_hash(token_client: httpx.AsyncClient) -> None:
    viewer = await token_client.post("/graphql", json=by_hash(VIEWER))
    assert viewer.status_code == 200
    assert viewer.json()["data"]["viewer"] == {"__typename": "Viewer", "name": "partner"}
    assert await count(token_client) == 0


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_an_unknown_hash_is_refused_in_the_negotiated_media_type(
    session_client: httpx.AsyncClient, token_client: httpx.AsyncClient, accept: str
) -> None:
    unknown = by_hash("query Forgotten { viewer { name } }")
    for client in (session_client, token_client):
        response = await client.post("/graphql", json=unknown, headers={"Accept": accept})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith(accept)
        body = response.json()
        assert "data" not in body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert error["message"].startswith("PersistedQueryNotFound")
        assert unknown["extensions"]["persistedQuery"]["sha256Hash"] in error["message"]


async def test_a_session_held_to_trusted_documents_may_not_send_its_own(
    session_client: httpx.AsyncClient,
) -> None:
    for body in (as_text(ARBITRARY), as_text(CREATE.replace("name version", "name"), name="X")):
        response = await session_client.post(
            "/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE}
        )
        assert response.status_code == 403
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
        assert "Authorization: Bearer" in error["message"]
    assert await count(session_client) == 0, "the refused mutation wrote nothing"

    same_text = await session_client.post("/graphql", json=as_text(VIEWER))
    assert same_text.json()["data"]["viewer"]["name"] == "Trusted Manager", (
        "a trusted document is trusted however it is sent"
    )


async def test_a_token_may_send_any_document(token_client: httpx.AsyncClient) -> None:
    response = await token_client.post("/graphql", json=as_text(ARBITRARY))
    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"name": "partner", "role": None}}


async def test_a_session_may_send_any_document_when_the_setting_is_off(
    engine: AsyncEngine, manifest: Path, token: str
) -> None:
    async with app_client(engine, settings_for(manifest, trusted_only=False)) as client:
        csrf = await sign_in(client, EMAIL, PASSWORD)
        response = await client.post(
            "/graphql", json=as_text(ARBITRARY), headers={"X-CSRF-Token": csrf}
        )
        assert response.json()["data"] == {
            "viewer": {"name": "Trusted Manager", "role": "SALES_MANAGER"}
        }
        assert (await client.post("/graphql", json=by_hash(VIEWER))).status_code == 200


async def test_a_hash_must_be_the_hash_of_the_text_sent_with_it(
    token_client: httpx.AsyncClient,
) -> None:
    forged = {**as_text(ARBITRARY), **by_hash(VIEWER)}
    response = await token_client.post("/graphql", json=forged)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"

    malformed = {"extensions": {"persistedQuery": {"version": 1}}}
    response = await token_client.post("/graphql", json=malformed)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_PERSISTED_QUERY"


async def test_csrf_still_guards_mutations_sent_by_hash(
    engine: AsyncEngine, manifest: Path, token: str
) -> None:
    async with app_client(engine, settings_for(manifest, trusted_only=True)) as client:
        await sign_in(client, EMAIL, PASSWORD)
        response = await client.post("/graphql", json=by_hash(CREATE, name="Forged"))
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert "X-CSRF-Token" in error["message"]
        assert await count(client) == 0


def test_sessions_are_held_to_trusted_documents_by_default_in_production_only() -> None:
    production = Settings(database_url="postgresql+psycopg://postgres@127.0.0.1/x")
    embedded = Settings(database_url="sqlite+aiosqlite:///x.db")
    assert production.sessions_need_trusted_documents is True
    assert embedded.sessions_need_trusted_documents is False
    for explicit in (True, False):
        for settings in (production, embedded):
            chosen = settings.model_copy(update={"browser_trusted_documents_only": explicit})
            assert chosen.sessions_need_trusted_documents is explicit


def test_a_manifest_that_cannot_be_trusted_stops_the_start(tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps({f"sha256:{sha256(VIEWER)}": ARBITRARY}))
    not_json = tmp_path / "broken.json"
    not_json.write_text("{")
    for path, reason in [
        (tampered, "does not hash to its key"),
        (not_json, "is not JSON"),
        (tmp_path / "missing.json", "is missing"),
    ]:
        with pytest.raises(ManifestError, match=reason):
            create_app(settings_for(path, trusted_only=True))


# Subscriptions over graphql-transport-ws, through a real app on its own engine.


@pytest.fixture
def live(database_url: str, manifest: Path) -> Iterator[tuple[TestClient, str]]:
    """A signed-in browser session's client (held to trusted documents) and a partner token."""
    import anyio

    from customer_graph.db.engine import make_engine

    async def prepare() -> str:
        engine = make_engine(database_url)
        try:
            async with AsyncSession(engine) as session:
                await create_user(
                    session, email=EMAIL, name="Live", role=Role.SALES_MANAGER, password=PASSWORD
                )
                issued = await create_token(session, name="bi", scopes=frozenset({"read"}))
                await session.commit()
        finally:
            await engine.dispose()
        return issued.secret

    secret = anyio.run(prepare)
    settings = settings_for(manifest, trusted_only=True, database_url=database_url)
    with TestClient(create_app(settings)) as client:
        login = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
        client.headers["X-CSRF-Token"] = login.json()["csrfToken"]
        yield client, secret


def subscribe(ws: Any, id_: str, payload: dict[str, Any]) -> None:
    ws.send_json({"id": id_, "type": "subscribe", "payload": payload})


def next_message(ws: Any, id_: str) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = ws.receive_json()
        if message.get("id") == id_:
            return message


def test_subscriptions_by_hash_over_websocket(live: tuple[TestClient, str]) -> None:
    client, _ = live
    created = client.post("/graphql", json=by_hash(CREATE, name="Live Ltd")).json()
    customer = created["data"]["createCustomer"]["customer"]
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"

        subscribe(ws, "changed", by_hash(CHANGED, id=customer["id"]))
        subscribe(ws, "unknown", by_hash("subscription Gone { customerEvents { action } }"))
        unknown = next_message(ws, "unknown")
        assert unknown["type"] == "error"
        assert unknown["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

        subscribe(ws, "own", as_text(EVENTS))
        own = next_message(ws, "own")
        assert own["type"] == "error"
        assert own["payload"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"

        time.sleep(0.2)
        renamed = client.post(
            "/graphql", json=by_hash(RENAME, id=customer["id"], v=1, name="Live Renamed")
        )
        assert renamed.json()["data"]["updateCustomer"]["userErrors"] == []
        changed = next_message(ws, "changed")
        assert changed["type"] == "next"
        assert changed["payload"]["data"] == {
            "customerChanged": {"name": "Live Renamed", "version": 2}
        }


def test_a_token_subscribes_with_any_document(live: tuple[TestClient, str]) -> None:
    client, secret = live
    headers = {"Authorization": f"Bearer {secret}"}
    with client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        subscribe(ws, "events", as_text(EVENTS))
        time.sleep(0.2)
        client.post("/graphql", json=by_hash(CREATE, name="Seen By BI"))
        event = next_message(ws, "events")
        assert event["type"] == "next"
        assert event["payload"]["data"] == {
            "customerEvents": {"action": "CREATED", "customer": {"name": "Seen By BI"}}
        }
