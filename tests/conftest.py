from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.engine import make_engine
from tests.databases import PostgresFactory, SqliteFactory, postgres_available
from tests.graphql_client import close_prepared


def _backends() -> list[str]:
    """SQLite always; PostgreSQL when it answers, and always under CI, where it must."""
    if os.environ.get("CI") or postgres_available():
        return ["sqlite", "postgresql"]
    return ["sqlite"]


BACKENDS = _backends()


def pytest_report_header() -> str:
    return f"customer_graph databases: {', '.join(BACKENDS)}"


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def postgresql_factory() -> Iterator[PostgresFactory]:
    if not postgres_available():
        pytest.fail("PostgreSQL is not reachable; CI must test against it (make test starts it)")
    factory = PostgresFactory()
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that touches a database runs once per backend."""
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("backends")
        chosen = [b for b in BACKENDS if only is None or b in only.args]
        metafunc.parametrize("backend", chosen, scope="function")


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh, migrated, empty database of the test's backend."""
    factory: Any = request.getfixturevalue(f"{backend}_factory")
    return str(factory.create())


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await close_prepared(engine)
    await engine.dispose()
