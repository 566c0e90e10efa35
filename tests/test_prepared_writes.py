"""Prepared writes over HTTP: a create or update the server knows is answered without
Strawberry's execution, with the payload the resolvers give, userErrors included; anything
else goes the usual way, and nothing is written twice.

Every mutation of the differential tests that the prepared writes cover also runs through
them on PostgreSQL (``tests/graphql_client.prepared_write``), its payload's record compared
with what the resolvers read of it; these tests add what only the HTTP view shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.api.prepared_writes import PreparedWrites
from customer_graph.db.seed import seed_demo
from customer_graph.domain.tokens import TOKEN_MEMORY
from tests.graphql_client import TODAY, count_statements, global_id
from tests.web_client import app_client, scoped_token, usual_answer

pytestmark = pytest.mark.backends("postgresql")

CREATE = """
mutation Create($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    __typename
    customer { id customerNumber name version status owner { name } tags }
    userErrors { field code message }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) {
    customer { id name version history(first: 2) { edges { node { action } } } }
    userErrors { field code message }
  }
}
"""
CREATE_SITE = """
mutation($input: CreateSiteInput!) {
  createSite(input: $input) { site { id name status contactName } userErrors { code } }
}
"""


@pytest.fixture
async def seeded(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> AsyncEngine:
    monkeypatch.setattr(TOKEN_MEMORY, "seconds", 3600.0)
    await seed_demo(engine, customers=6, seed=5, today=TODAY)
    return engine


@pytest.fixture
def prepared_answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Per request that reached the prepared writes, whether they answered it."""
    answers: list[bool] = []
    answer = PreparedWrites.answer

    async def counted(self: PreparedWrites, *args: Any, **kwargs: Any) -> bytes | None:
        body = await answer(self, *args, **kwargs)
        answers.append(body is not None)
        return body

    monkeypatch.setattr(PreparedWrites, "answer", counted)
    return answers


@pytest.fixture
async def client(seeded: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    secret = await scoped_token(seeded, "read", "write")
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        yield client


async def customers_named(engine: AsyncEngine, name: str) -> int:
    """How many customers have this name (PostgreSQL holds no NUL: one without it)."""
    name = name.replace("\x00", "")
    async with AsyncSession(engine) as session:
        found = await session.execute(
            text("SELECT count(*) FROM customers WHERE name = :name"), {"name": name}
        )
        return int(found.scalar_one())


async def test_a_create_and_an_update_are_prepared_and_shaped_as_the_resolvers_shape_them(
    seeded: AsyncEngine, client: httpx.AsyncClient, prepared_answers: list[bool]
) -> None:
    body = {"query": CREATE, "variables": {"input": {"name": "Prepared Co", "tags": ["VIP"]}}}
    created = (await client.post("/graphql", json=body)).json()
    payload = created["data"]["createCustomer"]
    assert prepared_answers == [True]
    assert payload["__typename"] == "CustomerPayload"
    assert payload["userErrors"] == []
    customer = payload["customer"]
    assert (customer["name"], customer["version"], customer["tags"]) == ("Prepared Co", 1, ["VIP"])
    assert customer["customerNumber"].startswith("C-")

    update = {
        "query": UPDATE,
        "variables": {"input": {"id": customer["id"], "expectedVersion": 1, "name": "Renamed"}},
    }
    updated = (await client.post("/graphql", json=update)).json()
    assert prepared_answers == [True, True]
    assert updated["data"]["updateCustomer"] == {
        "customer": {
            "id": customer["id"],
            "name": "Renamed",
            "version": 2,
            "history": {
                "edges": [{"node": {"action": "UPDATED"}}, {"node": {"action": "CREATED"}}]
            },
        },
        "userErrors": [],
    }
    site = {
        "query": CREATE_SITE,
        "variables": {"input": {"customerId": customer["id"], "name": "HQ"}},
    }
    answered = (await client.post("/graphql", json=site)).json()["data"]["createSite"]
    assert prepared_answers == [True, True, True]
    assert answered["site"]["name"] == "HQ"
    assert answered["userErrors"] == []


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"input": {"name": ""}}, "REQUIRED"),
        ({"input": {"name": "Dup", "customerNumber": "C-000001"}}, "DUPLICATE"),
        ({"input": {"name": "Bad owner", "ownerId": "not-an-id"}}, "INVALID"),
        ({"input": {"name": "Bad owner", "ownerId": global_id("User", 99999)}}, "NOT_FOUND"),
        ({"input": {"name": "x" * 5000}}, "INVALID"),
        ({"input": {"name": "Nul\x00Co"}}, "INVALID"),
    ],
    ids=["required", "duplicate", "malformed-id", "unknown-owner", "too-long", "nul"],
)
async def test_a_refused_write_is_the_usual_paths_refusal_and_writes_nothing(
    seeded: AsyncEngine,
    client: httpx.AsyncClient,
    prepared_answers: list[bool],
    variables: dict[str, Any],
    code: str,
) -> None:
    body = {"query": CREATE, "variables": variables}
    before = await customers_named(seeded, variables["input"]["name"])
    answer = (await client.post("/graphql", json=body)).json()
    assert answer["data"]["createCustomer"]["customer"] is None
    assert [error["code"] for error in answer["data"]["createCustomer"]["userErrors"]][:1] == [code]
    assert await customers_named(seeded, variables["input"]["name"]) == before
    secret = await scoped_token(seeded, "read", "write")
    assert answer == await usual_answer(seeded, body, secret)
    assert await customers_named(seeded, variables["input"]["name"]) == before
    assert len(prepared_answers) == 1


async def test_a_refusal_is_answered_without_running_the_write_again(
    seeded: AsyncEngine, client: httpx.AsyncClient, prepared_answers: list[bool]
) -> None:
    body = {"query": CREATE, "variables": {"input": {"name": "Dup", "customerNumber": "C-000001"}}}
    with count_statements(seeded) as counter:
        answer = (await client.post("/graphql", json=body)).json()
    assert prepared_answers == [True]
    assert answer["data"]["createCustomer"]["userErrors"][0]["code"] == "DUPLICATE"
    inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) <= 1, counter.statements


@pytest.mark.parametrize(
    "expected_version",
    [1.5, -1, "1", None, 2**40],
    ids=["fraction", "negative", "string", "null", "huge"],
)
async def test_bad_numbers_get_the_usual_error_and_change_nothing(
    seeded: AsyncEngine, client: httpx.AsyncClient, expected_version: Any
) -> None:
    created = await client.post(
        "/graphql", json={"query": CREATE, "variables": {"input": {"name": "Numbers Co"}}}
    )
    customer = created.json()["data"]["createCustomer"]["customer"]
    update = {
        "query": UPDATE,
        "variables": {
            "input": {"id": customer["id"], "expectedVersion": expected_version, "name": "No"}
        },
    }
    response = await client.post("/graphql", json=update)
    assert response.status_code in (200, 400)
    answer = response.json()
    payload = (answer.get("data") or {}).get("updateCustomer") or {}
    assert answer.get("errors") or payload.get("userErrors"), answer
    assert await customers_named(seeded, "No") == 0
    secret = await scoped_token(seeded, "read", "write")
    assert answer == await usual_answer(seeded, update, secret)


async def test_what_the_prepared_writes_do_not_cover_goes_the_usual_way(
    seeded: AsyncEngine, client: httpx.AsyncClient, prepared_answers: list[bool]
) -> None:
    others = [
        # a fragment spread with a directive, a variable inside the payload, another payload field
        """mutation($input: CreateCustomerInput!, $yes: Boolean!) { createCustomer(input: $input) {
             customer { name @include(if: $yes) } userErrors { code } } }""",
        """mutation($input: CreateCustomerInput!, $n: Int) { createCustomer(input: $input) {
             customer { name contacts(first: $n) { totalCount } } userErrors { code } } }""",
        """mutation($input: CreateCustomerInput!) { a: createCustomer(input: $input) {
             customer { name } } b: createCustomer(input: $input) { customer { name } } }""",
    ]
    for number, document in enumerate(others):
        name = f"Usual {number}"
        variables = {"input": {"name": name}, "yes": True, "n": 2}
        answer = await client.post("/graphql", json={"query": document, "variables": variables})
        assert "errors" not in answer.json(), answer.json()
    assert prepared_answers == [False, False, False]
    assert await customers_named(seeded, "Usual 0") == 1
    assert await customers_named(seeded, "Usual 2") == 2


async def test_a_session_without_its_csrf_header_and_a_read_only_token_are_refused(
    seeded: AsyncEngine, prepared_answers: list[bool]
) -> None:
    body = {"query": CREATE, "variables": {"input": {"name": "Refused Co"}}}
    secret = await scoped_token(seeded, "write")  # may write, may not read the payload
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        answer = (await client.post("/graphql", json=body)).json()
    assert answer["data"]["createCustomer"]["customer"] is None
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await customers_named(seeded, "Refused Co") == 1  # made all the same, as documented
    secret = await scoped_token(seeded, "read")
    async with app_client(seeded, Authorization=f"Bearer {secret}") as client:
        answer = (await client.post("/graphql", json=body)).json()
    assert answer["data"]["createCustomer"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert await customers_named(seeded, "Refused Co") == 1
    assert prepared_answers == [False, True]  # the second refused by the rules, prepared


async def test_concurrent_creates_of_one_number_make_one_and_the_rest_are_duplicates(
    seeded: AsyncEngine, client: httpx.AsyncClient, prepared_answers: list[bool]
) -> None:
    body = {"query": CREATE, "variables": {"input": {"name": "Race Co", "customerNumber": "R-1"}}}
    send: Callable[[], Awaitable[httpx.Response]] = lambda: client.post("/graphql", json=body)  # noqa: E731
    answers = [r.json() for r in await asyncio.gather(*(send() for _ in range(8)))]
    made = [a for a in answers if a["data"]["createCustomer"]["customer"] is not None]
    refused = [a["data"]["createCustomer"]["userErrors"] for a in answers if a not in made]
    assert len(made) == 1
    assert all(errors[0]["code"] == "DUPLICATE" for errors in refused), refused
    assert await customers_named(seeded, "Race Co") == 1
    assert prepared_answers == [True] * 8


async def test_a_connection_ended_mid_write_is_run_again_and_written_once(
    seeded: AsyncEngine, client: httpx.AsyncClient, prepared_answers: list[bool]
) -> None:
    body = {"query": CREATE, "variables": {"input": {"name": "Warm Co"}}}
    assert (await client.post("/graphql", json=body)).status_code == 200
    async with AsyncSession(seeded) as session:
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    body = {"query": CREATE, "variables": {"input": {"name": "After Co"}}}
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["createCustomer"]["customer"]["name"] == "After Co"
    assert await customers_named(seeded, "After Co") == 1
