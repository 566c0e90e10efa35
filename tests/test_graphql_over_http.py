"""/graphql speaks GraphQL over HTTP: media types, status codes, GET for queries only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.domain.tokens import create_token
from customer_graph.web.graphql_http import GRAPHQL_RESPONSE, JSON, response_media_type
from tests.graphql_client import global_id
from tests.web_client import app_client

MODERN = {"Accept": GRAPHQL_RESPONSE}
LEGACY = {"Accept": JSON}


@pytest.fixture
async def client(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncSession(engine) as session:
        token = await create_token(session, name="http", scopes=frozenset({"read", "write"}))
        await session.commit()
    async with app_client(engine, Authorization=f"Bearer {token.secret}") as client:
        yield client


async def post(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (f"{GRAPHQL_RESPONSE};q=0, application/*", JSON),
        ("application/xml", None),
        ("text/html", None),
    ],
)
def test_media_type_negotiation(header: str | None, expected: str | None) -> None:
    assert response_media_type(header) == expected


async def test_a_good_query_in_either_media_type(client: httpx.AsyncClient) -> None:
    for headers, media in ((MODERN, GRAPHQL_RESPONSE), (LEGACY, JSON), ({}, JSON)):
        response = await post(client, headers, query="{ viewer { name } }")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        assert response.json()["data"] == {"viewer": {"name": "http"}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": "{ viewer { "}, "Syntax Error"),
        ({"query": "{ nope }"}, "Cannot query field 'nope'"),
        (
            {
                "query": "query($n: Int!) { customers(first: $n) { totalCount } }",
                "variables": {"n": "x"},
            },
            "Variable '$n'",
        ),
        (
            {
                "query": "{ customers(first: 100) { edges { node { sites(first: 100) {"
                " edges { node { assets(first: 100) { totalCount } } } } } } } }"
            },
            "the limit is",
        ),
    ],
)
async def test_request_errors_have_no_data_and_a_4xx_in_the_new_media_type(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    modern = await post(client, MODERN, **body)
    assert modern.status_code == 400
    assert modern.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in modern.json()
    assert message in modern.json()["errors"][0]["message"]
    legacy = await post(client, LEGACY, **body)
    assert legacy.status_code == 200
    assert "data" not in legacy.json()
    assert message in legacy.json()["errors"][0]["message"]


async def test_a_field_error_is_a_200_with_data(client: httpx.AsyncClient) -> None:
    query = "query($id: ID!) { viewer { name } customer(id: $id) { name } }"
    response = await post(client, MODERN, query=query, variables={"id": global_id("Site", 1)})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"viewer": {"name": "http"}, "customer": None}
    assert body["errors"][0]["path"] == ["customer"]


async def test_get_serves_queries_and_refuses_mutations(client: httpx.AsyncClient) -> None:
    query = await client.get("/graphql", params={"query": "{ viewer { name } }"}, headers=MODERN)
    assert query.status_code == 200
    assert query.json()["data"] == {"viewer": {"name": "http"}}
    mutation = await client.get(
        "/graphql",
        params={"query": 'mutation { archiveCustomer(input: {id: "x"}) { userErrors { code } } }'},
        headers=MODERN,
    )
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"
    assert "GET" in mutation.json()["errors"][0]["message"]


async def test_malformed_requests(client: httpx.AsyncClient) -> None:
    not_json = await client.post(
        "/graphql",
        content=b'{"query": "{ viewer { name } }"}',
        headers={"content-type": "text/plain"},
    )
    assert not_json.status_code == 415
    broken = await client.post(
        "/graphql", content=b"{nope", headers={"content-type": "application/json", **MODERN}
    )
    assert broken.status_code == 400
    assert broken.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert broken.json()["errors"][0]["message"]
    empty = await post(client, MODERN)
    assert empty.status_code == 400
    unacceptable = await post(client, {"Accept": "application/xml"}, query="{ viewer { name } }")
    assert unacceptable.status_code == 406
    assert GRAPHQL_RESPONSE in unacceptable.json()["errors"][0]["message"]
