"""Run GraphQL operations against the schema, counting the SQL statements they cost."""

from __future__ import annotations

import base64
import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from graphql import OperationDefinitionNode, OperationType, parse
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from customer_graph.api.compiled.prepared import PreparedOperations
from customer_graph.api.context import Context
from customer_graph.api.schema import schema
from customer_graph.db import read_pool
from customer_graph.db.enums import Role
from customer_graph.db.read_pool import ReadPool
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings

TODAY = date(2026, 1, 15)
ADMIN = Actor.for_user(0, "Test Admin", Role.ADMIN)


def global_id(type_name: str, database_id: int) -> str:
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)
    """Those of them sent on the prepared reads' pool."""

    @property
    def count(self) -> int:
        return len(self.statements)


class _ReadPoolStatements(logging.Handler):
    def __init__(self, counter: StatementCounter) -> None:
        super().__init__(logging.DEBUG)
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        self.counter.statements.append(record.getMessage())
        self.counter.prepared.append(record.getMessage())


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    """Every statement sent meanwhile: through the engine, and on the prepared reads' pool
    (which logs each one)."""
    counter = StatementCounter()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counter.statements.append(statement)

    pool_log = logging.getLogger(read_pool.__name__)
    handler, level = _ReadPoolStatements(counter), pool_log.level
    pool_log.addHandler(handler)
    pool_log.setLevel(logging.DEBUG)
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        pool_log.removeHandler(handler)
        pool_log.setLevel(level)


def is_read(query: str) -> bool:
    document = parse(query)
    return all(
        definition.operation is OperationType.QUERY
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    )


async def run(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    today: date = TODAY,
    actor: Actor = ADMIN,
    compiled: bool = True,
) -> tuple[ExecutionResult, Context]:
    """One execution, through the compiled read path when it covers the operation or not."""
    context = Context(
        engine=engine, settings=Settings(compiled_reads=compiled), actor=actor, today=today
    )
    result = await schema.execute(query, variable_values=variables, context_value=context)
    return result, context


_PREPARED: weakref.WeakKeyDictionary[AsyncEngine, PreparedOperations] = weakref.WeakKeyDictionary()


def prepared_operations(engine: AsyncEngine) -> PreparedOperations | None:
    """The prepared path over ``engine`` (PostgreSQL alone has one), made once."""
    if engine.dialect.name != "postgresql":
        return None
    if engine not in _PREPARED:
        url = engine.url.render_as_string(hide_password=False)
        pool = ReadPool(url, 2)
        _PREPARED[engine] = PreparedOperations(
            schema.core, schema.documents, engine, Settings(), pool
        )
    return _PREPARED[engine]


async def close_prepared(engine: AsyncEngine) -> None:
    prepared = _PREPARED.pop(engine, None)
    if prepared is not None:
        await prepared.pool.close()


async def check_prepared(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None,
    *,
    actor: Actor,
    today: date,
    expected: ExecutionResult,
    compiled: bool,
) -> None:
    """On PostgreSQL, the prepared path answers what ``expected`` holds (the body the HTTP
    view writes for it), byte for byte, whenever the compiled path answered; otherwise it
    leaves the request to the usual path."""
    prepared = prepared_operations(engine)
    if prepared is None:
        return
    body = await prepared.answer(query, None, variables or {}, actor, today)
    if not compiled or expected.errors:
        assert body is None, (query, body)
        return
    assert body is not None, ("the prepared path left a compiled read to the usual path", query)
    usual: dict[str, Any] = {"data": expected.data}
    if expected.extensions:
        usual["extensions"] = expected.extensions
    assert orjson.dumps(orjson.loads(body)) == orjson.dumps(usual), query


async def execute(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    today: date = TODAY,
    actor: Actor = ADMIN,
) -> Any:
    """The result of an operation that must succeed; its ``data``.

    A read runs through the resolvers, the compiled read path and (on PostgreSQL) the
    prepared path, and all must answer the same JSON, byte for byte.
    """
    result, _ = await run(engine, query, variables, today=today, actor=actor, compiled=False)
    assert result.errors is None, [error.formatted for error in result.errors]
    if is_read(query):
        compiled, context = await run(engine, query, variables, today=today, actor=actor)
        assert compiled.errors is None, [error.formatted for error in compiled.errors]
        assert orjson.dumps(compiled.data).decode() == orjson.dumps(result.data).decode()
        await check_prepared(
            engine,
            query,
            variables,
            actor=actor,
            today=today,
            expected=result,
            compiled=context.answered_compiled,
        )
    return result.data


async def execute_expecting_error(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    actor: Actor = ADMIN,
) -> str:
    """The first error message of an operation that must fail (on both read paths)."""
    result, _ = await run(engine, query, variables, actor=actor, compiled=False)
    assert result.errors, f"expected an error, got {result.data}"
    if is_read(query):
        compiled, _ = await run(engine, query, variables, actor=actor)
        assert compiled.errors, f"expected an error, got {compiled.data}"
        assert [e.formatted for e in compiled.errors] == [e.formatted for e in result.errors]
        assert compiled.data == result.data
    return result.errors[0].message
