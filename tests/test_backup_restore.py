"""README's backup and restore commands, run as written, bring every customer back.

Each command is read from README's "Backup and restore" section, so the test fails when
the documented procedure stops working, and the README cannot drift from what is tested.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.cli import COMMAND_LINE
from customer_graph.db.engine import make_engine
from customer_graph.db.migrate import upgrade
from customer_graph.domain.exports import NESTED, export_filter, export_lines
from tests import factories as make

ROOT = Path(__file__).resolve().parent.parent


def documented(prefix: str) -> str:
    """The one command of README's Backup and restore section that starts with ``prefix``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Backup and restore\n", 1)[1].split("\n## ", 1)[0]
    found = [line for line in section.splitlines() if line.startswith(prefix)]
    assert len(found) == 1, f"README's Backup and restore has no single {prefix!r} command"
    return found[0]


def shell(command: str, directory: Path, **env: str) -> None:
    subprocess.run(
        command, shell=True, cwd=directory, env=os.environ | env, check=True, timeout=120
    )


async def stock(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn, email="owner@example.com")
        for n in range(3):
            customer = await make.customer(conn, owner, name=f"Kept {n}", tags=["vip"])
            await make.contact(conn, customer, name=f"Contact {n}", is_primary=True)
            await make.site(conn, customer, name=f"Site {n}", city="Lyon")
        await make.customer(conn, owner, name="Archived and kept", archived_at=make.NOW)


async def everything(engine: AsyncEngine) -> bytes:
    """The whole database as the export writes it: customers, tags, contacts, sites."""
    async with engine.connect() as connection:
        chunks = export_lines(connection, COMMAND_LINE, export_filter(None), "jsonl", NESTED)
        return b"".join([chunk async for chunk in chunks])


async def change_after_the_backup(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn, email="later@example.com")
        await make.customer(conn, owner, name="Added after the backup")


async def test_the_documented_backup_brings_every_customer_back(
    backend: str, database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        await _embedded(tmp_path)
    else:
        await _postgresql(database_url, tmp_path, request)


async def _embedded(directory: Path) -> None:
    """A copy taken while the server writes, restored with the server stopped."""
    path = directory / "customer_graph.db"
    upgrade(f"sqlite+pysqlite:///{path}")
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await stock(engine)
    before = await everything(engine)
    assert (directory / "customer_graph.db-wal").stat().st_size > 0, (
        "recent changes wait in the write-ahead log, which copying the file alone would miss"
    )

    backup = documented(".venv/bin/python -c ")
    shell(backup.replace(".venv/bin/python", sys.executable, 1), directory)
    await change_after_the_backup(engine)
    await engine.dispose()
    shell(documented("rm -f "), directory)
    shell(documented("cp "), directory)

    restored = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        assert await everything(restored) == before
    finally:
        await restored.dispose()


async def _postgresql(database_url: str, directory: Path, request: pytest.FixtureRequest) -> None:
    """pg_dump while the service runs, pg_restore into a new database, then migrate."""
    engine = make_engine(database_url)
    await stock(engine)
    before = await everything(engine)

    shell(documented("pg_dump "), directory, PGURL=database_url.replace("+psycopg", ""))
    await change_after_the_backup(engine)
    await engine.dispose()
    restored_url = request.getfixturevalue("postgresql_factory").create_empty()
    shell(documented("pg_restore "), directory, RESTORED_PGURL=restored_url.replace("+psycopg", ""))

    assert upgrade(restored_url).applied == [], "a copy of the newest schema needs no migration"
    restored = make_engine(restored_url)
    try:
        assert await everything(restored) == before
    finally:
        await restored.dispose()
