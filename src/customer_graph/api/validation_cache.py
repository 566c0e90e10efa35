"""Validation results remembered by the document's text.

Strawberry's ``ValidationCache`` keys its cache by the parsed document, whose hash walks
the whole syntax tree on every request: 2.5% of a one-customer read, more for a partner's
page. A string's hash is one pass in C.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from customer_graph.api.lru import LruCache


class ValidationByText(SchemaExtension):
    """Validates a document once per text and set of rules; listed after the limits,
    whose rules are part of the key."""

    def __init__(self, cache: LruCache[list[GraphQLError]]) -> None:
        super().__init__()
        self.cache = cache

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.query is None or document is None:
            yield
            return
        key = (context.query, context.validation_rules)
        _, errors = self.cache.get(key)
        if errors is None:
            errors = validate_document(context.schema._schema, document, context.validation_rules)
            self.cache.put(key, errors)
        context.pre_execution_errors = errors
        yield
