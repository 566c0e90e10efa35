"""Limits that depend on the request's variables: page sizes, ids, and the cost.

The cost is the number of nodes a request may return: each connection's page size
(``first``/``last``, or the default) and each ``nodes(ids:)`` list's length, multiplied
by those of the lists it is nested in, summed over the operation (GitHub's node limit).
It is computed from the values execution will use (the variables coerced as graphql-core
coerces them, their defaults included), before execution, for queries, mutations and
subscriptions alike; refused above the limit, and reported in the response's
``extensions``. A page size that is negative, too large or not a whole number, and a list
of ids longer than allowed, are refused first (``BAD_USER_INPUT``).

What the text alone refuses (depth, aliases, tokens, size) is in ``checked_documents``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_operation_ast,
    visit,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.execution.values import VariableValues, get_variable_values
from graphql.pyutils import Undefined
from graphql.utilities.coerce_input_value import coerce_input_literal
from strawberry.extensions import SchemaExtension

from customer_graph.api.document_shape import (
    fragment_definitions,
    per_fragment,
)
from customer_graph.api.errors import BadUserInput
from customer_graph.api.lru import LruCache
from customer_graph.api.strawberry_internals import graphql_core_schema
from customer_graph.settings import Settings

PAGE_SIZES = ("first", "last")
IDS = "ids"


def _variables_in(value: ValueNode) -> Iterator[str]:
    if isinstance(value, VariableNode):
        yield value.name.value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from _variables_in(item)
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _variables_in(field.value)


@dataclass(frozen=True)
class SizeVariables:
    """The variables a document gives to page sizes and to lists of ids."""

    page_sizes: frozenset[str]
    ids: frozenset[str]

    @classmethod
    def of(cls, document: DocumentNode) -> SizeVariables:
        page_sizes: set[str] = set()
        ids: set[str] = set()

        class Uses(Visitor):
            def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
                name = node.name.value
                if name in PAGE_SIZES:
                    page_sizes.update(_variables_in(node.value))
                elif name == IDS:
                    ids.update(_variables_in(node.value))

        visit(document, Uses())
        return cls(frozenset(page_sizes), frozenset(ids))

    def key(self, given: Mapping[str, Any]) -> bytes:
        """The values given to these variables, told apart by type (100 is not 100.0)."""
        return orjson.dumps(
            [[name, given[name]] for name in sorted(self.page_sizes | self.ids) if name in given],
            default=repr,
        )


def _shown(value: Any) -> str:
    return orjson.dumps(value, default=repr).decode()


@dataclass(frozen=True)
class Assessment:
    cost: int | None
    """None when the variables do not fit their types: execution reports that."""
    errors: tuple[GraphQLError, ...] = ()


class _Sizes:
    """The page sizes and id counts of one operation's fields, and its cost."""

    def __init__(
        self,
        schema: GraphQLSchema,
        variables: VariableValues,
        refused: Mapping[str, str],
        settings: Settings,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.refused = refused
        """Variables whose given value is refused before coercion, each with how it is shown."""
        self.settings = settings
        self.errors: list[GraphQLError] = []

    def _value(self, argument: ArgumentNode | None, definition: GraphQLArgument) -> Any:
        """The argument's value as execution will see it; None when absent or refused."""
        if argument is None:
            return None
        value = argument.value
        if isinstance(value, VariableNode) and value.name.value in self.refused:
            self._refuse_value(argument, self.refused[value.name.value])
            return None
        coerced = coerce_input_literal(value, definition.type, self.variables)
        return None if coerced is Undefined else coerced

    def _refuse_value(self, argument: ArgumentNode, shown: str) -> None:
        settings = self.settings
        if argument.name.value == IDS:
            message = f"`ids` may hold at most {settings.max_node_ids} ids; it held {shown}."
        else:
            message = (
                f"`{argument.name.value}` must be a whole number between 0 and "
                f"{settings.max_page_size}; it was {shown}."
            )
        self.errors.append(BadUserInput(message, argument))

    def size(self, field: FieldNode, definition: GraphQLField) -> int | None:
        """How many nodes the field may return, or None when it is not a list of nodes."""
        arguments = {argument.name.value: argument for argument in field.arguments or ()}
        if IDS in definition.args:
            ids = arguments.get(IDS)
            value = self._value(ids, definition.args[IDS])
            if not isinstance(value, list):
                return 0
            if ids is not None and len(value) > self.settings.max_node_ids:
                self._refuse_value(ids, str(len(value)))
            return len(value)
        if not get_named_type(definition.type).name.endswith("Connection"):
            return None
        sizes = []
        for name in PAGE_SIZES:
            argument = arguments.get(name)
            if argument is None or name not in definition.args:
                continue
            value = self._value(argument, definition.args[name])
            if value is None:
                continue
            if not 0 <= value <= self.settings.max_page_size:
                self.errors.append(
                    BadUserInput(
                        f"`{name}` must be between 0 and {self.settings.max_page_size}; "
                        f"it was {value}.",
                        argument,
                    )
                )
            sizes.append(value)
        return max(sizes, default=self.settings.default_page_size)

    def unit_cost(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        fragments: Mapping[str, int],
    ) -> int:
        """Nodes the selection may return for one ``parent``."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields = (
                    parent.fields
                    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
                    else {}
                )
                definition = fields.get(selection.name.value)
                if definition is None:
                    continue
                inner = (
                    self.unit_cost(
                        selection.selection_set, get_named_type(definition.type), fragments
                    )
                    if selection.selection_set is not None
                    else 0
                )
                size = self.size(selection, definition)
                total += inner if size is None else size + size * inner
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.unit_cost(selection.selection_set, target, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragments.get(selection.name.value, 0)
        return total

    def fragment_cost(self, fragment: FragmentDefinitionNode, measured: Mapping[str, int]) -> int:
        target = self.schema.get_type(fragment.type_condition.name.value)
        return self.unit_cost(fragment.selection_set, target, measured)


def _refused_variables(
    given: Mapping[str, Any], uses: SizeVariables, settings: Settings
) -> dict[str, str]:
    """Given values refused before coercion: a page size given as a fraction (100.0
    included, which coercion would take for 100), a list of ids too long to coerce.
    Values of another type are left to coercion, which reports them as it does for any
    variable."""
    refused = {
        name: _shown(given[name]) for name in uses.page_sizes if isinstance(given.get(name), float)
    }
    refused.update(
        (name, str(len(given[name])))
        for name in uses.ids
        if isinstance(given.get(name), list) and len(given[name]) > settings.max_node_ids
    )
    return refused


def assess(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    given: Mapping[str, Any],
    uses: SizeVariables,
    settings: Settings,
) -> Assessment:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return Assessment(None)
    refused = _refused_variables(given, uses, settings)
    counted = uses.page_sizes | uses.ids
    definitions = [
        definition
        for definition in operation.variable_definitions or ()
        if definition.variable.name.value in counted
        and definition.variable.name.value not in refused
    ]
    variables = get_variable_values(schema, definitions, dict(given))
    if isinstance(variables, list):
        return Assessment(None)
    sizes = _Sizes(schema, variables, refused, settings)
    fragments = per_fragment(fragment_definitions(document), sizes.fragment_cost)
    root = schema.get_root_type(operation.operation)
    cost = 1 + sizes.unit_cost(operation.selection_set, root, fragments)
    return Assessment(cost, tuple(sizes.errors))


ASSESSMENT_CACHE_SIZE = 1024
_assessments: LruCache[Assessment] = LruCache(ASSESSMENT_CACHE_SIZE)
_size_variables: LruCache[SizeVariables] = LruCache(ASSESSMENT_CACHE_SIZE // 4)


def size_variables(text: str, document: DocumentNode) -> SizeVariables:
    return _size_variables.remembered(text, lambda: SizeVariables.of(document))


def assessed(
    schema: GraphQLSchema,
    text: str,
    document: DocumentNode,
    operation_name: str | None,
    given: Mapping[str, Any],
    settings: Settings,
) -> Assessment:
    """``assess``, remembered by the text, the operation and the values its sizes take."""
    uses = size_variables(text, document)
    key = (
        text,
        operation_name,
        uses.key(given),
        settings.default_page_size,
        settings.max_page_size,
        settings.max_node_ids,
    )
    return _assessments.remembered(
        key, lambda: assess(schema, document, operation_name, given, uses, settings)
    )


def over_cost(cost: int | None, settings: Settings) -> GraphQLError | None:
    """The error that refuses an operation of this cost, or None."""
    if cost is None or cost <= settings.max_query_cost:
        return None
    return GraphQLError(
        f"This query could return up to {cost} nodes; the limit is "
        f"{settings.max_query_cost}. Ask for smaller pages (first/last).",
        extensions={"code": "MAX_COST_EXCEEDED"},
    )


def cost_report(cost: int | None, settings: Settings) -> dict[str, Any]:
    """What a response's ``extensions`` say of its cost."""
    if cost is None:
        return {}
    return {"cost": {"requestedNodes": cost, "limit": settings.max_query_cost}}


class QueryCost(SchemaExtension):
    """Checks page sizes and ids and refuses a costly operation, as a validation step:
    a subscription is refused as a query is (an ``on_execute`` hook does not stop a
    subscription from starting)."""

    cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and document is not None and context.query:
            settings: Settings = context.context.settings
            assessment = assessed(
                graphql_core_schema(context.schema),
                context.query,
                document,
                context.operation_name,
                context.variables or {},
                settings,
            )
            self.cost = assessment.cost
            refusal = over_cost(self.cost, settings)
            if assessment.errors:
                context.pre_execution_errors = list(assessment.errors)
            elif refusal is not None:
                context.pre_execution_errors = [refusal]
        yield

    def get_results(self) -> dict[str, Any]:
        return cost_report(self.cost, self.execution_context.context.settings)


class CsrfForMutations(SchemaExtension):
    """A browser session must prove its origin (the X-CSRF-Token header) to change anything."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.operation_type.value == "mutation" and not context.context.csrf_verified:
            context.result = GraphQLExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "This change needs the X-CSRF-Token header of your session.",
                        extensions={"code": "FORBIDDEN"},
                    )
                ],
            )
        yield
