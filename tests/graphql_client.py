"""Run GraphQL operations against the schema, counting the SQL statements they cost."""

from __future__ import annotations

import base64
import contextvars
import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from customer_graph.api.compiled.prepared import PreparedOperations
from customer_graph.api.context import Context
from customer_graph.api.prepared_writes import PreparedWrites, WritePlan
from customer_graph.api.schema import schema
from customer_graph.db import read_pool
from customer_graph.db.change_feed import Broker
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
        if not _CHECKING.get():
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


_CHECKING: contextvars.ContextVar[bool] = contextvars.ContextVar("checking", default=False)
"""Set while a test's own check reads: its statements are not the operation's."""


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
_PREPARED_WRITES: weakref.WeakKeyDictionary[AsyncEngine, PreparedWrites] = (
    weakref.WeakKeyDictionary()
)


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


def prepared_writes(engine: AsyncEngine) -> PreparedWrites | None:
    """The prepared writes over ``engine`` (PostgreSQL alone has them), made once."""
    if engine.dialect.name != "postgresql":
        return None
    if engine not in _PREPARED_WRITES:
        _PREPARED_WRITES[engine] = PreparedWrites(
            schema.core, schema.documents, engine, Settings(), Broker(), schema.process_errors
        )
    return _PREPARED_WRITES[engine]


def _payload_record_selection(query: str, plan: WritePlan) -> str:
    """The payload's record field's selection, as text; empty when it uses fragments."""
    document = parse(query)
    if any(isinstance(d, FragmentDefinitionNode) for d in document.definitions):
        return ""
    record_key = next(key for key, answer in plan.payload if answer == "record")
    payload = plan.field_node.selection_set
    assert payload is not None
    for selection in payload.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            if key == record_key and selection.selection_set is not None:
                return print_ast(selection.selection_set)
    return ""


def _refusal(data: dict[str, Any]) -> str:
    """A refused mutation's data, its userErrors' messages left out."""
    (payload,) = data.values()
    errors = [{k: v for k, v in e.items() if k != "message"} for e in payload["userErrors"]]
    return orjson.dumps({**payload, "userErrors": errors}).decode()


async def prepared_write(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None,
    *,
    actor: Actor,
    today: date,
) -> Any:
    """A mutation's ``data`` from the prepared writes, or None when they leave it to the
    usual path. The record in the payload is what the resolvers read of it afterwards; a
    refusal is what the resolvers answer for the same request."""
    prepared = prepared_writes(engine)
    if prepared is None:
        return None
    body = await prepared.answer(query, None, variables or {}, actor, today, csrf_verified=True)
    if body is None:
        return None
    answered = orjson.loads(body)
    assert "errors" not in answered, answered
    plan = prepared.plan(query, None)
    assert plan is not None
    payload = answered["data"][plan.key]
    checking = _CHECKING.set(True)
    try:
        if any(payload[key] for key, answer in plan.payload if answer == "userErrors"):
            # Refused, so nothing was written: the resolvers refuse it the same way (a racing
            # writer's DUPLICATE, caught by the database, words its message apart).
            usual, _ = await run(engine, query, variables, today=today, actor=actor)
            assert usual.errors is None, usual.errors
            assert usual.data is not None
            assert _refusal(answered["data"]) == _refusal(usual.data), (answered, usual.data)
            return answered["data"]
        selection = _payload_record_selection(query, plan)
        record = next(payload[key] for key, answer in plan.payload if answer == "record")
        if selection and "id" in record:
            type_name = plan.record_write.entity
            read = f'query {{ node(id: "{record["id"]}") {{ ... on {type_name} {selection} }} }}'
            usual, _ = await run(engine, read, today=today, actor=actor, compiled=False)
            assert usual.errors is None, usual.errors
            assert usual.data is not None
            assert orjson.dumps(record) == orjson.dumps(usual.data["node"]), (query, record)
    finally:
        _CHECKING.reset(checking)
    return answered["data"]


async def close_prepared(engine: AsyncEngine) -> None:
    _PREPARED_WRITES.pop(engine, None)
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
    prepared path, and all must answer the same JSON, byte for byte. On PostgreSQL a
    mutation the prepared writes cover is answered by them (``prepared_write``).
    """
    if not is_read(query):
        written = await prepared_write(engine, query, variables, actor=actor, today=today)
        if written is not None:
            return written
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
