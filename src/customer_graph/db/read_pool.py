"""Connections for prepared reads: psycopg's own pool, beside SQLAlchemy's.

A prepared read runs one statement whose text was rendered when its plan was made.
Through SQLAlchemy, each such statement also paid for the pool's checkout events, a
switch into SQLAlchemy's greenlet per call into the driver, the isolation level set and
reset, and the result's wrapping: as much CPU as the statement's own round trip. Here a
request borrows an autocommit connection (each statement reads one consistent snapshot by
itself) and runs the text on it.

Whatever goes wrong (the database restarted, a statement timed out, every connection busy
for longer than ``WAIT_SECONDS``) is ``ReadPoolUnavailable``: the caller answers the
request the usual way, whose errors are coded. A connection that broke is discarded by
the pool when it comes back.

Each statement is logged at DEBUG (at INFO with ``sql_echo``) on this module's logger, as
SQLAlchemy logs its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg import AsyncRawCursor
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy.engine import make_url

from customer_graph.db.engine import POSTGRESQL_OPTIONS

log = logging.getLogger(__name__)

WAIT_SECONDS = 1.0
"""How long a request waits for a connection before it goes the usual way instead."""


class ReadPoolUnavailable(Exception):
    """No connection, or it broke: answer the request the usual way."""


class ReadConnection:
    def __init__(self, connection: psycopg.AsyncConnection[Any], echo: bool) -> None:
        self.connection = connection
        self.echo = echo

    async def fetch_row(self, sql: str, values: Sequence[Any]) -> tuple[Any, ...]:
        """The one row the statement selects; ``sql`` has PostgreSQL's own placeholders
        (``$1``), and ``values`` are theirs in order."""
        level = logging.INFO if self.echo else logging.DEBUG
        if log.isEnabledFor(level):
            log.log(level, "%s %r", sql, values)
        try:
            cursor = AsyncRawCursor(self.connection)
            await cursor.execute(sql, values)
            row = await cursor.fetchone()
        except psycopg.Error as error:
            raise ReadPoolUnavailable(str(error)) from error
        if row is None:
            raise ReadPoolUnavailable("the statement selected no row")
        return tuple(row)


class ReadPool:
    """Up to ``size`` autocommit connections to the engine's PostgreSQL database, opened on
    first use."""

    def __init__(self, database_url: str, size: int, *, echo: bool = False) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self.echo = echo
        self.pool = AsyncConnectionPool(
            url.render_as_string(hide_password=False),
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True, "options": POSTGRESQL_OPTIONS},
            open=False,
            name="prepared-reads",
        )
        self.opened = False
        self.lock = asyncio.Lock()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[ReadConnection]:
        if not self.opened:
            async with self.lock:
                if not self.opened:
                    await self.pool.open(wait=False)
                    self.opened = True
        try:
            async with self.pool.connection(timeout=WAIT_SECONDS) as connection:
                yield ReadConnection(connection, self.echo)
        except (PoolTimeout, psycopg.Error) as error:
            raise ReadPoolUnavailable(str(error)) from error

    async def close(self) -> None:
        if self.opened:
            await self.pool.close()
            self.opened = False
