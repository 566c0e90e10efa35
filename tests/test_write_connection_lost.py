"""A change whose database connection breaks before its commit is made on a new one.

The database restarted, or an administrator ended the session: nothing of the change was
written, so it runs once more; if that breaks too, the answer says the database is
unavailable (never an internal error), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from customer_graph.db.enums import Role
from customer_graph.db.models import HistoryEvent, Site
from customer_graph.domain.permissions import Actor
from tests import factories as make
from tests.databases import PG_ADMIN_DSN
from tests.graphql_client import global_id, run

CREATE_SITE = """mutation($input: CreateSiteInput!) {
  createSite(input: $input) { site { name } userErrors { code } } }"""


class SessionEnder:
    """Ends the database session of the next ``times`` statements that lock a customer,
    as an administrator (or a restart) would, just before each runs."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.ended = 0

    def __call__(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.ended >= self.times or "FOR UPDATE" not in statement:
            return
        pid = conn.connection.driver_connection.info.backend_pid
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        self.ended += 1


@pytest.fixture
def ending(engine: AsyncEngine) -> Iterator[SessionEnder]:
    ender = SessionEnder(0)
    event.listen(engine.sync_engine, "before_cursor_execute", ender)
    yield ender
    event.remove(engine.sync_engine, "before_cursor_execute", ender)


async def _customer(engine: AsyncEngine) -> tuple[Actor, str, int]:
    async with engine.begin() as conn:
        owner = await make.user(conn, name="Ada Admin", role=Role.ADMIN)
        customer_id = await make.customer(conn, owner)
    return Actor.for_user(owner, "Ada Admin", Role.ADMIN), global_id("Customer", customer_id), owner


async def _written(engine: AsyncEngine) -> tuple[int, int]:
    async with engine.connect() as conn:
        sites = await conn.scalar(select(func.count()).select_from(Site))
        events = await conn.scalar(select(func.count()).where(HistoryEvent.entity_type == "Site"))
    return int(sites or 0), int(events or 0)


async def _create_site_ending(
    engine: AsyncEngine, ending: SessionEnder, times: int
) -> ExecutionResult:
    """createSite with the session ended ``times`` times before the customer is locked."""
    actor, customer, _ = await _customer(engine)
    ending.times = times
    result, _ = await run(
        engine, CREATE_SITE, {"input": {"customerId": customer, "name": "Depot"}}, actor=actor
    )
    assert ending.ended == times
    return result


@pytest.mark.backends("postgresql")
async def test_a_change_whose_connection_broke_is_made_on_a_new_one(
    engine: AsyncEngine, ending: SessionEnder
) -> None:
    result = await _create_site_ending(engine, ending, 1)
    assert result.errors is None
    assert result.data == {"createSite": {"site": {"name": "Depot"}, "userErrors": []}}
    assert await _written(engine) == (1, 1)


@pytest.mark.backends("postgresql")
async def test_a_change_that_cannot_reach_the_database_says_so_and_writes_nothing(
    engine: AsyncEngine, ending: SessionEnder
) -> None:
    result = await _create_site_ending(engine, ending, 2)
    assert result.errors is not None
    assert [error.extensions for error in result.errors] == [
        {"code": "SERVICE_UNAVAILABLE", "errorId": result.errors[0].extensions["errorId"]}
    ]
    assert "database is unavailable" in result.errors[0].message
    assert await _written(engine) == (0, 0)
