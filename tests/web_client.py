"""Clients of the real Starlette app over ASGI, signed in as a person or with a token."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.domain.tokens import create_token, uses_recorded
from customer_graph.settings import Settings
from customer_graph.web.app import create_app

TEST_SETTINGS = Settings(
    secret_key="test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    # The test client speaks plain HTTP to "testserver": let the session cookie travel.
    cookie_secure=False,
    login_base_delay_seconds=0.01,
    login_free_attempts=2,
    login_refuse_after=4,
    # Tests of other features send their documents as text from a session, on either database.
    browser_trusted_documents_only=False,
)


@asynccontextmanager
async def app_client(
    engine: AsyncEngine,
    settings: Settings = TEST_SETTINGS,
    *,
    address: str = "127.0.0.1",
    base_url: str = "http://testserver",
    **headers: str,
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a new app; requests come from ``address``."""
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url=base_url, headers=headers
        ) as client:
            yield client
    finally:
        await app.state.graphql.close()  # what the app's lifespan does when it stops
    await uses_recorded()


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign in through /auth/login; the client keeps the cookie. Returns the CSRF token."""
    response = await client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrfToken"]
    return csrf


@asynccontextmanager
async def served(engine: AsyncEngine, settings: Settings = TEST_SETTINGS) -> AsyncIterator[str]:
    """The app behind a real uvicorn on a free local port, for what only a real HTTP
    connection shows (a transfer cut short); yields the base URL.

    The socket listens before uvicorn starts, so a request sent at once waits in its queue.
    """
    listening = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine=engine), lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        listening.close()


_TOKENS = itertools.count()


async def scoped_token(engine: AsyncEngine, *scopes: str) -> str:
    """The secret of a new API token with ``scopes``, owned by default by the first user."""
    async with AsyncSession(engine) as session:
        owner = (await session.execute(text("SELECT min(id) FROM users"))).scalar_one()
        made = await create_token(
            session,
            name=f"scoped-{'-'.join(scopes)}-{next(_TOKENS)}",
            scopes=frozenset(scopes),
            default_owner_id=owner,
        )
        await session.commit()
    return made.secret


async def usual_answer(engine: AsyncEngine, body: dict[str, Any], secret: str) -> Any:
    """What the resolvers answer over HTTP: the compiled and prepared paths off."""
    settings = TEST_SETTINGS.model_copy(update={"compiled_reads": False})
    async with app_client(engine, settings, Authorization=f"Bearer {secret}") as client:
        return (await client.post("/graphql", json=body)).json()
