"""Throwaway databases for tests: a file per test on SQLite, a database per test on PostgreSQL.

PostgreSQL is used whenever it answers; under CI (``CI=true``) it must answer, so a missing
server fails the run instead of silently testing half of what we ship.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from customer_graph.db.migrate import upgrade

PG_ADMIN_DSN = os.environ.get(
    "CUSTOMER_GRAPH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _pg_url(dbname: str, driver: str = "psycopg") -> str:
    info = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_DSN)
    host = info.get("host", "127.0.0.1")
    port = info.get("port", "5432")
    user = info.get("user", "postgres")
    return f"postgresql+{driver}://{user}@{host}:{port}/{dbname}"


class PostgresFactory:
    """Creates databases cloned from one migrated template, and drops them all at the end."""

    def __init__(self) -> None:
        self.prefix = f"cg_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        self.created.append(self.template)
        upgrade(_pg_url(self.template))

    def _admin(self, statement: sql.Composable) -> None:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(statement)

    def create(self) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(self.template)
            )
        )
        self.created.append(name)
        return _pg_url(name)

    def create_empty(self) -> str:
        """A database without any schema, as ``createdb`` makes one (dropped at the end)."""
        name = f"{self.prefix}_{len(self.created)}"
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.created.append(name)
        return _pg_url(name)

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self._admin(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class SqliteFactory:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.db"
        upgrade(f"sqlite+pysqlite:///{self.template}")
        self.count = 0

    def create(self) -> str:
        self.count += 1
        path = self.directory / f"test_{self.count}.db"
        path.write_bytes(self.template.read_bytes())
        return f"sqlite+aiosqlite:///{path}"
