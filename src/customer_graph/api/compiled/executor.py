"""Where the compiled read path joins execution: graphql-core's executor, for the schema.

Strawberry parses (cached), validates (cached, with the depth, alias and token limits),
and runs its extensions (the query cost) before execution starts; this executor then
answers a read operation the compiler covers with one SQL statement per root field, after
the root fields' permission classes allow it, and leaves everything else (mutations,
introspection, what the compiler does not cover, refused permissions) to graphql-core and
the resolvers, whole.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLField, OperationType
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.language import (
    ArgumentNode,
    Node,
    OperationDefinitionNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from graphql.pyutils import Path
from sqlalchemy import Select
from strawberry.permission import PermissionExtension
from strawberry.relay import NodeExtension
from strawberry.types import Info

from customer_graph.api.compiled import compiled_reads_on
from customer_graph.api.compiled.compiler import Compiler, RootAnswer, ViewerAnswer
from customer_graph.api.compiled.connections import CursorBinding
from customer_graph.api.compiled.driver_sql import DriverStatement, fetch_text, render
from customer_graph.api.compiled.selection import strawberry_field
from customer_graph.api.compiled.sql import Unsupported
from customer_graph.api.context import Context
from customer_graph.api.errors import BadUserInput
from customer_graph.api.lru import LruCache
from customer_graph.api.strawberry_internals import (
    ExecutionContextBase,
    info_for,
    strawberry_schema_of,
)
from customer_graph.settings import Settings

logger = logging.getLogger(__name__)

RootPlan = list[tuple[str, GraphQLField, list[FieldDetails], RootAnswer | str]]


@dataclass(frozen=True)
class Plan:
    roots: RootPlan
    cursors: tuple[CursorBinding, ...]
    """Cursor variables whose values are bound when the statements run."""
    rendered: dict[str, DriverStatement]
    """The statements of root fields (by response key) that go to the driver as text."""


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


class CompiledReadsExecutor(ExecutionContextBase):
    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if (
            self.operation.operation is not OperationType.QUERY
            or not isinstance(context, Context)
            or not compiled_reads_on(context.settings, context.engine)
        ):
            return super().execute_operation(serially)
        rebindable = self.rebindable_cursors()
        key = self.plan_key(context.settings, rebindable)
        found, plan = PLANS.get(key) if key is not None else (False, None)
        if not found:
            plan, for_these_values = self.compiled_plan(context.settings, rebindable)
            if for_these_values:
                key = self.plan_key(context.settings, frozenset())
            if key is not None:
                PLANS.put(key, plan)
        if plan is None:
            return super().execute_operation(serially)
        return self.answer(plan, serially)

    def rebindable_cursors(self) -> frozenset[str]:
        location = self.operation.loc
        if location is None:
            return frozenset()
        key = (location.source.body, location.start)
        _, names = CURSOR_VARIABLES.get(key)
        if names is None:
            fragments = (details.definition for details in self.fragments.values())
            names = cursor_variables(self.operation, fragments)
            CURSOR_VARIABLES.put(key, names)
        return names

    def plan_key(self, settings: Settings, rebindable: frozenset[str]) -> Hashable | None:
        """What the plan depends on; None when that cannot be told cheaply."""
        location = self.operation.loc
        if location is None:
            return None
        variables: dict[str, Any] = {
            name: source.value
            for name, source in self.variable_values.sources.items()
            if name not in rebindable
        }
        coerced = self.variable_values.coerced
        variables.update({f"${name}": coerced.get(name) is None for name in rebindable})
        encoded = orjson.dumps(variables, default=repr, option=orjson.OPT_SORT_KEYS)
        return (
            location.source.body,
            location.start,
            encoded,
            settings.default_page_size,
            settings.max_page_size,
        )

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
        try:
            for key, details in collected.grouped_field_set.items():
                name = details[0].node.name.value
                field = root_type.fields.get(name)
                if name == "__typename":
                    roots.append((key, root_type.fields["viewer"], details, root_type.name))
                elif field is None:
                    return None, False
                else:
                    roots.append((key, field, details, compiler.root_field(field, details)))
        except Unsupported as reason:
            logger.debug("the resolvers answer: %s", reason)
            return None, reason.for_these_values
        dialect = self.context_value.engine.dialect
        rendered = {
            key: driver_statement
            for key, _field, _details, answer in roots
            if isinstance(answer, Select) and (driver_statement := render(answer, dialect))
        }
        return Plan(roots, tuple(compiler.cursor_bindings), rendered), False

    def cursor_parameters(self, plan: Plan) -> dict[str, Any] | None:
        """This request's cursor values for the plan's parameters; None if one is invalid."""
        parameters: dict[str, Any] = {}
        for binding in plan.cursors:
            try:
                parameters.update(
                    binding.parameters(self.variable_values.coerced[binding.variable])
                )
            except BadUserInput:
                return None
        return parameters

    async def permitted(self, key: str, field: GraphQLField, details: list[FieldDetails]) -> bool:
        """Whether the root field's permission classes allow it, asked as the resolver would."""
        definition = strawberry_field(field)
        root_type = self.schema.query_type
        assert root_type is not None
        raw_info = self.build_resolve_info(
            field, [detail.node for detail in details], root_type, Path(None, key, root_type.name)
        )
        info: Info[Context, None] = info_for(raw_info, definition)
        for extension in definition.extensions:
            if isinstance(extension, NodeExtension):
                continue  # how relay resolves ids; the compiled statement does that
            if not isinstance(extension, PermissionExtension):
                return False
            for permission in extension.permissions:
                allowed = permission.has_permission(None, info)
                if isinstance(allowed, Awaitable):
                    allowed = await allowed
                if allowed is not True:
                    return False
        return True

    async def answer(self, plan: Plan, serially: bool | None) -> Any:
        context: Context = self.context_value
        cursors = self.cursor_parameters(plan)
        permitted = [
            isinstance(statement, str) or await self.permitted(key, field, details)
            for key, field, details, statement in plan.roots
        ]
        if cursors is None or not all(permitted):
            fallback = super().execute_operation(serially)
            return await fallback if isinstance(fallback, Awaitable) else fallback
        data: dict[str, Any] = {}
        if not any(isinstance(statement, Select) for *_, statement in plan.roots):
            for key, _field, _details, statement in plan.roots:
                data[key] = statement(context.actor) if callable(statement) else statement
            context.answered_compiled = True
            return ExecutionResult(data, None)
        async with context.engine.connect() as connection:
            # Each statement reads one consistent snapshot by itself: no transaction to
            # open, nor to roll back when the connection goes back to the pool.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            parameters = {"today": context.today, **context.actor.sql_parameters(), **cursors}
            for key, _field, _details, statement in plan.roots:
                if isinstance(statement, str):
                    data[key] = statement
                    continue
                if isinstance(statement, ViewerAnswer):
                    data[key] = statement(context.actor)
                    continue
                if key in plan.rendered:
                    text = await fetch_text(connection, plan.rendered[key], parameters)
                else:
                    text = (await connection.execute(statement, parameters)).scalar_one()
                if text is None:
                    data[key] = None
                elif context.json_passthrough:
                    data[key] = orjson.Fragment(text)
                else:
                    data[key] = orjson.loads(text)
        context.answered_compiled = True
        return ExecutionResult(data, None)
