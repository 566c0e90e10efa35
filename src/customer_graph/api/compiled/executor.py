"""Where the compiled read path joins execution: graphql-core's executor, for the schema.

Strawberry parses (cached), validates (cached, with the depth, alias and token limits),
and runs its extensions (the query cost) before execution starts; this executor then
answers a read operation the compiler covers with one SQL statement (a column per root
field), when the actor holds what the root fields' permission classes require, and leaves
everything else (mutations, introspection, what the compiler does not cover, refused
permissions) to graphql-core and the resolvers, whole. ``prepared`` answers a known
read from the same plans without Strawberry or this executor.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLField,
    OperationType,
    is_non_null_type,
    located_error,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.execution.values import VariableValues
from graphql.language import (
    ArgumentNode,
    Node,
    OperationDefinitionNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from sqlalchemy import Select, select
from strawberry.permission import PermissionExtension
from strawberry.relay import NodeExtension

from customer_graph.api.compiled import compiled_reads_on
from customer_graph.api.compiled.compiler import Compiler, RootAnswer, RootError, ViewerAnswer
from customer_graph.api.compiled.connections import CursorBinding
from customer_graph.api.compiled.driver_sql import DriverStatement, fetch_row, render
from customer_graph.api.compiled.selection import strawberry_field
from customer_graph.api.compiled.sql import Unsupported
from customer_graph.api.context import Context
from customer_graph.api.errors import BadUserInput
from customer_graph.api.lru import LruCache
from customer_graph.api.permissions import RolePermission
from customer_graph.api.strawberry_internals import ExecutionContextBase, strawberry_schema_of
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.settings import Settings

logger = logging.getLogger(__name__)

RootPlan = list[tuple[str, GraphQLField, list[FieldDetails], RootAnswer | str]]


@dataclass(frozen=True)
class Plan:
    roots: RootPlan
    cursors: tuple[CursorBinding, ...]
    """Cursor variables whose values are bound when the statements run."""
    statement: Select[Any] | None
    """One row of the JSON text of every root field that needs SQL, in the roots' order:
    one round trip, one snapshot, however many root fields."""
    rendered: DriverStatement | None
    """The statement as the driver takes it, when it can (``driver_sql.render``)."""
    required: frozenset[Permission]
    """What the root fields' permission classes require: an actor who may do all of it is
    answered by the plan; any other gets the resolvers, and their errors."""

    @property
    def refuses(self) -> bool:
        """Whether a root field's arguments are refused (``RootError``): the answer has
        errors."""
        return any(isinstance(answer, RootError) for *_, answer in self.roots)

    @property
    def driver_ready(self) -> bool:
        """Whether the driver can run the plan as rendered (or it needs no statement)."""
        return self.statement is None or self.rendered is not None

    def permits(self, actor: Actor) -> bool:
        return self.required <= actor.permissions

    def cursor_parameters(self, variables: VariableValues) -> dict[str, Any] | None:
        """This request's cursor values for the plan's parameters; None if one is invalid."""
        parameters: dict[str, Any] = {}
        for binding in self.cursors:
            try:
                parameters.update(binding.parameters(variables.coerced[binding.variable]))
            except BadUserInput:
                return None
        return parameters


PLAN_CACHE_SIZE = 32
"""A partner page's plan holds about 1 MB of SQL expressions: at most 32 MB a process."""

PLANS: LruCache[Plan | None] = LruCache(PLAN_CACHE_SIZE)
"""Plans by operation text, variables (a cursor variable only by whether it is given) and
page-size settings: the next page of a partner's query is not compiled again."""

CURSOR_VARIABLES: LruCache[frozenset[str]] = LruCache(PLAN_CACHE_SIZE * 4)


def cursor_variables(
    operation: OperationDefinitionNode, fragments: Iterable[Node]
) -> frozenset[str]:
    """Variables used as an ``after`` or ``before`` argument and nowhere else."""
    as_cursor: set[str] = set()
    elsewhere: set[str] = set()

    class Uses(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if isinstance(node.value, VariableNode):
                uses = as_cursor if node.name.value in ("after", "before") else elsewhere
                uses.add(node.value.name.value)

        def enter_variable(self, node: VariableNode, key: Any, parent: Any, *_: Any) -> None:
            if not isinstance(parent, (ArgumentNode, VariableDefinitionNode)):
                elsewhere.add(node.name.value)

    for node in (operation, *fragments):
        visit(node, Uses())
    return frozenset(as_cursor - elsewhere)


def rebindable_cursors(
    operation: OperationDefinitionNode, fragments: Iterable[Node]
) -> frozenset[str]:
    """``cursor_variables``, remembered by the operation's text and place."""
    location = operation.loc
    if location is None:
        return frozenset()
    key = (location.source.body, location.start)
    return CURSOR_VARIABLES.remembered(key, lambda: cursor_variables(operation, fragments))


def plan_key(
    operation: OperationDefinitionNode,
    variables: VariableValues,
    settings: Settings,
    rebindable: frozenset[str],
) -> Hashable | None:
    """What the plan depends on; None when that cannot be told cheaply."""
    location = operation.loc
    if location is None:
        return None
    values: dict[str, Any] = {
        name: source.value for name, source in variables.sources.items() if name not in rebindable
    }
    coerced = variables.coerced
    values.update({f"${name}": coerced.get(name) is None for name in rebindable})
    encoded = orjson.dumps(values, default=repr, option=orjson.OPT_SORT_KEYS)
    return (
        location.source.body,
        location.start,
        encoded,
        settings.default_page_size,
        settings.max_page_size,
    )


def root_permissions(field: GraphQLField) -> frozenset[Permission] | None:
    """What the root field's permission classes require of the actor; None when one of
    them decides by more than that (the resolvers then answer)."""
    required: set[Permission] = set()
    for extension in strawberry_field(field).extensions:
        if isinstance(extension, NodeExtension):
            continue  # how relay resolves ids; the compiled statement does that
        if not isinstance(extension, PermissionExtension):
            return None
        for permission in extension.permissions:
            if not isinstance(permission, RolePermission):
                return None
            required.add(permission.required)
    return frozenset(required)


def one_statement(answers: list[Select[Any]]) -> Select[Any] | None:
    """The root fields' statements as one: a column of each's JSON text."""
    if len(answers) <= 1:
        return answers[0] if answers else None
    return select(*(answer.scalar_subquery() for answer in answers))


def plan_data(
    plan: Plan, actor: Actor, row: Sequence[str | None], passthrough: bool
) -> dict[str, Any]:
    """The operation's ``data`` from the plan's row: each root field's JSON, embedded as
    the database wrote it (``passthrough``, for an encoder that takes ``orjson.Fragment``)
    or parsed."""
    data: dict[str, Any] = {}
    texts = iter(row)
    for key, _field, _details, answer in plan.roots:
        if isinstance(answer, str):
            data[key] = answer
        elif isinstance(answer, ViewerAnswer):
            data[key] = answer(actor)
        elif isinstance(answer, RootError):
            data[key] = None
        else:
            text = next(texts)
            if text is None:
                data[key] = None
            elif passthrough:
                data[key] = orjson.Fragment(text)
            else:
                data[key] = orjson.loads(text)
    return data


def statement_parameters(actor: Actor, today: date, cursors: dict[str, Any]) -> dict[str, Any]:
    return {"today": today, **actor.sql_parameters(), **cursors}


class CompiledReadsExecutor(ExecutionContextBase):
    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if (
            self.operation.operation is not OperationType.QUERY
            or not isinstance(context, Context)
            or not compiled_reads_on(context.settings, context.engine)
        ):
            return super().execute_operation(serially)
        plan = self.plan(context.settings)
        if plan is None:
            return super().execute_operation(serially)
        return self.answer(plan, serially)

    def plan(self, settings: Settings) -> Plan | None:
        """The operation's plan for these variables, compiled unless remembered."""
        fragments = (details.definition for details in self.fragments.values())
        rebindable = rebindable_cursors(self.operation, fragments)
        key = plan_key(self.operation, self.variable_values, settings, rebindable)
        found, plan = PLANS.get(key) if key is not None else (False, None)
        if not found:
            plan, for_these_values = self.compiled_plan(settings, rebindable)
            if for_these_values:
                key = plan_key(self.operation, self.variable_values, settings, frozenset())
            if key is not None:
                PLANS.put(key, plan)
        return plan

    def compiled_plan(
        self, settings: Settings, rebindable: frozenset[str]
    ) -> tuple[Plan | None, bool]:
        """The statement of each root field, or None when the resolvers must answer; and
        whether that is so only for these values of the cursor variables."""
        root_type = self.schema.query_type
        assert root_type is not None
        collected = collect_fields(
            self.schema,
            self.fragments,
            self.variable_values,
            root_type,
            self.operation,
            self.hide_suggestions,
        )
        if collected.new_defer_usages:
            return None, False
        compiler = Compiler(
            self.schema,
            strawberry_schema_of(self.schema),
            self.fragments,
            self.variable_values,
            self.operation,
            settings,
            rebindable,
        )
        roots: RootPlan = []
        required: set[Permission] = set()
        try:
            for key, details in collected.grouped_field_set.items():
                name = details[0].node.name.value
                field = root_type.fields.get(name)
                if name == "__typename":
                    roots.append((key, root_type.fields["viewer"], details, root_type.name))
                    continue
                permissions = root_permissions(field) if field is not None else None
                if field is None or permissions is None:
                    return None, False
                required |= permissions
                roots.append((key, field, details, compiler.root_field(field, details)))
        except Unsupported as reason:
            logger.debug("the resolvers answer: %s", reason)
            return None, reason.for_these_values
        statement = one_statement([answer for *_, answer in roots if isinstance(answer, Select)])
        dialect = self.context_value.engine.dialect
        rendered = render(statement, dialect) if statement is not None else None
        cursors = tuple(compiler.cursor_bindings)
        return Plan(roots, cursors, statement, rendered, frozenset(required)), False

    async def answer(self, plan: Plan, serially: bool | None) -> Any:
        context: Context = self.context_value
        cursors = plan.cursor_parameters(self.variable_values)
        if cursors is None or not plan.permits(context.actor):
            fallback = super().execute_operation(serially)
            return await fallback if isinstance(fallback, Awaitable) else fallback
        row: Sequence[str | None] = ()
        if plan.statement is not None:
            parameters = statement_parameters(context.actor, context.today, cursors)
            async with context.engine.connect() as connection:
                # The statement reads one consistent snapshot by itself: no transaction to
                # open, nor to roll back when the connection goes back to the pool.
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                if plan.rendered is not None:
                    row = await fetch_row(connection, plan.rendered, parameters)
                else:
                    row = (await connection.execute(plan.statement, parameters)).one()
        context.answered_compiled = True
        data = plan_data(plan, context.actor, row, context.json_passthrough)
        return ExecutionResult(*root_errors(plan, data))


def root_errors(
    plan: Plan, data: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[GraphQLError] | None]:
    """The data and errors as graphql-core gives them when root fields' resolvers raise the
    plan's ``RootError``s: each error at its field, and no data at all when the field may
    not be null."""
    errors = [
        located_error(answer.error, [detail.node for detail in details], [key])
        for key, _field, details, answer in plan.roots
        if isinstance(answer, RootError)
    ]
    if not errors:
        return data, None
    nullable = all(
        not is_non_null_type(field.type)
        for _key, field, _details, answer in plan.roots
        if isinstance(answer, RootError)
    )
    return (data if nullable else None), errors
