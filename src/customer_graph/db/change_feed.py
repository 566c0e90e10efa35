"""The change feed: every committed change to a customer reaches every subscriber.

On PostgreSQL changes are announced with NOTIFY inside the writing transaction, so they
are delivered only if and after the transaction commits, to every process that LISTENs
(a server's subscribers hear an import run from the command line too). On SQLite there is
one process: changes are handed to local subscribers after commit. Who writes does not
publish: the unit of work does, at commit (``domain/unit_of_work.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import psycopg
from sqlalchemy import Insert, Select, String, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.engine import Transaction
from customer_graph.db.statements import BuiltOnce

CHANNEL = "customer_graph_changes"
PER_NOTICE = 200
"""Changes sent in one NOTIFY: well under PostgreSQL's 8,000-byte payload limit."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CustomerChange:
    customer_id: int
    action: str


@dataclass(frozen=True)
class FeedInterrupted:
    """What a subscriber hears instead of the changes it may have missed: the listening
    connection was lost (the database restarted, or the connection was ended), and changes
    committed until it listens again reach nobody here."""


INTERRUPTED = FeedInterrupted()
Heard = CustomerChange | FeedInterrupted


@dataclass(frozen=True)
class Along:
    """A write that goes out with the announcement: its statement and the values it is
    run with (a statement built once and bound per run is compiled once)."""

    statement: Insert
    values: Mapping[str, Any] = field(default_factory=dict)


NOTICE_PAYLOAD = "notice_payload"
_NOTICE = select(func.pg_notify(CHANNEL, bindparam(NOTICE_PAYLOAD, type_=String)))


def _carrying(along: object) -> Select[Any]:
    assert isinstance(along, Insert)
    return _NOTICE.add_cte(along.cte("written_along"))


_notice_with = BuiltOnce(_carrying)
"""The notice that carries a statement along, built once per such statement."""


class Broker:
    """Fans changes out to this process's subscribers (the SQLite and in-process case)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Heard]] = set()
        self.interrupted = False
        """Whether changes may be missed now: a subscriber that starts meanwhile hears so at
        once."""

    async def stage(
        self,
        connection: Transaction,
        changes: Sequence[CustomerChange],
        along: Along | None = None,
    ) -> None:
        """Called inside the writing transaction, before commit; ``along`` is a write that
        goes out with the announcement, in the same statement where the database allows."""
        if along is not None:
            await connection.execute(along.statement, dict(along.values))

    async def committed(self, changes: Sequence[CustomerChange]) -> None:
        """Called after the writing transaction committed."""
        self.deliver(changes)

    def deliver(self, changes: Sequence[CustomerChange]) -> None:
        for queue in list(self._queues):
            for change in changes:
                queue.put_nowait(change)

    def interrupt(self) -> None:
        """Tell every subscriber that changes may have been missed (``FeedInterrupted``)."""
        self.interrupted = True
        for queue in list(self._queues):
            queue.put_nowait(INTERRUPTED)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Heard]]:
        queue: asyncio.Queue[Heard] = asyncio.Queue()
        if self.interrupted:
            queue.put_nowait(INTERRUPTED)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    async def start(self) -> None:
        """Begin receiving changes made elsewhere (nothing to do in one process)."""

    async def stop(self) -> None:
        """Stop receiving."""


class PostgresBroker(Broker):
    """NOTIFY in the transaction; one LISTEN connection per process delivers locally.

    PostgreSQL keeps no notice for a connection that is not listening: when the listening
    connection is lost, every subscriber is told (``interrupt``), and so is every one that
    starts before it listens again."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self.dsn = dsn
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def stage(
        self,
        connection: Transaction,
        changes: Sequence[CustomerChange],
        along: Along | None = None,
    ) -> None:
        """The first NOTIFY carries ``along`` as a data-modifying WITH, which PostgreSQL
        runs to completion whether or not the query reads it: one round trip for both."""
        if not changes:
            await super().stage(connection, changes, along)
            return
        for start in range(0, len(changes), PER_NOTICE):
            batch = [[c.customer_id, c.action] for c in changes[start : start + PER_NOTICE]]
            payload = {NOTICE_PAYLOAD: orjson.dumps(batch).decode()}
            if along is None:
                await connection.execute(_NOTICE, payload)
                continue
            await connection.execute(_notice_with(along.statement), {**along.values, **payload})
            along = None

    async def committed(self, changes: Sequence[CustomerChange]) -> None:
        """Delivered by the listener, like changes from any other process."""

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.interrupted = False
                    self.listening.set()
                    async for notice in conn.notifies():
                        self.deliver(
                            [
                                CustomerChange(int(customer_id), str(action))
                                for customer_id, action in orjson.loads(notice.payload)
                            ]
                        )
            except (psycopg.OperationalError, OSError) as error:
                self.listening.clear()
                self.interrupt()
                log.warning("change listener lost its connection (%s); reconnecting", error)
                await asyncio.sleep(1)


def broker_for(engine: AsyncEngine) -> Broker:
    if engine.dialect.name == "postgresql":
        url = engine.url.set(drivername="postgresql")
        return PostgresBroker(url.render_as_string(hide_password=False))
    return Broker()
