"""What a token's new customers are given for owner and manager, on both databases.

A person's new customers are theirs unless they say otherwise. An integration has nobody
signed in: its token may name a default owner, who owns and manages what it creates
without naming them (in ``createCustomer`` and in imported rows); without one, both are
required, and the refusal says why.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from typer.testing import CliRunner

from customer_graph.cli import app
from customer_graph.db.engine import make_engine
from customer_graph.db.enums import Role
from customer_graph.db.models import Customer, User
from customer_graph.domain.tokens import create_token
from customer_graph.domain.users import set_password
from customer_graph.settings import get_settings
from tests import factories as make
from tests.graphql_client import global_id
from tests.web_client import app_client, sign_in

PASSWORD = "correct horse battery"
CREATE = """mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { name owner { id } manager { id } history { edges { node { actorName } } } }
    userErrors { field code message }
  }
}"""
VIEWER = "{ viewer { name isIntegration defaultOwner { id name } } }"


@pytest.fixture
async def staff(engine: AsyncEngine) -> dict[str, int]:
    async with engine.begin() as conn:
        return {
            "admin": await make.user(conn, email="admin@example.com", role=Role.ADMIN),
            "owner": await make.user(conn, email="owner@example.com", name="Olga Owner"),
            "other": await make.user(conn, email="other@example.com", name="Otto Other"),
        }


async def token(engine: AsyncEngine, name: str, default_owner_id: int | None = None) -> str:
    async with AsyncSession(engine) as session:
        issued = await create_token(
            session,
            name=name,
            scopes=frozenset({"read", "write"}),
            default_owner_id=default_owner_id,
        )
        await session.commit()
    return issued.secret


async def graphql(engine: AsyncEngine, secret: str, query: str, **variables: Any) -> Any:
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_a_token_with_a_default_owner_gives_new_customers_that_owner(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    secret = await token(engine, "CRM sync", staff["owner"])
    owner = global_id("User", staff["owner"])

    created = (await graphql(engine, secret, CREATE, input={"name": "Initech"}))["createCustomer"]

    assert created["userErrors"] == []
    customer = created["customer"]
    assert customer["owner"] == {"id": owner}
    assert customer["manager"] == {"id": owner}
    assert customer["history"]["edges"][0]["node"]["actorName"] == "CRM sync"
    viewer = (await graphql(engine, secret, VIEWER))["viewer"]
    assert viewer["defaultOwner"] == {"id": owner, "name": "Olga Owner"}


async def test_what_a_token_names_wins_over_its_default_owner(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    secret = await token(engine, "CRM sync", staff["owner"])
    other = global_id("User", staff["other"])
    given = {"name": "Globex", "managerId": other}

    customer = (await graphql(engine, secret, CREATE, input=given))["createCustomer"]["customer"]

    assert customer["owner"] == {"id": global_id("User", staff["owner"])}
    assert customer["manager"] == {"id": other}


async def test_a_token_without_a_default_owner_must_name_owner_and_manager(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    secret = await token(engine, "bare")
    assert (await graphql(engine, secret, VIEWER))["viewer"]["defaultOwner"] is None

    refused = (await graphql(engine, secret, CREATE, input={"name": "Initech"}))["createCustomer"]

    assert refused["customer"] is None
    assert refused["userErrors"] == [
        {
            "field": field,
            "code": "REQUIRED",
            "message": f"{label} is required: this integration has no default owner to fill in.",
        }
        for field, label in (("ownerId", "Owner"), ("managerId", "Manager"))
    ]
    other = global_id("User", staff["other"])
    named = await graphql(
        engine, secret, CREATE, input={"name": "Initech", "ownerId": other, "managerId": other}
    )
    assert named["createCustomer"]["customer"]["owner"] == {"id": other}


async def test_a_default_owner_who_left_is_named_in_the_refusal(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    secret = await token(engine, "CRM sync", staff["owner"])
    async with engine.begin() as conn:
        await conn.execute(update(User).where(User.id == staff["owner"]).values(is_active=False))

    refused = (await graphql(engine, secret, CREATE, input={"name": "Initech"}))["createCustomer"]

    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("ownerId", "NOT_FOUND"),
        ("managerId", "NOT_FOUND"),
    ]
    assert "default owner is no longer an active user" in refused["userErrors"][0]["message"]


async def test_imported_rows_without_owners_take_the_token_default_owner(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    with_owner = await token(engine, "CRM sync", staff["owner"])
    without = await token(engine, "bare")
    rows = "name,owner_email\r\nNamed Owner,other@example.com\r\nNobody Named,\r\n"

    async def send(secret: str) -> dict[str, Any]:
        async with app_client(engine, Authorization=f"Bearer {secret}") as client:
            response = await client.post("/import/customers.csv", content=rows.encode())
        assert response.status_code == 200, response.text
        report: dict[str, Any] = json.loads(response.text.splitlines()[-1])["report"]
        return report

    refused = await send(without)
    assert refused["applied"] is False
    assert [(r["line"], r["errors"]) for r in refused["rejectedRows"]] == [
        (
            2,
            [
                {
                    "column": "manager_email",
                    "message": "Manager is required: this integration has no default owner "
                    "to fill in.",
                }
            ],
        ),
        (
            3,
            [
                {
                    "column": column,
                    "message": f"{label} is required: this integration has no default owner "
                    "to fill in.",
                }
                for column, label in (("owner_email", "Owner"), ("manager_email", "Manager"))
            ],
        ),
    ]

    imported = await send(with_owner)
    assert (imported["created"], imported["rejected"]) == (2, 0)
    async with AsyncSession(engine) as session:
        stored = {
            row.name: (row.owner_id, row.manager_id)
            for row in await session.execute(
                select(Customer.name, Customer.owner_id, Customer.manager_id)
            )
        }
    assert stored == {
        "Named Owner": (staff["other"], staff["owner"]),
        "Nobody Named": (staff["owner"], staff["owner"]),
    }


async def give_password(engine: AsyncEngine, email: str) -> None:
    async with AsyncSession(engine) as session:
        await set_password(session, email, PASSWORD)
        await session.commit()


async def test_a_person_is_their_own_default_owner(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    await give_password(engine, "admin@example.com")
    async with app_client(engine) as client:
        await sign_in(client, "admin@example.com", PASSWORD)
        body = (await client.post("/graphql", json={"query": VIEWER})).json()
    assert body["data"]["viewer"]["defaultOwner"]["id"] == global_id("User", staff["admin"])


CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { name secret userErrors { field code message } }
}"""


async def test_an_administrator_gives_a_token_its_default_owner(
    engine: AsyncEngine, staff: dict[str, int]
) -> None:
    await give_password(engine, "admin@example.com")
    owner = global_id("User", staff["owner"])
    async with app_client(engine) as client:
        csrf = await sign_in(client, "admin@example.com", PASSWORD)

        async def create(**given: Any) -> Any:
            response = await client.post(
                "/graphql",
                json={"query": CREATE_TOKEN, "variables": {"input": given}},
                headers={"X-CSRF-Token": csrf},
            )
            return response.json()["data"]["createApiToken"]

        issued = await create(name="CRM sync", scopes=["READ", "WRITE"], defaultOwnerId=owner)
        unknown = await create(
            name="Nobody's", scopes=["READ"], defaultOwnerId=global_id("User", 9999)
        )
        not_a_user = await create(
            name="Wrong kind", scopes=["READ"], defaultOwnerId=global_id("Customer", 1)
        )
    assert issued["userErrors"] == []
    assert unknown["userErrors"] == [
        {
            "field": "defaultOwnerId",
            "code": "NOT_FOUND",
            "message": "The default owner must be an active user.",
        }
    ]
    assert [e["field"] for e in not_a_user["userErrors"]] == ["defaultOwnerId"]
    viewer = (await graphql(engine, issued["secret"], VIEWER))["viewer"]
    assert viewer["defaultOwner"]["id"] == owner


def test_the_command_line_names_default_owners(database_url: str, tmp_path: Path) -> None:
    """``token create --owner`` and ``import --owner``; an unknown email is refused."""

    async def stock() -> int:
        engine = make_engine(database_url)
        async with engine.begin() as conn:
            owner = await make.user(conn, email="owner@example.com")
        await engine.dispose()
        return owner

    owner = asyncio.run(stock())
    source = tmp_path / "new.csv"
    source.write_text("name\r\nFrom the shell\r\n", encoding="utf-8")
    runner = CliRunner(env={"CUSTOMER_GRAPH_DATABASE_URL": database_url})
    get_settings.cache_clear()
    try:
        issued = runner.invoke(
            app, ["token", "create", "--name", "sync", "--scopes", "read,write",
                  "--owner", "OWNER@example.com"],
        )  # fmt: skip
        unknown = runner.invoke(
            app, ["token", "create", "--name", "x", "--owner", "nobody@example.com"]
        )
        bare_import = runner.invoke(app, ["import", str(source)])
        owned_import = runner.invoke(app, ["import", str(source), "--owner", "owner@example.com"])
    finally:
        get_settings.cache_clear()
    assert issued.exit_code == 0, issued.output
    assert "owned and managed by OWNER@example.com" in " ".join(issued.output.split())
    assert unknown.exit_code == 1
    assert "No active user has the email 'nobody@example.com'" in unknown.output
    assert bare_import.exit_code == 1
    assert "Owner is required" in bare_import.output
    assert owned_import.exit_code == 0, owned_import.output

    async def check() -> None:
        engine = make_engine(database_url)
        async with engine.connect() as conn:
            stored = (
                await conn.execute(
                    select(Customer.owner_id, Customer.manager_id).where(
                        Customer.name == "From the shell"
                    )
                )
            ).all()
        await engine.dispose()
        assert [tuple(row) for row in stored] == [(owner, owner)]
        secret = issued.stdout.strip().splitlines()[0]
        data = await _graphql_on(database_url, secret, VIEWER)
        assert data["viewer"]["defaultOwner"]["id"] == global_id("User", owner)

    asyncio.run(check())


async def _graphql_on(database_url: str, secret: str, query: str) -> Any:
    engine = make_engine(database_url)
    try:
        return await graphql(engine, secret, query)
    finally:
        await engine.dispose()
