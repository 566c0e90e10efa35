"""Prepared operations over HTTP: a query the server has seen is answered from its plan,
with the JSON the usual path gives, in one statement on the prepared reads' pool; anything
else (errors, refused permissions) goes the usual way, whole, and a mutation never touches
the reads' pool (``tests/test_prepared_writes.py``).

Every read of the differential tests also runs through the prepared path
(``tests/graphql_client.check_prepared``); these tests add what only the HTTP view shows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.seed import seed_demo
from customer_graph.domain.tokens import TOKEN_MEMORY, uses_recorded
from tests.graphql_client import TODAY, count_statements
from tests.web_client import app_client, scoped_token, usual_answer

pytestmark = pytest.mark.backends("postgresql")

PAGE = """
query Page($first: Int, $after: String, $search: String) {
  customers(first: $first, after: $after, filter: { search: $search }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name owner { name } sites(first: 2) { edges { node { name } } } } }
  }
  viewer { permissions isIntegration }
}
"""


@pytest.fixture
async def seeded(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> AsyncEngine:
    monkeypatch.setattr(TOKEN_MEMORY, "seconds", 3600.0)
    await seed_demo(engine, customers=12, seed=5, today=TODAY)
    return engine


@pytest.fixture
async def client(seeded: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    secret = await scoped_token(seeded, "read")
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        await client.post("/graphql", json={"query": "{ viewer { name } }"})
        await uses_recorded()
        yield client


async def test_a_query_seen_before_is_one_statement_on_the_prepared_pool(
    seeded: AsyncEngine, client: httpx.AsyncClient
) -> None:
    body = {"query": PAGE, "variables": {"first": 5}}
    first = await client.post("/graphql", json=body)
    with count_statements(seeded) as counter:
        again = await client.post("/graphql", json=body)
    assert again.status_code == 200
    assert again.headers["content-type"] == "application/json"
    assert again.content == first.content
    assert len(counter.prepared) == 1
    assert counter.statements == counter.prepared, "nothing through the engine"
    answer = orjson.loads(again.content)
    assert len(answer["data"]["customers"]["edges"]) == 5
    assert answer["extensions"]["cost"]["requestedNodes"] > 5
    assert answer == await usual_answer(seeded, body, await scoped_token(seeded, "read"))


async def test_the_next_page_and_other_values_use_the_same_plan(
    seeded: AsyncEngine, client: httpx.AsyncClient
) -> None:
    first = (await client.post("/graphql", json={"query": PAGE, "variables": {"first": 4}})).json()
    cursor = first["data"]["customers"]["pageInfo"]["endCursor"]
    secret = await scoped_token(seeded, "read")
    for variables in ({"first": 4, "after": cursor}, {"first": 4, "search": "a"}):
        body = {"query": PAGE, "variables": variables}
        with count_statements(seeded) as counter:
            response = await client.post("/graphql", json=body)
        assert len(counter.prepared) == 1, variables
        assert response.json() == await usual_answer(seeded, body, secret)
    names = [e["node"]["name"] for e in response.json()["data"]["customers"]["edges"]]
    assert names, "the search finds customers"


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 3, "after": "not a cursor"},
        {"first": -1},
        {"first": 2.5},
        {"first": 3, "search": "a\x00b"},
        {"first": "three"},
    ],
    ids=["cursor", "negative", "fraction", "nul", "type"],
)
async def test_an_error_is_the_usual_paths_error(
    seeded: AsyncEngine, client: httpx.AsyncClient, variables: dict[str, Any]
) -> None:
    body = {"query": PAGE, "variables": variables}
    await client.post("/graphql", json=body)
    with count_statements(seeded) as counter:
        response = await client.post("/graphql", json=body)
    assert counter.prepared == []
    answer = response.json()
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert answer == await usual_answer(seeded, body, await scoped_token(seeded, "read"))


async def test_an_actor_the_permissions_refuse_gets_the_usual_refusal(
    seeded: AsyncEngine,
) -> None:
    body = {"query": PAGE, "variables": {"first": 3}}
    secret = await scoped_token(seeded, "write")
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        for _ in range(2):
            with count_statements(seeded) as counter:
                response = await client.post("/graphql", json=body)
            assert counter.prepared == []
            assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]
    assert response.json() == await usual_answer(seeded, body, secret)


async def test_a_mutation_never_runs_on_the_prepared_reads_pool(seeded: AsyncEngine) -> None:
    secret = await scoped_token(seeded, "read", "write")
    mutation = """
      mutation($input: CreateCustomerInput!) {
        createCustomer(input: $input) { customer { name } userErrors { field message } }
      }
    """
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        for name in ("Prepared Not Co", "Prepared Not Two Co"):
            body = {"query": mutation, "variables": {"input": {"name": name, "kind": "COMPANY"}}}
            with count_statements(seeded) as counter:
                response = await client.post("/graphql", json=body)
            assert counter.prepared == []
            assert response.json()["data"]["createCustomer"]["customer"] == {"name": name}
