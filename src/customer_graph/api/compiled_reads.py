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
from collections import OrderedDict
from collections.abc import Awaitable, Hashable
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLField, OperationType
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.pyutils import Path
from sqlalchemy import Select
from strawberry.permission import PermissionExtension
from strawberry.relay.fields import NodeExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from customer_graph.api.compiler import (
    Compiler,
    RootAnswer,
    Unsupported,
    ViewerAnswer,
    strawberry_field,
)
from customer_graph.api.context import Context
from customer_graph.settings import Settings

logger = logging.getLogger(__name__)

RootPlan = list[tuple[str, GraphQLField, list[FieldDetails], RootAnswer | str]]


PLAN_CACHE_SIZE = 32
"""A partner page's plan holds about 1 MB of SQL expressions: at most 32 MB a process."""


class PlanCache:
    """Plans by operation text, variables and page-size settings: a repeated read (the
    same page of a partner's query) is not compiled again."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._plans: OrderedDict[Hashable, RootPlan | None] = OrderedDict()

    def get(self, key: Hashable) -> tuple[bool, RootPlan | None]:
        if key not in self._plans:
            return False, None
        self._plans.move_to_end(key)
        return True, self._plans[key]

    def put(self, key: Hashable, plan: RootPlan | None) -> None:
        self._plans[key] = plan
        if len(self._plans) > self.maxsize:
            self._plans.popitem(last=False)


PLANS = PlanCache(PLAN_CACHE_SIZE)


class CompiledReadsExecutor(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if (
            self.operation.operation is not OperationType.QUERY
            or not isinstance(context, Context)
            or not context.settings.compiled_reads
            or context.engine.dialect.name != "postgresql"
        ):
            return super().execute_operation(serially)
        key = self.plan_key(context.settings)
        found, plan = PLANS.get(key) if key is not None else (False, None)
        if not found:
            plan = self.compiled_plan(context.settings)
            if key is not None:
                PLANS.put(key, plan)
        if plan is None:
            return super().execute_operation(serially)
        return self.answer(plan, serially)

    def plan_key(self, settings: Settings) -> Hashable | None:
        """What the plan depends on; None when that cannot be told cheaply."""
        location = self.operation.loc
        if location is None:
            return None
        variables = {name: source.value for name, source in self.variable_values.sources.items()}
        encoded = orjson.dumps(variables, default=repr, option=orjson.OPT_SORT_KEYS)
        return (
            location.source.body,
            location.start,
            encoded,
            settings.default_page_size,
            settings.max_page_size,
        )

    def compiled_plan(self, settings: Settings) -> RootPlan | None:
        """The statement of each root field, or None when the resolvers must answer."""
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
            return None
        compiler = Compiler(
            self.schema,
            self.schema._strawberry_schema,  # type: ignore[attr-defined]
            self.fragments,
            self.variable_values,
            self.operation,
            settings,
        )
        plan: RootPlan = []
        try:
            for key, details in collected.grouped_field_set.items():
                name = details[0].node.name.value
                field = root_type.fields.get(name)
                if name == "__typename":
                    plan.append((key, root_type.fields["viewer"], details, root_type.name))
                elif field is None:
                    return None
                else:
                    plan.append((key, field, details, compiler.root_field(field, details)))
        except Unsupported as reason:
            logger.debug("the resolvers answer: %s", reason)
            return None
        return plan

    async def permitted(self, key: str, field: GraphQLField, details: list[FieldDetails]) -> bool:
        """Whether the root field's permission classes allow it, asked as the resolver would."""
        definition = strawberry_field(field)
        root_type = self.schema.query_type
        assert root_type is not None
        raw_info = self.build_resolve_info(
            field, [detail.node for detail in details], root_type, Path(None, key, root_type.name)
        )
        info: Info[Context, None] = Info(_raw_info=raw_info, _field=definition)
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

    async def answer(self, plan: RootPlan, serially: bool | None) -> Any:
        context: Context = self.context_value
        for key, field, details, statement in plan:
            if not isinstance(statement, str) and not await self.permitted(key, field, details):
                fallback = super().execute_operation(serially)
                return await fallback if isinstance(fallback, Awaitable) else fallback
        data: dict[str, Any] = {}
        if not any(isinstance(statement, Select) for *_, statement in plan):
            for key, _field, _details, statement in plan:
                data[key] = statement(context.actor) if callable(statement) else statement
            context.answered_compiled = True
            return ExecutionResult(data, None)
        async with context.engine.connect() as connection:
            # Each statement reads one consistent snapshot by itself: no transaction to
            # open, nor to roll back when the connection goes back to the pool.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for key, _field, _details, statement in plan:
                if isinstance(statement, str):
                    data[key] = statement
                    continue
                if isinstance(statement, ViewerAnswer):
                    data[key] = statement(context.actor)
                    continue
                parameters = {"today": context.today, **context.actor.sql_parameters()}
                result = await connection.execute(statement, parameters)
                text = result.scalar_one()
                if text is None:
                    data[key] = None
                elif context.json_passthrough:
                    data[key] = orjson.Fragment(text)
                else:
                    data[key] = orjson.loads(text)
        context.answered_compiled = True
        return ExecutionResult(data, None)
