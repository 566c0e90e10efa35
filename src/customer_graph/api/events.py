"""Live updates: every committed change to a customer reaches every subscriber.

On PostgreSQL the change is announced with NOTIFY inside the writing transaction, so it
is delivered only if and after the transaction commits, to every server process that
LISTENs. On SQLite there is one process: changes are handed to local subscribers after
commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import orjson
import psycopg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

CHANNEL = "customer_graph_changes"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CustomerChange:
    customer_id: int
    action: str


class Broker:
    """Fans changes out to this process's subscribers (the SQLite and in-process case)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[CustomerChange]] = set()

    async def stage(self, session: AsyncSession, changes: Sequence[CustomerChange]) -> None:
        """Called inside the writing transaction, before commit."""

    async def committed(self, changes: Sequence[CustomerChange]) -> None:
        """Called after the writing transaction committed."""
        self.deliver(changes)

    def deliver(self, changes: Sequence[CustomerChange]) -> None:
        for queue in list(self._queues):
            for change in changes:
                queue.put_nowait(change)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[CustomerChange]]:
        queue: asyncio.Queue[CustomerChange] = asyncio.Queue()
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
    """NOTIFY in the transaction; one LISTEN connection per process delivers locally."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self.dsn = dsn
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def stage(self, session: AsyncSession, changes: Sequence[CustomerChange]) -> None:
        for change in changes:
            payload = orjson.dumps({"c": change.customer_id, "a": change.action}).decode()
            await session.execute(select(func.pg_notify(CHANNEL, payload)))

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
                    self.listening.set()
                    async for notice in conn.notifies():
                        data = orjson.loads(notice.payload)
                        self.deliver([CustomerChange(int(data["c"]), str(data["a"]))])
            except (psycopg.OperationalError, OSError) as error:
                self.listening.clear()
                log.warning("change listener lost its connection (%s); reconnecting", error)
                await asyncio.sleep(1)


def broker_for(engine: AsyncEngine) -> Broker:
    if engine.dialect.name == "postgresql":
        url = engine.url.set(drivername="postgresql")
        return PostgresBroker(url.render_as_string(hide_password=False))
    return Broker()
