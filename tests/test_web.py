"""The HTTP surface: health, GraphiQL and GraphQL over POST, through the real ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.settings import Settings
from customer_graph.web.app import create_app
from tests import factories as make


@pytest.fixture
async def client(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_health_reports_the_database(client: httpx.AsyncClient, backend: str) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend}


async def test_graphiql_page_on_get(client: httpx.AsyncClient) -> None:
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
    assert response.json() == {
        "data": {"customers": {"totalCount": 1, "edges": [{"node": {"name": "Posted Ltd"}}]}}
    }


async def test_invalid_query_is_reported_not_a_crash(client: httpx.AsyncClient) -> None:
    """Under ``application/json`` GraphQL-over-HTTP answers validation errors with 200."""
    response = await client.post("/graphql", json={"query": "{ customers { nope } }"})
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body or body["data"] is None
    assert "Cannot query field 'nope'" in body["errors"][0]["message"]
