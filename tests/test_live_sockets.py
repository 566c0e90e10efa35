"""Open WebSockets answer to their credential: a session or token holds a bounded number
of subscriptions over all its sockets, and its sockets close once it has ended.

These run the app under a real uvicorn server in the test's event loop, so that a
socket's close code and timing are what a browser would see.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.applications import Starlette

from customer_graph.db.change_feed import CustomerChange
from customer_graph.db.enums import Role
from customer_graph.db.models import ApiToken, User
from customer_graph.domain.passwords import hash_password
from customer_graph.domain.tokens import create_token, revoke_token
from customer_graph.settings import Settings
from customer_graph.web.app import create_app
from customer_graph.web.session_cookie import SESSION_COOKIE
from tests import factories as make
from tests.graphql_client import global_id
from tests.web_client import TEST_SETTINGS

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)
EVENTS = "subscription { customerEvents { action } }"
END_SESSIONS = """mutation($input: EndUserSessionsInput!) { endUserSessions(input: $input) {
  endedSessionCount userErrors { message } } }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Live:
    app: Starlette
    host: str
    http: httpx.AsyncClient


@contextlib.asynccontextmanager
async def serving(engine: AsyncEngine, settings: Settings = TEST_SETTINGS) -> AsyncIterator[Live]:
    app = create_app(settings, engine=engine)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            yield Live(app, f"127.0.0.1:{port}", http)
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def socket_of(live: Live, headers: dict[str, str]) -> AsyncIterator[Any]:
    async with websockets.connect(
        f"ws://{live.host}/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        additional_headers=headers,
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


async def subscribe(ws: Any, *ids: str) -> None:
    for operation_id in ids:
        await ws.send(
            json.dumps({"id": operation_id, "type": "subscribe", "payload": {"query": EVENTS}})
        )
    await ws.send(json.dumps({"type": "ping"}))
    assert json.loads(await ws.recv())["type"] != "next"


async def messages_until_quiet(ws: Any, quiet: float = 1.0) -> list[dict[str, Any]]:
    received = []
    with contextlib.suppress(TimeoutError):
        while True:
            received.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=quiet)))
    return received


async def closed_within(ws: Any, seconds: float) -> tuple[int, float]:
    """The close code of ``ws`` and how long it took to come."""
    started = time.monotonic()

    async def drain() -> None:
        while True:
            await asyncio.wait_for(ws.recv(), timeout=started + seconds - time.monotonic())

    with pytest.raises(websockets.ConnectionClosed) as closed:
        await drain()
    assert closed.value.rcvd is not None, "the server closed the socket"
    return closed.value.rcvd.code, time.monotonic() - started


async def add_user(engine: AsyncEngine, email: str, role: Role = Role.SALES_REP) -> int:
    async with engine.begin() as conn:
        return await make.user(conn, email=email, role=role, password_hash=PASSWORD_HASH)


async def token(engine: AsyncEngine, name: str, scopes: str = "read") -> str:
    async with AsyncSession(engine) as session:
        issued = await create_token(session, name=name, scopes=frozenset(scopes.split(",")))
        await session.commit()
    return issued.secret


async def signed_in(live: Live, email: str) -> tuple[dict[str, str], str]:
    """Headers that carry the session cookie of a new sign-in, and its CSRF token."""
    response = await live.http.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    cookie = response.cookies[SESSION_COOKIE]
    live.http.cookies.clear()
    return {"Cookie": f"{SESSION_COOKIE}={cookie}"}, response.json()["csrfToken"]


Ending = Callable[[AsyncEngine, Live, dict[str, str], str], Awaitable[None]]


async def sign_out(engine: AsyncEngine, live: Live, headers: dict[str, str], csrf: str) -> None:
    answer = await live.http.post("/auth/logout", headers=headers | {"X-CSRF-Token": csrf})
    assert answer.status_code == 204


async def sign_out_everywhere(
    engine: AsyncEngine, live: Live, headers: dict[str, str], csrf: str
) -> None:
    other_browser, other_csrf = await signed_in(live, "rep@example.com")
    answer = await live.http.post(
        "/auth/logout-everywhere", headers=other_browser | {"X-CSRF-Token": other_csrf}
    )
    assert answer.status_code == 204


async def admin_ends_sessions(
    engine: AsyncEngine, live: Live, headers: dict[str, str], csrf: str
) -> None:
    await add_user(engine, "admin@example.com", Role.ADMIN)
    admin, admin_csrf = await signed_in(live, "admin@example.com")
    rep = global_id("User", 1)
    answer = await live.http.post(
        "/graphql",
        json={"query": END_SESSIONS, "variables": {"input": {"userId": rep}}},
        headers=admin | {"X-CSRF-Token": admin_csrf},
    )
    assert answer.json()["data"]["endUserSessions"]["endedSessionCount"] == 1


async def deactivate_user(
    engine: AsyncEngine, live: Live, headers: dict[str, str], csrf: str
) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(User).values(is_active=False))


@pytest.mark.parametrize(
    "ending",
    [sign_out, sign_out_everywhere, admin_ends_sessions, deactivate_user],
    ids=lambda ending: ending.__name__,
)
async def test_a_sessions_socket_closes_once_the_session_ends(
    engine: AsyncEngine, ending: Ending
) -> None:
    assert await add_user(engine, "rep@example.com") == 1
    async with serving(engine) as live:
        headers, csrf = await signed_in(live, "rep@example.com")
        async with socket_of(live, headers) as ws:
            await subscribe(ws, "1")
            await ending(engine, live, headers, csrf)
            code, took = await closed_within(ws, 10)
    assert code == 4401
    assert took < TEST_SETTINGS.credential_recheck_seconds + 2


@pytest.mark.parametrize("where", ["here", "elsewhere"])
async def test_a_tokens_socket_closes_once_the_token_is_revoked(
    engine: AsyncEngine, where: str
) -> None:
    """Revoked by this process, or by another (a second worker, the command line)."""
    secret = await token(engine, "partner")
    bearer = {"Authorization": f"Bearer {secret}"}
    async with serving(engine) as live, socket_of(live, bearer) as ws:
        await subscribe(ws, "1")
        live.app.state.broker.deliver([CustomerChange(customer_id=1, action="UPDATED")])
        assert json.loads(await ws.recv())["type"] == "next", "it was live"
        if where == "here":
            async with AsyncSession(engine) as session:
                await revoke_token(session, "partner")
                await session.commit()
        else:
            async with engine.begin() as conn:
                await conn.execute(update(ApiToken).values(revoked_at=datetime.now(UTC)))
        code, took = await closed_within(ws, 10)
    assert code == 4401
    assert took < TEST_SETTINGS.credential_recheck_seconds + 2


async def test_subscriptions_are_capped_per_credential_across_sockets(engine: AsyncEngine) -> None:
    """Ten sockets of one token, five subscriptions each, with a cap of 20: one change
    makes 20 events, not 50; another token has its own allowance."""
    settings = TEST_SETTINGS.model_copy(update={"max_subscriptions_per_credential": 20})
    reader = {"Authorization": f"Bearer {await token(engine, 'reader')}"}
    other = {"Authorization": f"Bearer {await token(engine, 'other')}"}
    async with serving(engine, settings) as live, contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(socket_of(live, reader)) for _ in range(10)]
        refused: list[dict[str, Any]] = []
        for ws in sockets:
            await ws.send(json.dumps({"type": "ping"}))
            for n in range(5):
                payload = {"query": EVENTS}
                await ws.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
            refused += [m for m in await messages_until_quiet(ws, 0.3) if m["type"] == "error"]
        assert len(refused) == 30
        assert refused[0]["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        assert "20 live subscriptions" in refused[0]["payload"][0]["message"]

        another = await stack.enter_async_context(socket_of(live, other))
        await subscribe(another, "1")

        live.app.state.broker.deliver([CustomerChange(customer_id=1, action="UPDATED")])
        events = [
            message
            for ws in sockets
            for message in await messages_until_quiet(ws)
            if message["type"] == "next"
        ]
        assert len(events) == 20
        assert json.loads(await another.recv())["type"] == "next"

        await sockets[0].send(json.dumps({"id": "0", "type": "complete"}))
        await asyncio.sleep(0.2)
        await sockets[-1].send(
            json.dumps({"id": "again", "type": "subscribe", "payload": {"query": EVENTS}})
        )
        assert await messages_until_quiet(sockets[-1], 0.5) == [], "a completed one frees a place"
