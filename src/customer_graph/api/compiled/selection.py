"""The selection of a read operation as the compiler walks it: graphql-core's own field
collection (fragments, aliases, ``@include``/``@skip``, variables), each field's arguments
as its resolver receives them, and one dispatch over the selected fields of an object."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import strawberry
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import OperationDefinitionNode
from strawberry.types.field import StrawberryField

from customer_graph.api.compiled.sql import (
    Expr,
    Unsupported,
    const,
    json_object,
)
from customer_graph.api.strawberry_internals import resolver_arguments, strawberry_field_of
from customer_graph.settings import Settings

T = TypeVar("T")
FieldDetailsList = list[FieldDetails]


class ArgumentsRefused(Unsupported):
    """A field's arguments do not convert as its resolver would receive them: ``error`` is
    what the resolver's conversion raises."""

    def __init__(self, error: Exception) -> None:
        super().__init__("arguments that do not convert")
        self.error = error


class Selection:
    """One validated read operation, and names for its statement's aliases."""

    def __init__(
        self,
        schema: GraphQLSchema,
        strawberry_schema: strawberry.Schema,
        fragments: dict[str, FragmentDetails],
        variable_values: VariableValues,
        operation: OperationDefinitionNode,
        settings: Settings,
        rebindable: frozenset[str] = frozenset(),
    ) -> None:
        self.schema = schema
        self.strawberry_schema = strawberry_schema
        self.fragments = fragments
        self.variable_values = variable_values
        self.operation = operation
        self.settings = settings
        self.rebindable = rebindable
        self.names = itertools.count()

    def subfields(
        self, return_type: GraphQLObjectType, details: FieldDetailsList
    ) -> Mapping[str, FieldDetailsList]:
        if any(detail.defer_usage is not None for detail in details):
            raise Unsupported("@defer")
        collected = collect_subfields(
            self.schema,
            self.fragments,
            self.variable_values,
            self.operation,
            return_type,
            details,
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def arguments(self, field: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (Python names, input types)."""
        detail = details[0]
        if detail.fragment_variable_values is not None:
            raise Unsupported("fragment arguments")
        try:
            raw = get_argument_values(field, detail.node, self.variable_values)
            return resolver_arguments(self.strawberry_schema, strawberry_field(field), raw)
        except Exception as error:
            raise ArgumentsRefused(error) from None

    def each_field(
        self,
        object_type: GraphQLObjectType,
        selected: Mapping[str, FieldDetailsList],
        answer: Callable[[str, GraphQLField, FieldDetailsList], T],
        typename: T,
    ) -> list[tuple[str, T]]:
        """Each selected field's response key and answer: ``typename`` for ``__typename``,
        and ``answer(name, field, details)`` for the others, in the selection's order."""
        answered: list[tuple[str, T]] = []
        for key, field_details in selected.items():
            name = field_details[0].node.name.value
            if name == "__typename":
                answered.append((key, typename))
            else:
                answered.append((key, answer(name, object_type.fields[name], field_details)))
        return answered

    def object_json(
        self,
        object_type: GraphQLObjectType,
        details: FieldDetailsList,
        answer: Callable[[str, GraphQLField, FieldDetailsList], Expr],
    ) -> Expr:
        """The selected fields of one object as JSON, each answered by ``answer``."""
        selected = self.subfields(object_type, details)
        return json_object(self.each_field(object_type, selected, answer, const(object_type.name)))

    def name(self, prefix: str) -> str:
        return f"{prefix}_{next(self.names)}"


def strawberry_field(field: GraphQLField) -> StrawberryField:
    definition = strawberry_field_of(field)
    if definition is None:
        raise Unsupported("a field Strawberry did not define")
    return definition


def field_extensions(field: GraphQLField) -> list[Any]:
    return list(strawberry_field(field).extensions)
