"""The one module that uses Strawberry's internals.

Strawberry's public API leaves out a few things this service builds on: the graphql-core
schema behind a Strawberry schema, the graphql-core resolve info behind an ``Info``, its
executor class, its conversion of arguments and its validation rules. Each is a private
attribute, or a name its module does not export (not in its ``__all__``), and any
Strawberry release may change it without notice.

Every other module uses Strawberry's public names only (``tests/test_strawberry_internals.py``
fails otherwise), so after an upgrade this is the module to look at; the tests that exercise
it are those of the compiled read path, the limits, the schema's contract and the mutations.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import DocumentNode, GraphQLError, GraphQLField, GraphQLResolveInfo, GraphQLSchema
from graphql.validation import ASTValidationRule
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema import StreamResult as _StreamResult
from strawberry.schema.schema import validate_document as strawberry_validation
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info
from strawberry.types.arguments import convert_arguments
from strawberry.types.execution import PreExecutionError as _PreExecutionError
from strawberry.types.field import StrawberryField

__all__ = [
    "ExecutionContextBase",
    "PreExecutionError",
    "RequestProtocol",
    "StreamResult",
    "graphql_core_schema",
    "raw_info",
    "resolver_arguments",
    "strawberry_field_of",
    "strawberry_schema_of",
    "validate_document",
]


def graphql_core_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema Strawberry built (its private ``_schema``).

    The document checks, the query cost and the input limits validate documents, coerce
    variables and look up fields' definitions with graphql-core, which needs this schema;
    Strawberry hands extensions only its own.
    """
    return schema._schema


def strawberry_schema_of(schema: GraphQLSchema) -> strawberry.Schema:
    """The Strawberry schema that built ``schema`` (the private ``_strawberry_schema``
    Strawberry attaches to it).

    graphql-core's executor knows only its own schema; the compiled read path, which runs
    inside it, needs Strawberry's to convert arguments and to find the class behind a type.
    """
    found = getattr(schema, "_strawberry_schema", None)
    if not isinstance(found, strawberry.Schema):
        raise TypeError("this graphql-core schema was not built by Strawberry")
    return found


def strawberry_field_of(field: GraphQLField) -> StrawberryField | None:
    """The Strawberry field behind a graphql-core field, or None for one Strawberry did not
    define (introspection's).

    The compiled read path reads its Python name, arguments, resolver and extensions;
    Strawberry keeps it in the field's ``extensions`` under a key of its own.
    """
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return definition if isinstance(definition, StrawberryField) else None


def raw_info(info: Info[Any, Any]) -> GraphQLResolveInfo[Any]:
    """graphql-core's resolve info behind ``info`` (its private ``_raw_info``).

    A mutation's input is checked against the limits before the mutation runs, with
    graphql-core's argument coercion: that needs the field's definition
    (``parent_type.fields[field_name]``) and its node in the document (``field_nodes``),
    which ``Info`` does not show.
    """
    return info._raw_info


def resolver_arguments(
    schema: strawberry.Schema, field: StrawberryField, values: dict[str, Any]
) -> dict[str, Any]:
    """Argument values coerced by graphql-core, as the field's resolver receives them:
    Python names, input types as their classes, custom scalars parsed.

    The compiled read path reads arguments (filters, orders) as the resolvers do, with
    Strawberry's own conversion so that both paths agree.
    """
    converted: dict[str, Any] = convert_arguments(
        values,
        field.arguments,
        scalar_registry=schema.schema_converter.scalar_registry,
        config=schema.config,
    )
    return converted


def validate_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """graphql-core's validation of ``document`` by ``rules`` and the rules Strawberry adds
    to every validation (``Maybe``'s nulls, ``@oneOf`` inputs).

    The document checks validate once per document text, outside Strawberry's pipeline,
    and must refuse exactly what that pipeline would.
    """
    return strawberry_validation(schema, document, rules)


ExecutionContextBase = StrawberryGraphQLCoreExecutionContext
"""Strawberry's graphql-core executor. The compiled read path's executor extends it, so
that what it leaves to the resolvers runs as under Strawberry's own executor (the
operation's extensions, variables as a plain dict in ``info``)."""

StreamResult = _StreamResult
"""What ``Schema.stream`` answers; the schema overrides it to refuse a document early."""

PreExecutionError = _PreExecutionError
"""A result refused before execution, as ``Schema.stream`` yields it."""

RequestProtocol = BaseRequestProtocol
"""The request the HTTP view's ``should_render_graphql_ide`` hook is given."""
