"""The HTTP surface: health, GraphiQL and GraphQL over POST, through the real ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.domain.tokens import create_token
from customer_graph.web import spa
from customer_graph.web.app import create_app
from tests import factories as make
from tests.web_client import TEST_SETTINGS


@pytest.fixture
async def client(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the real app, authenticated as a read-scoped integration."""
    async with AsyncSession(engine) as session:
        token = await create_token(session, name="test reader", scopes=frozenset({"read"}))
        await session.commit()
    app = create_app(TEST_SETTINGS, engine=engine)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token.secret}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client
    await app.state.graphql.close()


async def test_health_reports_the_database(client: httpx.AsyncClient, backend: str) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend}


async def test_graphiql_page_on_get(
    client: httpx.AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "graphiql.html").write_text('<div id="graphiql"></div>')
    monkeypatch.setattr(spa, "STATIC", tmp_path)
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "graphiql" in response.text.lower()


async def test_query_over_post(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        await make.customer(conn, owner, name="Posted Ltd")
    response = await client.post(
        "/graphql", json={"query": "{ customers { totalCount edges { node { name } } } }"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {
        "customers": {"totalCount": 1, "edges": [{"node": {"name": "Posted Ltd"}}]}
    }
    assert body["extensions"]["cost"] == {"requestedNodes": 21, "limit": 100_000}


async def test_invalid_query_is_reported_not_a_crash(client: httpx.AsyncClient) -> None:
    """Under ``application/json`` GraphQL-over-HTTP answers validation errors with 200."""
    response = await client.post("/graphql", json={"query": "{ customers { nope } }"})
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body, "a request error carries no data"
    assert "Cannot query field 'nope'" in body["errors"][0]["message"]
