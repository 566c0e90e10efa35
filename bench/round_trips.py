"""What a write's round trips cost in CPU: through SQLAlchemy's async connection, on
psycopg directly, and on psycopg in pipeline mode.

    .venv/bin/python bench/round_trips.py [--database cg_bench] [--writes 2000]

Each write is what a create or update sends: BEGIN, a locking read, an UPDATE returning
its row, a NOTIFY and COMMIT, on one connection, one after another. Prints the CPU and the
wall time of this process per write.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from customer_graph.db.engine import make_engine
from run import create_database, database_url

LOCK = "SELECT id, name, status FROM customers WHERE id = {} FOR UPDATE"
UPDATE = "UPDATE customers SET updated_at = now() WHERE id = {} RETURNING id, version"
NOTIFY = "SELECT pg_notify('round_trips', {})"


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


async def _timed(name: str, writes: int, write: Callable[[], Awaitable[None]]) -> None:
    for _ in range(50):
        await write()
    cpu, wall = _cpu(), time.perf_counter()
    for _ in range(writes):
        await write()
    cpu_ms = (_cpu() - cpu) * 1000 / writes
    wall_ms = (time.perf_counter() - wall) * 1000 / writes
    print(f"{name:28} {cpu_ms:.3f} ms CPU a write, {wall_ms:.3f} ms wall")


async def through_sqlalchemy(url: str, writes: int) -> None:
    engine = make_engine(url)
    lock, update, notify = (text(s.format(p)) for s, p in
                            ((LOCK, ":id"), (UPDATE, ":id"), (NOTIFY, ":p")))  # fmt: skip
    async with engine.connect() as connection:

        async def write() -> None:
            async with connection.begin():
                (await connection.execute(lock, {"id": 7})).mappings().first()
                (await connection.execute(update, {"id": 7})).mappings().first()
                await connection.execute(notify, {"p": "x"})

        await _timed("SQLAlchemy async connection", writes, write)
    await engine.dispose()


async def on_psycopg(url: str, writes: int) -> None:
    lock, update, notify = (s.format("%s") for s in (LOCK, UPDATE, NOTIFY))
    async with await psycopg.AsyncConnection.connect(url) as connection:

        async def write() -> None:
            async with connection.transaction():
                await (await connection.execute(lock, (7,))).fetchone()
                await (await connection.execute(update, (7,))).fetchone()
                await connection.execute(notify, ("x",))

        async def pipelined() -> None:
            async with connection.pipeline():
                async with connection.transaction():
                    await (await connection.execute(lock, (7,))).fetchone()
                    updated = await connection.execute(update, (7,))
                    await connection.execute(notify, ("x",))
                await updated.fetchone()

        await _timed("psycopg", writes, write)
        await _timed("psycopg, pipeline mode", writes, pipelined)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="cg_bench")
    parser.add_argument("--writes", type=int, default=2000)
    options = parser.parse_args()
    create_database(options.database, 300, keep=True)
    url = database_url(options.database, "postgresql+psycopg")
    asyncio.run(through_sqlalchemy(url, options.writes))
    asyncio.run(on_psycopg(url.replace("postgresql+psycopg://", "postgresql://"), options.writes))


if __name__ == "__main__":
    main()
