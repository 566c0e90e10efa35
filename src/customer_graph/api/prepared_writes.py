"""Prepared writes: a known create or update answered without Strawberry's execution.

A mutation document whose one root field creates or updates a record (its input type
declares it: ``crud.creates``, ``crud.updates``) and whose payload asks for that record,
``userErrors`` and ``__typename`` only, gets a ``WritePlan`` once: the mutation's field,
the record write, and the record's selection compiled to SQL by the compiled read path
(returned by the write itself when it reads the record's row alone). A request is then:
coerce the variables, check the limits and the cost, convert the input as the resolver
receives it, run the same command in the same unit of work as ``run_mutation`` does, and
write PostgreSQL's JSON of the record, or the refusal's userErrors (``refused``, as
``run_mutation`` gives them), into the body.

Anything else answers None and the request goes the usual way, which gives every error:
a document that is not such a mutation, a browser session without its CSRF header,
variables that do not coerce, a limit or the cost exceeded, an actor who may not see the
record, a connection lost before the commit. None of those has written anything. A
failure once the command has run (perhaps committed) is answered as an error at the
mutation's field and never run again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
    located_error,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import Node, Visitor, visit
from sqlalchemy import ColumnElement, Text, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.permission import PermissionExtension

from customer_graph.api.checked_documents import DocumentChecks
from customer_graph.api.compiled.compiler import Compiler
from customer_graph.api.compiled.connections import Source
from customer_graph.api.compiled.driver_sql import DriverStatement, fetch_row, render
from customer_graph.api.compiled.executor import statement_parameters
from customer_graph.api.compiled.prepared import KnownOperation, checked_variables, known_operation
from customer_graph.api.compiled.selection import strawberry_field
from customer_graph.api.compiled.sql import Unsupported
from customer_graph.api.input_limits import InputLimits, argument_problems
from customer_graph.api.limits import cost_report
from customer_graph.api.lru import LruCache
from customer_graph.api.mutations.common import (
    REFUSALS,
    InputProblemsAsUserErrors,
    UserError,
    refused,
)
from customer_graph.api.mutations.crud import RECORD_WRITES, RecordWrite
from customer_graph.api.permissions import CanViewCustomers, CanViewPayload
from customer_graph.api.readmodel import ENTITIES, reads_own_row
from customer_graph.api.strawberry_internals import resolver_arguments, strawberry_schema_of
from customer_graph.db.change_feed import Broker
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import HandBack
from customer_graph.domain.unit_of_work import ConnectionLost, unit_of_work
from customer_graph.settings import Settings

log = logging.getLogger(__name__)

WRITE_PLANS_CACHE_SIZE = 256
"""As many as the documents whose checks are remembered (``DocumentChecks``)."""

USER_ERRORS = "userErrors"
TYPENAME = "__typename"
RECORD = "record"
PAYLOAD = "payload"

PayloadKey = tuple[str, str]
"""A payload's response key, and what it answers: ``RECORD``, ``USER_ERRORS`` (none, on
success) or ``TYPENAME``."""


@dataclass(frozen=True)
class WritePlan:
    key: str
    """The mutation's response key."""
    field: GraphQLField
    field_node: FieldNode
    known: KnownOperation
    record_write: RecordWrite
    payload_type: str
    payload: tuple[PayloadKey, ...]
    user_error: tuple[tuple[str, str], ...]
    """The selection of each userError: its response keys and fields."""
    read: DriverStatement
    """The record as the payload selects it, as JSON text, by ``record_id``: read after the
    commit, as the resolvers read what the record's own row does not hold."""
    returning: tuple[ColumnElement[Any], ...] | None
    """What the write returns for its payload (``HandBack``), the same JSON text labelled
    ``payload`` among them, when the payload reads the record's own row alone; a write that
    returned no row (an update that changed nothing) is read with ``read``."""


class _Unprepared(Exception):
    """The document is not one the prepared path answers."""


def _found(nodes: list[Node], kind: type[Node]) -> bool:
    """Whether any of ``nodes`` holds a node of ``kind``."""
    found = False

    class Finder(Visitor):
        def enter(self, node: Node, *_: Any) -> None:
            nonlocal found
            found = found or isinstance(node, kind)

    for node in nodes:
        visit(node, Finder())
    return found


def _shaped(error: UserError, selection: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    values = {
        "field": error.field,
        "code": error.code.name,
        "message": error.message,
        TYPENAME: "UserError",
    }
    return {key: values[name] for key, name in selection}


def _only_limits_check(field: GraphQLField) -> bool:
    """The mutation field's extensions are the input limits' alone, which ``answer``
    checks itself."""
    return all(
        isinstance(extension, InputProblemsAsUserErrors)
        for extension in strawberry_field(field).extensions
    )


def _payload_record_read(field: GraphQLField) -> bool:
    """The payload's record field is guarded by ``CanViewPayload`` alone."""
    for extension in strawberry_field(field).extensions:
        if not isinstance(extension, PermissionExtension):
            return False
        if any(not isinstance(permission, CanViewPayload) for permission in extension.permissions):
            return False
    return True


class PreparedWrites:
    """The prepared write path of one app: its schema, engine and change feed."""

    def __init__(
        self,
        schema: GraphQLSchema,
        checks: DocumentChecks,
        engine: AsyncEngine,
        settings: Settings,
        feed: Broker,
        report: Callable[[list[GraphQLError]], None],
    ) -> None:
        self.schema = schema
        self.checks = checks
        self.engine = engine
        self.settings = settings
        self.feed = feed
        self.report = report
        self.plans: LruCache[WritePlan | None] = LruCache(WRITE_PLANS_CACHE_SIZE)

    def plan(self, text: str, operation_name: str | None) -> WritePlan | None:
        key = (text, operation_name)
        return self.plans.remembered(key, lambda: self._planned(text, operation_name))

    def _planned(self, text: str, operation_name: str | None) -> WritePlan | None:
        if self.engine.dialect.name != "postgresql":
            return None
        known = known_operation(self.checks, text, operation_name, OperationType.MUTATION)
        if known is None:
            return None
        try:
            return self._plan_of(known)
        except (_Unprepared, Unsupported) as reason:
            log.debug("the resolvers answer: %s", reason)
            return None

    def _plan_of(self, known: KnownOperation) -> WritePlan:
        operation, fragments = known.operation, known.fragments
        if _found([operation.selection_set, *fragments.values()], DirectiveNode):
            raise _Unprepared("directives")
        details = {name: FragmentDetails(node) for name, node in fragments.items()}
        no_variables = VariableValues({}, coerced={})
        mutation_type = self.schema.mutation_type
        assert mutation_type is not None
        roots = collect_fields(self.schema, details, no_variables, mutation_type, operation)
        if len(roots.grouped_field_set) != 1 or roots.new_defer_usages:
            raise _Unprepared("not one root field")
        ((key, field_details),) = roots.grouped_field_set.items()
        if len(field_details) != 1:
            raise _Unprepared("the root field asked for twice")
        field_node = field_details[0].node
        if field_node.selection_set is None:
            raise _Unprepared("a payload without a selection")
        if _found([field_node.selection_set, *fragments.values()], VariableNode):
            raise _Unprepared("variables outside the mutation's input")
        field = mutation_type.fields.get(field_node.name.value)
        if field is None or not _only_limits_check(field):
            raise _Unprepared("not a record write")
        arguments = strawberry_field(field).arguments
        if len(arguments) != 1:
            raise _Unprepared("not one input")
        input_type = arguments[0].type
        record_write = RECORD_WRITES.get(input_type) if isinstance(input_type, type) else None
        if record_write is None:
            raise _Unprepared("not a record write")
        payload_type = get_named_type(field.type)
        if not isinstance(payload_type, GraphQLObjectType):
            raise _Unprepared("a payload that is not an object")
        payload, user_error, read, returning = self._payload(
            operation, details, record_write, payload_type, list(field_details)
        )
        return WritePlan(
            key,
            field,
            field_node,
            known,
            record_write,
            payload_type.name,
            payload,
            user_error,
            read,
            returning,
        )

    def _payload(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        record_write: RecordWrite,
        payload_type: GraphQLObjectType,
        field_details: list[FieldDetails],
    ) -> tuple[
        tuple[PayloadKey, ...],
        tuple[tuple[str, str], ...],
        DriverStatement,
        tuple[ColumnElement[Any], ...] | None,
    ]:
        no_variables = VariableValues({}, coerced={})
        collected = collect_subfields(
            self.schema, fragments, no_variables, operation, payload_type, field_details
        )
        entity = ENTITIES[record_write.entity]
        payload: list[PayloadKey] = []
        read: DriverStatement | None = None
        returning: tuple[ColumnElement[Any], ...] | None = None
        user_error: tuple[tuple[str, str], ...] = ()
        for key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == USER_ERRORS:
                user_error = self._user_error(operation, fragments, payload_type, list(details))
            if name in (USER_ERRORS, TYPENAME):
                payload.append((key, name))
                continue
            field = payload_type.fields.get(name)
            record_type = get_named_type(field.type) if field is not None else None
            if (
                field is None
                or not isinstance(record_type, GraphQLObjectType)
                or record_type.name != record_write.entity
                or not _payload_record_read(field)
                or read is not None
            ):
                raise _Unprepared(f"{payload_type.name}.{name}")
            compiler = Compiler(
                self.schema,
                strawberry_schema_of(self.schema),
                fragments,
                no_variables,
                operation,
                self.settings,
            )
            source = Source(entity, entity.table.alias("w"))
            node = compiler.node(record_type, details, source)
            statement = select(node.cast(Text)).select_from(source.from_)
            statement = statement.where(source.key == bindparam("record_id"))
            read = render(statement, self.engine.dialect)
            if read is None:
                raise _Unprepared("a read the driver cannot take as it is")
            own_row = compiler.node(record_type, details, Source(entity, entity.table))
            if entity.own_row_columns is not None and reads_own_row(own_row, entity.table):
                returning = (*entity.own_row_columns, own_row.cast(Text).label(PAYLOAD))
            payload.append((key, RECORD))
        if read is None:
            raise _Unprepared("a payload without its record")
        return tuple(payload), user_error, read, returning

    def _user_error(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        payload_type: GraphQLObjectType,
        details: list[FieldDetails],
    ) -> tuple[tuple[str, str], ...]:
        user_error_type = get_named_type(payload_type.fields[USER_ERRORS].type)
        assert isinstance(user_error_type, GraphQLObjectType)
        no_variables = VariableValues({}, coerced={})
        collected = collect_subfields(
            self.schema, fragments, no_variables, operation, user_error_type, details
        )
        return tuple(
            (key, field_details[0].node.name.value)
            for key, field_details in collected.grouped_field_set.items()
        )

    async def answer(
        self,
        text: str,
        operation_name: str | None,
        given: dict[str, Any],
        actor: Actor,
        today: date,
        *,
        csrf_verified: bool,
    ) -> bytes | None:
        """The response body for this request, or None: the usual path answers it."""
        plan = self.plan(text, operation_name)
        if plan is None or not csrf_verified or not actor.can(CanViewCustomers.required):
            return None
        data = self._input(plan, operation_name, given)
        if data is None:
            return None
        cost, input_object = data
        hand_back = HandBack(plan.returning) if plan.returning is not None else None
        command = plan.record_write.command(input_object, today, hand_back)
        record: str | None = None
        commanded = False
        try:
            async with unit_of_work(self.engine, self.feed) as connection:
                result = await command(connection, actor)
                commanded = True
                if hand_back is not None and hand_back.row is not None:
                    record = hand_back.row[PAYLOAD]
        except REFUSALS as refusal:
            return self._body(plan, None, cost, refused(refusal))  # rolled back
        except ConnectionLost:
            return None  # nothing was written: the usual path runs it again
        except Exception as error:
            if not commanded:
                return None  # rolled back, as above
            return self._failed(plan, error)  # perhaps committed: never run again
        if record is None:
            try:
                record = await self._read(plan, result.record_id, actor, today)
            except Exception as error:
                return self._failed(plan, error)
        return self._body(plan, record, cost)

    async def _read(self, plan: WritePlan, record_id: int, actor: Actor, today: date) -> str:
        """The record as the payload selects it, read once the write is committed, as the
        resolvers read a payload's related records (its history among them)."""
        parameters = statement_parameters(actor, today, {}) | {"record_id": record_id}
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            (record,) = await fetch_row(connection, plan.read, parameters)
        return str(record)

    def _input(
        self, plan: WritePlan, operation_name: str | None, given: dict[str, Any]
    ) -> tuple[int, Any] | None:
        """The request's cost and its input as the resolver receives it; None when the
        usual path must answer (variables that do not coerce, a limit, the cost)."""
        settings = self.settings
        checked = checked_variables(self.schema, plan.known, operation_name, given, settings)
        if checked is None:
            return None
        variables, cost = checked
        limits = InputLimits.of(settings)
        if argument_problems(plan.field, plan.field_node, variables, limits, named=False):
            return None  # the mutation's userErrors (``InputProblemsAsUserErrors``)
        try:
            arguments = get_argument_values(plan.field, plan.field_node, variables)
            converted = resolver_arguments(
                strawberry_schema_of(self.schema), strawberry_field(plan.field), arguments
            )
        except Exception:
            return None
        (input_object,) = converted.values()
        return cost, input_object

    def _body(
        self, plan: WritePlan, record: str | None, cost: int, errors: Sequence[UserError] = ()
    ) -> bytes:
        """The payload: the record as PostgreSQL wrote it, or null and the userErrors, as
        the resolvers shape them."""
        payload: dict[str, Any] = {}
        for key, answer in plan.payload:
            if answer == RECORD:
                payload[key] = None if record is None else orjson.Fragment(record)
            elif answer == USER_ERRORS:
                payload[key] = [_shaped(error, plan.user_error) for error in errors]
            else:
                payload[key] = plan.payload_type
        body: dict[str, Any] = {"data": {plan.key: payload}}
        extensions = cost_report(cost, self.settings)
        if extensions:
            body["extensions"] = extensions
        return orjson.dumps(body)

    def _failed(self, plan: WritePlan, error: Exception) -> bytes:
        """The body for a write whose commit failed or is unknown: an error at the
        mutation's field, as the usual path reports a resolver's, never run again."""
        located = located_error(error, [plan.field_node], [plan.key])
        self.report([located])
        return orjson.dumps({"data": None, "errors": [located.formatted]})
