"""One user per email whatever its case: held by the database, reported as a userError."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.models import User
from customer_graph.domain.passwords import hash_password
from tests import factories as make
from tests.graphql_client import ADMIN, execute
from tests.web_client import app_client

PASSWORD = "correct horse battery"
CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) {
  user { email } userErrors { field code message } } }"""


def new_user(email: str) -> dict[str, object]:
    return {"input": {"email": email, "name": "New", "role": "SUPPORT", "password": PASSWORD}}


async def test_the_database_refuses_emails_differing_only_in_case(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await make.user(conn, email="Case@Example.com")
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(
                insert(User).values(
                    email="case@example.COM", name="Twin", role="SUPPORT", created_at=make.NOW
                )
            )


async def test_create_user_names_a_clash_with_a_stored_email_of_other_case(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await make.user(conn, email="Case@Example.com")
    data = await execute(engine, CREATE_USER, new_user("CASE@example.com"), actor=ADMIN)
    assert data["createUser"] == {
        "user": None,
        "userErrors": [
            {
                "field": "email",
                "code": "DUPLICATE",
                "message": "A user with case@example.com exists already.",
            }
        ],
    }


async def test_two_users_created_at_once_with_one_email_clash_by_name(
    engine: AsyncEngine,
) -> None:
    """Both pass the check for an existing user (their password hashes are computed
    after it); the unique index refuses the second, which is told why."""
    first, second = await asyncio.gather(
        execute(engine, CREATE_USER, new_user("twin@example.com"), actor=ADMIN),
        execute(engine, CREATE_USER, new_user("Twin@Example.com"), actor=ADMIN),
    )
    outcomes = sorted(
        [first["createUser"], second["createUser"]], key=lambda payload: payload["user"] is None
    )
    assert outcomes[0] == {"user": {"email": "twin@example.com"}, "userErrors": []}
    assert outcomes[1]["userErrors"] == [
        {
            "field": "email",
            "code": "DUPLICATE",
            "message": "A user with twin@example.com exists already.",
        }
    ]


async def test_a_user_stored_with_capitals_signs_in_with_any_case(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await make.user(conn, email="Mixed@Example.com", password_hash=hash_password(PASSWORD))
    async with app_client(engine) as client:
        response = await client.post(
            "/auth/login", json={"email": "mixed@EXAMPLE.com", "password": PASSWORD}
        )
    assert response.status_code == 200
