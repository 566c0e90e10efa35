"""Prepared operations: a known read answered without Strawberry or graphql-core's execution.

A document is known once it has been checked: a trusted document's, or any text seen
before. Its ``Prepared`` holds the checked document and the chosen operation; the
operation's cost is remembered by the values of its page sizes (``limits.assessed``) and
its compiled plan by its variables (``executor.PLANS``), the plan holding what the root
fields' permission classes require of an actor. A request is then: bind the variables,
look up the cost and the plan, compare the actor's permissions with the plan's, run the
plan's one statement on the read pool, and write PostgreSQL's JSON into the body.

Anything else answers None, and the request goes the usual way (Strawberry, the
compiled executor or the resolvers), which gives every error: a document refused or not
a query, variables that do not coerce, a limit or the cost exceeded, a plan the compiler
does not cover, an actor the permissions refuse, a cursor that is not valid, a read pool
that fails. So a prepared answer is always a success, and equals the usual path's byte
for byte (``tests/test_prepared_operations.py``, and every differential test).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.checked_documents import DocumentChecks
from customer_graph.api.compiled.executor import (
    PLANS,
    CompiledReadsExecutor,
    Plan,
    plan_data,
    plan_key,
    rebindable_cursors,
    statement_parameters,
)
from customer_graph.api.context import Context
from customer_graph.api.input_limits import operation_problems
from customer_graph.api.limits import assessed, cost_report, over_cost
from customer_graph.api.lru import LruCache
from customer_graph.db.read_pool import ReadPool, ReadPoolUnavailable
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings

PREPARED_CACHE_SIZE = 256
"""As many as the documents whose checks are remembered (``DocumentChecks``)."""

BINDINGS_CACHE_SIZE = 1024
MAX_REMEMBERED_VARIABLES = 2048
"""Bytes of JSON past which a request's variables are bound but not remembered: 1,024
bindings hold at most a few megabytes."""


@dataclass(frozen=True)
class KnownOperation:
    """A checked document's chosen operation: what prepared reads and writes start from."""

    text: str
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]


def known_operation(
    checks: DocumentChecks, text: str, operation_name: str | None, kind: OperationType
) -> KnownOperation | None:
    """The document's operation of ``kind``; None when the document is refused, or its
    operation is missing or of another kind."""
    document = checks.check(text).document
    if document is None:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not kind:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return KnownOperation(text, document, operation, fragments)


def checked_variables(
    schema: GraphQLSchema,
    known: KnownOperation,
    operation_name: str | None,
    given: dict[str, Any],
    settings: Settings,
) -> tuple[VariableValues, int] | None:
    """The variables coerced and the operation's cost; None when they do not coerce, or a
    limit or the cost refuses them (the usual path says why)."""
    definitions = known.operation.variable_definitions or ()
    variables = get_variable_values(schema, definitions, given)
    if not isinstance(variables, VariableValues):
        return None
    assessment = assessed(schema, known.text, known.document, operation_name, given, settings)
    cost = assessment.cost
    if assessment.errors or cost is None or over_cost(cost, settings) is not None:
        return None
    if operation_problems(schema, known.operation, known.fragments, given, settings):
        return None
    return variables, cost


@dataclass(frozen=True)
class Prepared(KnownOperation):
    rebindable: frozenset[str]
    """Cursor variables: bound when the statements run, not part of the plan's key."""


@dataclass(frozen=True)
class Binding:
    """What a request's variables decide, worked out once per distinct values."""

    variables: VariableValues
    cost: int
    plan_key: Hashable | None


class PreparedOperations:
    """The prepared path of one app: its schema's documents, its engine and read pool."""

    def __init__(
        self,
        schema: GraphQLSchema,
        checks: DocumentChecks,
        engine: AsyncEngine,
        settings: Settings,
        pool: ReadPool,
    ) -> None:
        self.schema = schema
        self.checks = checks
        self.engine = engine
        self.settings = settings
        self.pool = pool
        self.operations: LruCache[Prepared | None] = LruCache(PREPARED_CACHE_SIZE)
        self.bindings: LruCache[Binding | None] = LruCache(BINDINGS_CACHE_SIZE)

    def prepared(self, text: str, operation_name: str | None) -> Prepared | None:
        key = (text, operation_name)
        return self.operations.remembered(key, lambda: self._prepare(text, operation_name))

    def _prepare(self, text: str, operation_name: str | None) -> Prepared | None:
        known = known_operation(self.checks, text, operation_name, OperationType.QUERY)
        if known is None:
            return None
        rebindable = rebindable_cursors(known.operation, known.fragments.values())
        return Prepared(known.text, known.document, known.operation, known.fragments, rebindable)

    async def answer(
        self,
        text: str,
        operation_name: str | None,
        given: dict[str, Any],
        actor: Actor,
        today: date,
    ) -> bytes | None:
        """The response body for this request, or None: the usual path answers it."""
        prepared = self.prepared(text, operation_name)
        if prepared is None:
            return None
        binding = self.bound(prepared, operation_name, given)
        if binding is None:
            return None
        plan = self.plan(prepared, operation_name, given, binding, actor)
        if plan is None or plan.refuses or not plan.permits(actor) or not plan.driver_ready:
            return None
        cursors = plan.cursor_parameters(binding.variables)
        if cursors is None:
            return None
        try:
            data = await self.data(plan, statement_parameters(actor, today, cursors), actor)
        except ReadPoolUnavailable:
            return None
        body: dict[str, Any] = {"data": data}
        extensions = cost_report(binding.cost, self.settings)
        if extensions:
            body["extensions"] = extensions
        return orjson.dumps(body)

    def bound(
        self, prepared: Prepared, operation_name: str | None, given: dict[str, Any]
    ) -> Binding | None:
        """``bind``, remembered by the variables' values when they are short."""
        try:
            encoded = orjson.dumps(given)
        except TypeError:
            return None  # not JSON's values: the usual path tells why
        if len(encoded) > MAX_REMEMBERED_VARIABLES:
            return self.bind(prepared, operation_name, given)
        key = (prepared.text, operation_name, encoded)
        return self.bindings.remembered(key, lambda: self.bind(prepared, operation_name, given))

    def bind(
        self, prepared: Prepared, operation_name: str | None, given: dict[str, Any]
    ) -> Binding | None:
        """The variables coerced, the cost and the plan's key; None when the variables do
        not coerce, or a limit or the cost refuses them."""
        settings = self.settings
        checked = checked_variables(self.schema, prepared, operation_name, given, settings)
        if checked is None:
            return None
        variables, cost = checked
        key = plan_key(prepared.operation, variables, settings, prepared.rebindable)
        return Binding(variables, cost, key)

    def plan(
        self,
        prepared: Prepared,
        operation_name: str | None,
        given: dict[str, Any],
        binding: Binding,
        actor: Actor,
    ) -> Plan | None:
        found, plan = PLANS.get(binding.plan_key) if binding.plan_key is not None else (False, None)
        if found:
            return plan
        context = Context(engine=self.engine, settings=self.settings, actor=actor)
        executor = CompiledReadsExecutor.build(
            self.schema, prepared.document, None, context, given, operation_name
        )
        if not isinstance(executor, CompiledReadsExecutor):
            return None
        return executor.plan(self.settings)

    async def data(self, plan: Plan, parameters: dict[str, Any], actor: Actor) -> dict[str, Any]:
        row: tuple[Any, ...] = ()
        if plan.rendered is not None:
            async with self.pool.connection() as connection:
                rendered = plan.rendered
                row = await connection.fetch_row(rendered.numbered, rendered.positional(parameters))
        return plan_data(plan, actor, row, passthrough=True)
