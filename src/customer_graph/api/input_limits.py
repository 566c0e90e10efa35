"""What any argument may hold, checked once before anything runs: text without NUL
characters and no longer than its limit, lists no longer than theirs.

PostgreSQL refuses text with a NUL character, SQLite refuses a LIKE pattern past 50,000
bytes, and both refuse a statement with more parameters than they take: a value that gets
that far fails in the database. So the limits hold for every argument and input field,
read or write, on both databases; a field's own rules (a name's length, a tag's) are
narrower and say so in its userErrors.

- ``max_text_length`` (10,000 by default) for any text, ``max_search_length`` (200) for
  the ``search`` of a customer list, and ``max_list_length`` (1,000 items) for any list.
- A query that breaks one is refused whole, BAD_USER_INPUT
  (``InputLimitsCheck`` below); a mutation answers its payload with a userError for the field
  (``api.mutations.common.InputProblemsAsUserErrors``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from customer_graph.api.errors import BadUserInput
from customer_graph.api.lru import LruCache
from customer_graph.api.strawberry_internals import graphql_core_schema
from customer_graph.settings import Settings

MAX_REPORTED = 10
"""Problems reported in one refusal; a list of 1,000 bad items is not 1,000 errors."""


@dataclass(frozen=True)
class InputLimits:
    text: int
    items: int
    text_by_name: Mapping[str, int] = field(default_factory=dict)
    """Narrower limits for arguments and input fields of these names."""

    @classmethod
    def of(cls, settings: Settings) -> InputLimits:
        return cls(
            text=settings.max_text_length,
            items=settings.max_list_length,
            text_by_name={"search": settings.max_search_length},
        )


@dataclass(frozen=True)
class InputProblem:
    path: tuple[str | int, ...]
    """Argument name, then input field names and list indexes."""
    message: str


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(part for part in path if isinstance(part, str))


def value_problems(
    value: Any, limits: InputLimits, path: tuple[str | int, ...]
) -> Iterator[InputProblem]:
    """The problems of an argument's coerced value (input objects are dicts)."""
    if isinstance(value, str):
        names = [part for part in path if isinstance(part, str)]
        limit = limits.text_by_name.get(names[-1], limits.text) if names else limits.text
        if "\x00" in value:
            yield InputProblem(path, f"`{_dotted(path)}` contains a NUL character.")
        elif len(value) > limit:
            yield InputProblem(path, f"`{_dotted(path)}` is longer than {limit} characters.")
    elif isinstance(value, list):
        if len(value) > limits.items:
            yield InputProblem(path, f"`{_dotted(path)}` has more than {limits.items} items.")
            return
        for index, item in enumerate(value):
            yield from value_problems(item, limits, (*path, index))
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from value_problems(item, limits, (*path, name))


def argument_problems(
    definition: GraphQLField,
    node: FieldNode,
    variables: VariableValues,
    limits: InputLimits,
    *,
    named: bool = True,
) -> list[InputProblem]:
    """The problems of a field's arguments, with paths from the argument's name (or from
    inside it, when not ``named``); none when they do not coerce (execution says why)."""
    if not node.arguments:
        return []
    try:
        arguments = get_argument_values(definition, node, variables)
    except GraphQLError:
        return []
    return [
        problem
        for name, value in arguments.items()
        for problem in value_problems(value, limits, (name,) if named else ())
    ]


class _ArgumentWalker:
    """Every field with arguments in an operation, each fragment visited once."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], schema: Any) -> None:
        self.fragments = fragments
        self.schema = schema
        self.seen: set[str] = set()

    def fields(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None
    ) -> Iterator[tuple[GraphQLObjectType | GraphQLInterfaceType, GraphQLField, FieldNode]]:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                    continue
                definition = parent.fields.get(selection.name.value)
                if definition is None:
                    continue
                yield parent, definition, selection
                yield from self.fields(selection.selection_set, get_named_type(definition.type))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                yield from self.fields(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in self.seen:
                    continue
                self.seen.add(name)
                target = self.schema.get_type(fragment.type_condition.name.value)
                yield from self.fields(fragment.selection_set, target)


def may_hold_text_or_list(type_: GraphQLInputType) -> bool:
    """Whether a value of this type can hold text or a list (enums, numbers and booleans
    cannot break a limit)."""
    named = get_nullable_type(type_)
    if isinstance(named, GraphQLList | GraphQLInputObjectType):
        return True
    return isinstance(named, GraphQLScalarType) and named.name not in ("Int", "Float", "Boolean")


CHECKED_FIELDS: LruCache[tuple[tuple[GraphQLField, FieldNode], ...]] = LruCache(512)
"""The fields worth checking in an operation, by its document's text and position."""


def checked_fields(
    schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Any
) -> tuple[tuple[GraphQLField, FieldNode], ...]:
    """The fields of ``operation`` given an argument that may hold text or a list; a
    mutation's own root fields are left out (the mutation answers for them)."""
    key = (operation.loc.source.body, operation.loc.start) if operation.loc else None
    found, fields = CHECKED_FIELDS.get(key) if key is not None else (False, None)
    if found and fields is not None:
        return fields
    mutation_root = schema.mutation_type if operation.operation is OperationType.MUTATION else None
    walker = _ArgumentWalker(fragments, schema)
    fields = tuple(
        (definition, node)
        for parent, definition, node in walker.fields(
            operation.selection_set, schema.get_root_type(operation.operation)
        )
        if parent is not mutation_root
        and any(
            may_hold_text_or_list(definition.args[argument.name.value].type)
            for argument in node.arguments or ()
            if argument.name.value in definition.args
        )
    )
    if key is not None:
        CHECKED_FIELDS.put(key, fields)
    return fields


class InputLimitsCheck(SchemaExtension):
    """Refuses a query whose arguments break a limit, before it runs.

    A mutation's own arguments are left to the mutation, which answers a userError.
    Strawberry runs a subscription whatever this hook says; its one argument is an id,
    which its resolver refuses unless it is a customer's.
    """

    def on_execute(self) -> Iterator[None]:
        problems = [] if self.execution_context.result else self._problems()
        if problems:
            self.execution_context.result = GraphQLExecutionResult(
                data=None, errors=[BadUserInput(problem.message) for problem in problems]
            )
        yield

    def _problems(self) -> list[InputProblem]:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return []
        operation = _chosen_operation(document.definitions, context.operation_name)
        if operation is None:
            return []
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return operation_problems(
            graphql_core_schema(context.schema),
            operation,
            fragments,
            context.variables or {},
            context.context.settings,
        )


def operation_problems(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    given: Mapping[str, Any],
    settings: Settings,
) -> list[InputProblem]:
    """What breaks a limit in the operation's arguments, for these variables (at most
    ``MAX_REPORTED``); none when the variables do not coerce (execution says why)."""
    fields = checked_fields(schema, operation, fragments)
    if not fields:
        return []
    variables = get_variable_values(schema, operation.variable_definitions or (), dict(given))
    if not isinstance(variables, VariableValues):
        return []
    limits = InputLimits.of(settings)
    problems: list[InputProblem] = []
    for definition, node in fields:
        problems.extend(argument_problems(definition, node, variables, limits))
        if len(problems) >= MAX_REPORTED:
            break
    return problems[:MAX_REPORTED]


def _chosen_operation(definitions: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if name is None or (operation.name is not None and operation.name.value == name):
            return operation
    return None
