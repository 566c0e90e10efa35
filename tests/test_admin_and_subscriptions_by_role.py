"""Only administrators manage users and tokens; every role that may read may subscribe."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.context import Context
from customer_graph.api.schema import schema
from customer_graph.db.change_feed import Broker, CustomerChange
from customer_graph.db.enums import Role
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings
from tests import factories as make
from tests.graphql_client import execute

CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) {
  user { email role } userErrors { field code message } } }"""
CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  name scopes secret userErrors { field code message } } }"""
REVOKE_TOKEN = """mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) {
  revokedTokenName userErrors { field code message } } }"""

ACTORS = {
    **{role.value: Actor.for_user(0, role.value, role) for role in Role},
    "read token": Actor.for_token(1, "reader", frozenset({"read"})),
    "write token": Actor.for_token(2, "writer", frozenset({"write"})),
}


@pytest.mark.parametrize("who", list(ACTORS))
async def test_only_admins_manage_users_and_tokens(engine: AsyncEngine, who: str) -> None:
    actor = ACTORS[who]
    if actor.role is not None:
        async with engine.begin() as conn:
            user_id = await make.user(conn, role=actor.role)
        actor = Actor.for_user(user_id, actor.name, actor.role)
    user = await execute(
        engine,
        CREATE_USER,
        {
            "input": {
                "email": "New@Example.com",
                "name": "New",
                "role": "SUPPORT",
                "password": "long enough password",
            }
        },
        actor=actor,
    )
    token = await execute(
        engine, CREATE_TOKEN, {"input": {"name": "bi", "scopes": ["READ"]}}, actor=actor
    )
    if who == "ADMIN":
        assert user["createUser"] == {
            "user": {"email": "new@example.com", "role": "SUPPORT"},
            "userErrors": [],
        }
        issued = token["createApiToken"]
        assert issued["name"] == "bi"
        assert issued["scopes"] == ["READ"]
        assert issued["secret"].startswith("cg_")
        revoked = await execute(engine, REVOKE_TOKEN, {"input": {"name": "bi"}}, actor=actor)
        assert revoked["revokeApiToken"] == {"revokedTokenName": "bi", "userErrors": []}
        again = await execute(engine, REVOKE_TOKEN, {"input": {"name": "bi"}}, actor=actor)
        assert [e["code"] for e in again["revokeApiToken"]["userErrors"]] == ["NOT_FOUND"]
    else:
        assert user["createUser"]["user"] is None
        assert [e["code"] for e in user["createUser"]["userErrors"]] == ["FORBIDDEN"]
        assert token["createApiToken"]["secret"] is None
        assert [e["code"] for e in token["createApiToken"]["userErrors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("email", "name", "password", "error"),
    [
        ("a@example.com", " ", "long enough password", ("name", "REQUIRED")),
        ("nope", "Valid", "long enough password", ("email", "INVALID")),
        ("b@example.com", "Valid", "short", ("password", "INVALID")),
    ],
)
async def test_admin_user_creation_reports_bad_fields(
    engine: AsyncEngine, email: str, name: str, password: str, error: tuple[str, str]
) -> None:
    data = await execute(
        engine,
        CREATE_USER,
        {"input": {"email": email, "name": name, "role": "ADMIN", "password": password}},
        actor=ACTORS["ADMIN"],
    )
    assert [(e["field"], e["code"]) for e in data["createUser"]["userErrors"]] == [error]


@pytest.mark.parametrize(
    ("scopes", "outcome"),
    [
        (["WRITE", "DELETE"], (["DELETE", "WRITE"], [])),
        (["DELETE"], (None, [("scopes", "INVALID", "The delete scope is given only with write.")])),
        (
            ["READ", "DELETE"],
            (None, [("scopes", "INVALID", "The delete scope is given only with write.")]),
        ),
    ],
)
async def test_the_delete_scope_is_given_with_write(
    engine: AsyncEngine, scopes: list[str], outcome: tuple[Any, list[tuple[str, str, str]]]
) -> None:
    async with engine.begin() as conn:
        admin = Actor.for_user(await make.user(conn, role=Role.ADMIN), "Admin", Role.ADMIN)
    data = await execute(
        engine, CREATE_TOKEN, {"input": {"name": "sync", "scopes": scopes}}, actor=admin
    )
    issued = data["createApiToken"]
    errors = [(e["field"], e["code"], e["message"]) for e in issued["userErrors"]]
    assert (issued["scopes"], errors) == outcome


@pytest.mark.parametrize("who", list(ACTORS))
async def test_subscribing_needs_the_right_to_read(engine: AsyncEngine, who: str) -> None:
    broker = Broker()
    result: Any = await schema.subscribe(
        "subscription { customerEvents { action customer { name } } }",
        context_value=Context(engine=engine, settings=Settings(), actor=ACTORS[who], broker=broker),
    )
    first = asyncio.create_task(anext(result))
    await asyncio.sleep(0.05)
    broker.deliver([CustomerChange(customer_id=424242, action="UPDATED")])
    event = await asyncio.wait_for(first, timeout=5)
    await result.aclose()
    if who == "write token":
        assert event.errors
        assert event.errors[0].message == "You are not allowed to view customers."
    else:
        assert event.errors is None
        assert event.data == {"customerEvents": {"action": "UPDATED", "customer": None}}
