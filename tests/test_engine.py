"""The pool behind every request: connections the database dropped are replaced unseen."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import engine as engines
from tests.databases import PG_ADMIN_DSN


def drop_every_connection(database_url: str) -> None:
    """What a PostgreSQL restart, or a proxy closing idle connections, does to the pool."""
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (make_url(database_url).database,),
        )


@pytest.mark.backends("postgresql")
async def test_a_rested_connection_the_database_dropped_is_replaced(
    engine: AsyncEngine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT 1")) == 1
    drop_every_connection(database_url)
    monkeypatch.setattr(engines, "IDLE_BEFORE_PING", 0.0)
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT 2")) == 2


@pytest.mark.backends("postgresql")
async def test_a_connection_in_steady_use_is_not_pinged(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "IDLE_BEFORE_PING", 60.0)
    async with engine.connect() as connection:
        await connection.scalar(text("SELECT 1"))
    pings = 0
    original = engine.dialect.do_ping

    def counting_ping(dbapi_connection: object) -> bool:
        nonlocal pings
        pings += 1
        return original(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting_ping)
    for _ in range(3):
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
    assert pings == 0
