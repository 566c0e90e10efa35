"""Limits for a partner-facing API: depth, aliases, tokens, and a cost computed up front.

The cost is the number of nodes a request may return: each connection's page size
(``first``/``last``, or the default) multiplied by the page sizes of the connections it
is nested in, summed over the document (GitHub's node limit). It is computed before
execution, refused above the limit, and reported in the response's ``extensions``.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    VariableNode,
    get_named_type,
)
from graphql.error import GraphQLSyntaxError
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from customer_graph.settings import Settings


def limiters(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Depth, alias and token limits as per-request factories over rules built once.

    A limiter built per request would make new rule classes each time, and the validation
    cache, keyed by the rules, would never hit.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    return [
        lambda: AddValidationRules(rules),
        lambda: TokenLimiter(max_token_count=settings.max_tokens),
    ]


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


class TokenLimiter(MaxTokensLimiter):
    """Strawberry's token limit, with an oversized document refused before it is lexed.

    Listed before the parser cache, so its check runs first.
    """

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query is not None:
            beyond = first_token_beyond(query, self.max_token_count)
            if beyond is not None:
                raise GraphQLSyntaxError(
                    Source(query),
                    beyond,
                    f"Document contains more than {self.max_token_count} tokens. Parsing aborted.",
                )
        yield


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_size = default_size

    def _page_size(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in ("first", "last"):
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int):
                    return given
        return self.default_size

    def _fields(
        self, selection_set: SelectionSetNode, parent: Any
    ) -> Iterator[tuple[FieldNode, Any]]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    yield from self._fields(fragment.selection_set, target)

    def cost(self, selection_set: SelectionSetNode | None, parent: Any, multiplier: int) -> int:
        if selection_set is None or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        total = 0
        for field, owner in self._fields(selection_set, parent):
            definition = owner.fields.get(field.name.value) if owner is not None else None
            if definition is None:
                continue
            child = get_named_type(definition.type)
            if child.name.endswith("Connection"):
                size = multiplier * self._page_size(field)
                total += size + self.cost(field.selection_set, child, size)
            else:
                total += self.cost(field.selection_set, child, multiplier)
        return total


def query_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    default_size: int,
) -> int:
    root = schema.get_root_type(operation.operation)
    walker = _CostWalker(schema, fragments, variables, default_size)
    return 1 + walker.cost(operation.selection_set, root, 1)


COST_CACHE_SIZE = 1024
_costs: OrderedDict[Hashable, int | None] = OrderedDict()


def _cost_key(context: Any, default_size: int) -> Hashable | None:
    """What the cost depends on: the document, the operation, the integer variables (page
    sizes) and the default page size; a cursor or a filter in the variables does not count."""
    if context.query is None:
        return None
    sizes = tuple(
        sorted(
            (name, value)
            for name, value in (context.variables or {}).items()
            if isinstance(value, int) and not isinstance(value, bool)
        )
    )
    return (context.query, context.operation_name, sizes, default_size)


class QueryCost(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        settings: Settings = context.context.settings
        key = _cost_key(context, settings.default_page_size)
        if key is not None and key in _costs:
            _costs.move_to_end(key)
            self.cost: int | None = _costs[key]
        else:
            self.cost = self._compute_cost(settings)
            if key is not None:
                _costs[key] = self.cost
                if len(_costs) > COST_CACHE_SIZE:
                    _costs.popitem(last=False)
        if self.cost is not None and self.cost > settings.max_query_cost:
            context.result = GraphQLExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"This query could return up to {self.cost} nodes; the limit is "
                        f"{settings.max_query_cost}. Ask for smaller pages (first/last).",
                        extensions={"code": "MAX_COST_EXCEEDED"},
                    )
                ],
            )
        yield

    def _compute_cost(self, settings: Settings) -> int | None:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        chosen = [
            op
            for op in operations
            if context.operation_name is None
            or (op.name is not None and op.name.value == context.operation_name)
        ]
        if not chosen:
            return None
        return query_cost(
            context.schema._schema,
            chosen[0],
            fragments,
            context.variables or {},
            settings.default_page_size,
        )

    def get_results(self) -> dict[str, Any]:
        cost = getattr(self, "cost", None)
        if cost is None:
            return {}
        limit = self.execution_context.context.settings.max_query_cost
        return {"cost": {"requestedNodes": cost, "limit": limit}}


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
