"""Engines and sessions. SQLite gets the pragmas that make it behave like a real database."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 5000
"""How long a SQLite write waits for another's write lock before it fails: writes, a bulk
import's included, hold it for well under a second, so a write waits rather than fails."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


SQLITE_BEGIN = "sqlite_begin"
"""Execution option naming the BEGIN a SQLite transaction starts with (``IMMEDIATE``).

Python's sqlite3 opens a transaction only before the first write, with a plain BEGIN:
reads before it see the database as it was, and a write after another writer committed
fails at once, waiting for nobody. A transaction that reads and then writes what it read
(the write step of an import) asks for the write lock up front instead.
"""


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN)
    if mode:
        connection.exec_driver_sql(f"BEGIN {mode}")


POSTGRESQL_OPTIONS = "-c jit=off"
"""PostgreSQL's JIT compiles a nested read (one statement per operation) for 250 ms to
save a few: the reads here are short, so it stays off."""


Transaction = AsyncSession | AsyncConnection
"""Where the domain reads and writes: the caller's open transaction, a Core connection (a
unit of work's) or a session (a tool's, a test's); both execute Core statements and keep
an ``info`` dictionary for the transaction's notes."""


def engine_of(transaction: Transaction) -> AsyncEngine:
    """The engine ``transaction`` runs on: for another transaction beside it."""
    if isinstance(transaction, AsyncConnection):
        return transaction.engine
    bind = transaction.bind
    if not isinstance(bind, AsyncEngine):
        raise TypeError("a session bound to an engine was expected")
    return bind


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> AsyncEngine:
    """An engine; on PostgreSQL with ``pool_size`` connections kept open.

    Connections beyond the pool (up to as many again) are closed when they come back: under
    more concurrent requests than the pool holds, each such request would pay for a new
    PostgreSQL backend, and lose its prepared statements with it.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo)
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"options": POSTGRESQL_OPTIONS},
    )
    _ping_after_idle(engine)
    return engine


IDLE_BEFORE_PING = 5.0
"""Seconds a pooled connection may rest before it is pinged when taken out again."""


def _ping_after_idle(engine: AsyncEngine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, for connections that have rested.

    Pinging on every checkout costs each request a round trip, though a connection in
    steady use has just proven itself. One that rested may have been closed by a database
    restart or a proxy: it is pinged, and replaced if the ping fails, so the request still
    succeeds. A connection that breaks while in use makes SQLAlchemy replace the pool's
    older connections too.
    """
    dialect = engine.dialect

    def rested(_dbapi_connection: Any, record: Any) -> None:
        record.info["rested_at"] = time.monotonic()

    def checked(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        rested_at = record.info.get("rested_at")
        if rested_at is None or time.monotonic() - rested_at < IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("the pooled connection is gone") from error

    event.listen(engine.sync_engine, "checkin", rested)
    event.listen(engine.sync_engine, "checkout", checked)


def _sqlite_engine(url: str, echo: bool) -> AsyncEngine:
    engine = create_async_engine(url, echo=echo)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


@contextlib.asynccontextmanager
async def without_waiting(session: AsyncSession) -> AsyncIterator[None]:
    """The session's statements fail at once where they would wait for another writer's
    lock: SQLite's busy timeout is off, PostgreSQL's ``lock_timeout`` is a millisecond."""
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        await connection.exec_driver_sql("SET LOCAL lock_timeout = 1")
        yield
        return
    await connection.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        await connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
