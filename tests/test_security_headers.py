"""Every response carries the security headers; the app's pages, GraphiQL's among them, run
no inline script and load scripts from this origin only."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.domain.tokens import create_token
from customer_graph.web import spa
from tests.web_client import app_client


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/app.js"></script>')
    (tmp_path / "assets" / "app.js").write_text("console.log('hi')")
    monkeypatch.setattr(spa, "STATIC", tmp_path)
    return tmp_path


@pytest.fixture
async def bearer(engine: AsyncEngine) -> dict[str, str]:
    async with AsyncSession(engine) as session:
        token = await create_token(session, name="headers", scopes=frozenset({"read"}))
        await session.commit()
    return {"Authorization": f"Bearer {token.secret}"}


def policy(response: httpx.Response) -> dict[str, list[str]]:
    directives = response.headers["content-security-policy"].split(";")
    parsed = (directive.split() for directive in directives if directive.strip())
    return {name: sources for name, *sources in parsed}


def assert_secure(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'none'"]
    scripts = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "*" not in scripts


async def test_every_kind_of_response_has_them(
    engine: AsyncEngine, built: Path, bearer: dict[str, str]
) -> None:
    async with app_client(engine) as client:
        responses = {
            "app": await client.get("/"),
            "client route": await client.get("/customers/Q3VzdG9tZXI6MQ=="),
            "asset": await client.get("/assets/app.js"),
            "missing asset": await client.get("/assets/missing.js"),
            "health": await client.get("/healthz"),
            "signed out": await client.get("/auth/me"),
            "unauthenticated": await client.post("/graphql", json={"query": "{ viewer { name } }"}),
            "graphql": await client.post(
                "/graphql", json={"query": "{ viewer { name } }"}, headers=bearer
            ),
            "wrong method": await client.put("/healthz"),
            "too large": await client.post("/auth/login", content=b" " * (2 * 1024 * 1024)),
        }
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        "app": 200,
        "client route": 200,
        "asset": 200,
        "missing asset": 404,
        "health": 200,
        "signed out": 401,
        "unauthenticated": 401,
        "graphql": 200,
        "wrong method": 405,
        "too large": 413,
    }
    for response in responses.values():
        assert_secure(response)
    assert policy(responses["app"])["script-src"] == ["'self'"]


async def test_graphiql_runs_under_the_apps_policy(
    engine: AsyncEngine, built: Path, bearer: dict[str, str]
) -> None:
    page = '<div id="graphiql"></div><script type="module" src="/assets/graphiql.js"></script>'
    (built / "graphiql.html").write_text(page)
    async with app_client(engine, **bearer) as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.text == page
    assert response.headers["cache-control"] == "no-cache"
    assert_secure(response)
    assert policy(response)["script-src"] == ["'self'"]
    assert policy(response)["connect-src"] == ["'self'"]
