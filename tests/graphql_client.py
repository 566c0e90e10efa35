"""Run GraphQL operations against the schema, counting the SQL statements they cost."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.context import Context
from customer_graph.api.schema import schema
from customer_graph.db.enums import Role
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings

TODAY = date(2026, 1, 15)
ADMIN = Actor.for_user(0, "Test Admin", Role.ADMIN)


def global_id(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counter.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def execute(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    today: date = TODAY,
    actor: Actor = ADMIN,
) -> Any:
    """The result of an operation that must succeed; its ``data``."""
    result = await schema.execute(
        query,
        variable_values=variables,
        context_value=Context(engine=engine, settings=Settings(), actor=actor, today=today),
    )
    assert result.errors is None, [error.formatted for error in result.errors]
    return result.data


async def execute_expecting_error(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    actor: Actor = ADMIN,
) -> str:
    """The first error message of an operation that must fail."""
    result = await schema.execute(
        query,
        variable_values=variables,
        context_value=Context(engine=engine, settings=Settings(), actor=actor, today=TODAY),
    )
    assert result.errors, f"expected an error, got {result.data}"
    return result.errors[0].message
