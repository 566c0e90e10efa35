"""What a document's text alone decides, decided once per text: does it parse, is it
within the depth, alias, token and size limits, is it valid.

Every step is bounded by the size of the text, in this order: the tokens are counted
before the lexer sees them; the parsed document is measured with each fragment measured
once (``document_shape``) before any rule walks it; graphql-core's rule that compares
fields of one name (quadratic in them) gets a smaller budget than its own. The answer,
a document or the errors that refuse it, is remembered by the text: Strawberry's caches
key by the parsed document, whose hash walks the whole syntax tree on every request,
where a string's hash is one pass in C, kept by the string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OverlappingFieldsCanBeMergedRule,
    Source,
    ValidationContext,
    parse,
    specified_rules,
)
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from customer_graph.api.document_shape import operation_shapes
from customer_graph.api.lru import LruCache
from customer_graph.api.strawberry_internals import validate_document
from customer_graph.settings import Settings

FIELD_COMPARISON_BUDGET = 10_000
"""Work units graphql-core's ``OverlappingFieldsCanBeMergedRule`` may spend on a document
(about 2 µs each) before it gives up: its own budget, 500,000, lets 800 repetitions of
``viewer { name }`` take a second. The app's own documents spend at most 2."""


class BoundedOverlappingFields(OverlappingFieldsCanBeMergedRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.rule_context.remaining_complexity_budget = FIELD_COMPARISON_BUDGET


VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = tuple(
    BoundedOverlappingFields if rule is OverlappingFieldsCanBeMergedRule else rule
    for rule in specified_rules
)

ABORTED = "Validation aborted."
"""graphql-core's whole message when a document exhausts a rule's budget or nests its
fragments too deeply."""


_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""'  # block string
    r'|"(?:[^"\\\n]|\\.)*"'  # string
    r"|#[^\n\r]*"  # comment: not a token
    r"|\.\.\.|[!$&():=@\[\]{}|]"  # punctuators
    r"|[-+.\w]+"  # names and numbers (a number's parts count once)
)


def first_token_beyond(document: str, limit: int) -> int | None:
    """Where token ``limit + 1`` starts, or None; the count never exceeds the lexer's.

    graphql-core's lexer takes about 20 µs a token, so a 10,000-token document cost
    0.1 s before the parser's own limit stopped it at 5,000; a regular expression
    counts them in about a twentieth of that.
    """
    if len(document) <= limit:
        return None
    count = 0
    for match in _TOKEN.finditer(document):
        if document[match.start()] != "#":
            count += 1
            if count > limit:
                return match.start()
    return None


def _detached(error: GraphQLError) -> GraphQLError:
    """The error without the syntax tree it points into, its locations kept: a refused
    document's tree (a few hundred objects a kilobyte) is not kept alive by its refusal."""
    if not error.nodes:
        return error
    detached = GraphQLError(error.message, extensions=error.extensions)
    detached.locations = error.locations
    return detached


def _coded(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


@dataclass(frozen=True)
class Checked:
    document: DocumentNode | None
    """The parsed document, when nothing refuses it."""
    errors: tuple[GraphQLError, ...]
    """What refuses the document: a syntax error, a limit, or the validation's errors."""


class DocumentChecks:
    """Documents by text, parsed, measured and validated once (least recently used go)."""

    def __init__(self, schema: GraphQLSchema, settings: Settings, size: int = 256) -> None:
        self.schema = schema
        self.settings = settings
        self.cache: LruCache[Checked] = LruCache(size)

    def check(self, text: str) -> Checked:
        return self.cache.remembered(text, lambda: self._check(text))

    def refusal(self, text: str | None) -> tuple[GraphQLError, ...] | None:
        """The errors that refuse this text whatever the request, or None."""
        if not text:
            return None
        errors = self.check(text).errors
        return errors or None

    def _check(self, text: str) -> Checked:
        limit = self.settings.max_tokens
        beyond = first_token_beyond(text, limit)
        if beyond is not None:
            message = f"Document contains more than {limit} tokens. Parsing aborted."
            return Checked(None, (GraphQLSyntaxError(Source(text), beyond, message),))
        try:
            document = parse(text, max_tokens=limit)
        except GraphQLError as error:
            return Checked(None, (error.with_traceback(None),))
        refused = self._limits(document)
        if refused:
            return Checked(None, tuple(_detached(error) for error in refused))
        errors = validate_document(self.schema, document, VALIDATION_RULES)
        if any(error.message == ABORTED for error in errors):
            errors = [
                _coded(
                    "This document is too complex to validate: it repeats fields of one "
                    "name too often or nests fragments too deeply.",
                    "DOCUMENT_TOO_COMPLEX",
                )
            ]
        if errors:
            return Checked(None, tuple(_detached(error) for error in errors))
        return Checked(document, ())

    def _limits(self, document: DocumentNode) -> list[GraphQLError]:
        settings = self.settings
        shapes = operation_shapes(document)
        errors = []
        for operation, shape in shapes:
            if shape.depth > settings.max_query_depth:
                name = operation.name.value if operation.name else "anonymous"
                errors.append(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {settings.max_query_depth}",
                        operation,
                        extensions={"code": "MAX_DEPTH_EXCEEDED"},
                    )
                )
        aliases = sum(shape.aliases for _, shape in shapes)
        if aliases > settings.max_aliases:
            errors.append(
                _coded(
                    f"{aliases} aliases found. Allowed: {settings.max_aliases}",
                    "MAX_ALIASES_EXCEEDED",
                )
            )
        fields = sum(shape.fields for _, shape in shapes)
        if fields > settings.max_expanded_fields:
            errors.append(
                _coded(
                    f"This document selects {fields} fields once its fragments are "
                    f"expanded; the limit is {settings.max_expanded_fields}.",
                    "MAX_FIELDS_EXCEEDED",
                )
            )
        return errors


class CheckedDocuments(SchemaExtension):
    """Hands Strawberry the parsed document and its validation from ``DocumentChecks``.

    The schema refuses what the text alone refuses before the extensions run (an
    extension cannot refuse a subscription without breaking its stream), so here a
    document is a cache hit that passed.
    """

    def __init__(self, checks: DocumentChecks) -> None:
        super().__init__()
        self.checks = checks

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            checked = self.checks.check(context.query)
            if checked.document is None:  # only where the schema's refusal was bypassed
                first = checked.errors[0]  # remembered: raised as a copy
                raise GraphQLError(
                    first.message,
                    source=first.source,
                    positions=first.positions,
                    extensions=first.extensions,
                )
            context.graphql_document = checked.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.pre_execution_errors = list(self.checks.check(context.query).errors)
        yield
