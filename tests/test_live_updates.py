"""Subscriptions over graphql-transport-ws: a committed change reaches every subscriber,
also one connected to another server process (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import create_engine, insert
from starlette.testclient import TestClient

from customer_graph.db.enums import Role
from customer_graph.db.models import User
from customer_graph.web.app import create_app
from tests.graphql_client import global_id
from tests.web_client import TEST_SETTINGS

CHANGED = "subscription($id: ID!) { customerChanged(id: $id) { name version } }"
EVENTS = "subscription { customerEvents { action customer { name } } }"
CREATE = """mutation($name: String!) { createCustomer(input: {name: $name}) {
  customer { id version } userErrors { message } } }"""
RENAME = """mutation($id: ID!, $v: Int!, $name: String!) {
  updateCustomer(input: {id: $id, expectedVersion: $v, name: $name}) { userErrors { message } } }"""


def _sync_url(url: str) -> str:
    return url.replace("+aiosqlite", "+pysqlite")


@contextlib.contextmanager
def signed_in_manager(database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app, and the headers of a sales manager signed in to it (the CSRF token)."""
    _add_manager(database_url)
    settings = TEST_SETTINGS.model_copy(update={"database_url": database_url})
    with TestClient(create_app(settings)) as client:
        login = client.post(
            "/auth/login", json={"email": "live@example.com", "password": "live updates here"}
        )
        yield client, {"X-CSRF-Token": login.json()["csrfToken"]}


def _add_manager(database_url: str) -> int:
    from customer_graph.domain.passwords import hash_password

    engine = create_engine(_sync_url(database_url))
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User)
            .values(
                email="live@example.com",
                name="Live Manager",
                role=Role.SALES_MANAGER,
                password_hash=hash_password("live updates here"),
                is_active=True,
                created_at=datetime.now(UTC),
            )
            .returning(User.id)
        ).scalar_one()
    engine.dispose()
    return int(user_id)


def test_a_browser_session_sees_its_own_and_others_changes(database_url: str) -> None:
    _add_manager(database_url)
    settings = TEST_SETTINGS.model_copy(update={"database_url": database_url})
    with TestClient(create_app(settings)) as client:
        login = client.post(
            "/auth/login", json={"email": "live@example.com", "password": "live updates here"}
        )
        csrf = login.json()["csrfToken"]
        headers = {"X-CSRF-Token": csrf}

        def graphql(query: str, **variables: Any) -> Any:
            response = client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
            return response.json()["data"]

        created = graphql(CREATE, name="Live Ltd")["createCustomer"]["customer"]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": CHANGED, "variables": {"id": created["id"]}},
                }
            )
            ws.send_json({"id": "2", "type": "subscribe", "payload": {"query": EVENTS}})
            time.sleep(0.2)
            graphql(RENAME, id=created["id"], v=1, name="Live Renamed")
            messages = {}
            while len(messages) < 2:
                message = ws.receive_json()
                if message["type"] == "next":
                    messages[message["id"]] = message["payload"]["data"]
            assert messages["1"] == {"customerChanged": {"name": "Live Renamed", "version": 2}}
            assert messages["2"] == {
                "customerEvents": {"action": "UPDATED", "customer": {"name": "Live Renamed"}}
            }


def test_an_import_notifies_subscribers(database_url: str) -> None:
    """Customers an import creates or changes are announced to subscribers as a mutation's
    are: the unit of work publishes at commit, whoever wrote."""
    with signed_in_manager(database_url) as (client, headers):
        created = client.post(
            "/graphql",
            json={"query": CREATE, "variables": {"name": "Before Import"}},
            headers=headers,
        ).json()["data"]["createCustomer"]["customer"]
        number = client.post(
            "/graphql",
            json={
                "query": "query($id: ID!) { customer(id: $id) { customerNumber } }",
                "variables": {"id": created["id"]},
            },
        ).json()["data"]["customer"]["customerNumber"]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": EVENTS}})
            time.sleep(0.2)
            text = (
                "customer_number,name\r\n"
                f"{number},Renamed By Import\r\n"
                ",Imported One\r\n"
                ",Imported Two\r\n"
            )
            response = client.post(
                "/import/customers.csv",
                content=text.encode(),
                headers=headers | {"Content-Type": "text/csv"},
            )
            assert response.status_code == 200, response.text
            assert '"applied": true' in response.text.replace(":true", ": true")
            client.post(
                "/graphql",
                json={"query": CREATE, "variables": {"name": "After Import"}},
                headers=headers,
            )
            heard = set()
            while ("CREATED", "After Import") not in heard:
                message = ws.receive_json()
                if message["type"] == "next":
                    event = message["payload"]["data"]["customerEvents"]
                    heard.add((event["action"], event["customer"]["name"]))
        assert heard == {
            ("UPDATED", "Renamed By Import"),
            ("CREATED", "Imported One"),
            ("CREATED", "Imported Two"),
            ("CREATED", "After Import"),
        }, "the import's changes are heard before the change made after it"


def test_a_mutation_without_the_csrf_header_is_refused(database_url: str) -> None:
    _add_manager(database_url)
    settings = TEST_SETTINGS.model_copy(update={"database_url": database_url})
    with TestClient(create_app(settings)) as client:
        client.post(
            "/auth/login", json={"email": "live@example.com", "password": "live updates here"}
        )
        body = client.post(
            "/graphql", json={"query": CREATE, "variables": {"name": "Forged"}}
        ).json()
        assert "data" not in body, "refused before execution: a request error"
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "X-CSRF-Token" in body["errors"][0]["message"]
        listing = client.post("/graphql", json={"query": "{ customers { totalCount } }"}).json()
        assert listing["data"] == {"customers": {"totalCount": 0}}, "queries need no header"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_servers(database_url: str) -> Iterator[tuple[str, str, str, str]]:
    """Two `customer-graph serve` processes on one PostgreSQL database, a token, a user."""
    manager = global_id("User", _add_manager(database_url))
    env = os.environ | {
        "CUSTOMER_GRAPH_DATABASE_URL": database_url,
        "CUSTOMER_GRAPH_SECRET_KEY": "two-servers-secret-0123456789-abcdefghij",
    }
    cli = [sys.executable, "-m", "customer_graph.cli"]
    token = subprocess.run(
        [*cli, "token", "create", "--name", "live", "--scopes", "read,write"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield f"127.0.0.1:{ports[0]}", f"127.0.0.1:{ports[1]}", token, manager
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@pytest.mark.backends("postgresql")
def test_a_change_on_one_server_reaches_a_subscriber_on_another(
    two_servers: tuple[str, str, str, str],
) -> None:
    first, second, token, manager = two_servers
    auth = {"Authorization": f"Bearer {token}"}

    async def scenario() -> Any:
        create = """mutation($o: ID!) {
            createCustomer(input: {name: "Across", ownerId: $o, managerId: $o}) {
              customer { id } userErrors { message } } }"""
        async with httpx.AsyncClient(headers=auth) as http:
            made = await http.post(
                f"http://{second}/graphql", json={"query": create, "variables": {"o": manager}}
            )
            customer_id = made.json()["data"]["createCustomer"]["customer"]["id"]
            async with websockets.connect(
                f"ws://{first}/graphql",
                subprotocols=["graphql-transport-ws"],
                additional_headers=auth,
            ) as ws:
                await ws.send(json.dumps({"type": "connection_init"}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
                await ws.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {"query": CHANGED, "variables": {"id": customer_id}},
                        }
                    )
                )
                await asyncio.sleep(0.3)
                renamed = await http.post(
                    f"http://{second}/graphql",
                    json={
                        "query": RENAME,
                        "variables": {"id": customer_id, "v": 1, "name": "Across Renamed"},
                    },
                )
                assert renamed.json()["data"]["updateCustomer"]["userErrors"] == []
                while True:
                    message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                    if message["type"] == "next":
                        return message["payload"]["data"]

    assert asyncio.run(scenario()) == {"customerChanged": {"name": "Across Renamed", "version": 2}}


async def _subscribed(address: str, auth: dict[str, str]) -> Any:
    ws = await websockets.connect(
        f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], additional_headers=auth
    )
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": EVENTS}}))
    await asyncio.sleep(0.3)
    return ws


def _end_listeners(database_url: str) -> int:
    """Ends the connections that LISTEN for changes, as an administrator or a failover
    would; how many there were."""
    engine = create_engine(_sync_url(database_url))
    with engine.begin() as conn:
        ended = conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'LISTEN %%'"
        ).all()
    engine.dispose()
    return len(ended)


@pytest.mark.backends("postgresql")
def test_a_subscription_that_may_have_missed_changes_ends_with_an_error_that_says_so(
    two_servers: tuple[str, str, str, str], database_url: str
) -> None:
    """When the server's listening connection is lost, changes committed until it listens
    again would reach no subscriber: each subscription ends with CHANGES_MISSED instead of
    staying open and silent, and a new subscription hears changes again."""
    first, second, token, manager = two_servers
    auth = {"Authorization": f"Bearer {token}"}
    create = """mutation($o: ID!, $name: String!) {
        createCustomer(input: {name: $name, ownerId: $o, managerId: $o}) {
          customer { id } userErrors { message } } }"""

    async def scenario() -> tuple[Any, Any]:
        async with httpx.AsyncClient(headers=auth) as http:
            ws = await _subscribed(first, auth)
            assert _end_listeners(database_url) == 2
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            await ws.close()
            deadline = time.monotonic() + 20
            while True:  # a new subscription, once the server listens again
                ws = await _subscribed(first, auth)
                made = await http.post(
                    f"http://{second}/graphql",
                    json={"query": create, "variables": {"o": manager, "name": "Heard again"}},
                )
                assert made.json()["data"]["createCustomer"]["userErrors"] == []
                heard = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                await ws.close()
                if heard["type"] == "next" and "errors" not in heard["payload"]:
                    return message, heard["payload"]["data"]
                assert time.monotonic() < deadline, heard
                await asyncio.sleep(0.5)

    ended, heard = asyncio.run(scenario())
    errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["CHANGES_MISSED"], ended
    assert heard == {"customerEvents": {"action": "CREATED", "customer": {"name": "Heard again"}}}
