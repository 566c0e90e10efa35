"""Connections in SQL: a keyset page of an entity's rows (a ``LATERAL`` subquery), its
edges, cursors, ``pageInfo`` and ``totalCount``, and cursor variables bound per request."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    get_named_type,
)
from graphql.language import VariableNode
from sqlalchemy import (
    Column,
    ColumnElement,
    FromClause,
    Select,
    Text,
    bindparam,
    false,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.sql.util import ClauseAdapter

from customer_graph.api.compiled.selection import (
    FieldDetailsList,
    Selection,
)
from customer_graph.api.compiled.sql import (
    EMPTY_ARRAY,
    Expr,
    Unsupported,
    const,
    cursor_text,
    json_object,
)
from customer_graph.api.pagination import (
    PageRequest,
    decode_cursor,
    page_conditions,
    value_parsers,
    value_type,
)
from customer_graph.api.readmodel import (
    Entity,
)
from customer_graph.domain.keyset import SortKey, order_clauses


@dataclass(frozen=True)
class CursorBinding:
    """The sort-key values of a cursor variable, bound when the statement runs: one plan
    serves every page a client asks for."""

    variable: str
    keys: tuple[SortKey, ...]
    ordering: str
    names: tuple[str, ...]
    parsers: tuple[Callable[[Any], Any], ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parsers", value_parsers(self.keys))

    def parameters(self, cursor: str) -> dict[str, Any]:
        """Raises ``BadUserInput`` for a cursor that is not valid here."""
        values = decode_cursor(cursor, self.keys, self.ordering, self.parsers)
        return dict(zip(self.names, values, strict=True))


class Source:
    """The rows of one entity as they appear in the statement: a page, an alias."""

    def __init__(self, entity: Entity, from_: FromClause) -> None:
        self.entity = entity
        self.from_ = from_
        self._adapter: ClauseAdapter | None = None

    def __call__(self, expr: Any) -> Expr:
        """A read-model expression of this entity, over this source's rows."""
        if hasattr(expr, "__clause_element__"):
            expr = expr.__clause_element__()
        if isinstance(expr, Column) and expr.table is self.entity.table:
            return cast("Expr", self.from_.c[expr.key])
        if self._adapter is None:
            self._adapter = ClauseAdapter(self.from_)
        return cast("Expr", self._adapter.traverse(expr))

    @property
    def key(self) -> Expr:
        return self(self.entity.key)


@dataclass(frozen=True)
class Page:
    """What a connection lists: where its rows come from and how they are ordered."""

    entity: Entity
    source: FromClause
    conditions: Sequence[ColumnElement[bool]]
    keys: Sequence[SortKey]
    request: PageRequest
    correlate: FromClause | None = None
    cursor_variables: tuple[str | None, str | None] = (None, None)
    """The variables ``after`` and ``before`` come from, when bound per request."""


class Connections(Selection):
    """The connections of an operation; each edge's node is answered by ``node``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_bindings: list[CursorBinding] = []

    def node(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, source: Source
    ) -> Expr:
        """One object of an entity as JSON: the compiler's, which pages call for edges."""
        raise NotImplementedError

    def connection(self, field: GraphQLField, details: FieldDetailsList, page: Page) -> Expr:
        """``totalCount``, ``pageInfo`` and ``edges`` of one keyset page, as JSON."""
        connection_type = get_named_type(field.type)
        assert isinstance(connection_type, GraphQLObjectType)
        request = page.request
        selected = self.subfields(connection_type, details)
        numbered = any(fd[0].node.name.value == "pageInfo" for fd in selected.values())
        rows: FromClause | None = None

        def page_rows() -> FromClause:
            nonlocal rows
            if rows is None:
                rows = self.page_rows(page, numbered=numbered)
            return rows

        def answer(name: str, field: GraphQLField, field_details: FieldDetailsList) -> Expr:
            if name == "totalCount":
                return self.total_count(page)
            if name == "edges":
                edge_type = get_named_type(field.type)
                assert isinstance(edge_type, GraphQLObjectType)
                found = page_rows()
                edge = self.edge(edge_type, field_details, page, found)
                edges: Expr
                if numbered:
                    position = found.c["_rn"].desc() if request.backwards else found.c["_rn"]
                    edges = func.json_agg(aggregate_order_by(edge, position)).filter(
                        found.c["_rn"] <= request.limit
                    )
                else:
                    edges = func.json_agg(aggregate_order_by(edge, *self.key_order(page, found)))
                return func.coalesce(edges, EMPTY_ARRAY)
            if name == "pageInfo":
                info_type = get_named_type(field.type)
                assert isinstance(info_type, GraphQLObjectType)
                return self.page_info(info_type, field_details, page, page_rows())
            raise Unsupported(f"{connection_type.name}.{name}")

        typename = const(connection_type.name)
        built = json_object(self.each_field(connection_type, selected, answer, typename))
        if rows is None:
            return built
        # HAVING makes it one group, so one row even over an empty page.
        return select(built).select_from(rows).having(true()).scalar_subquery()

    def page_rows(self, page: Page, *, numbered: bool) -> FromClause:
        """The page's rows; when ``numbered`` (``pageInfo`` is asked for), one more row (to
        tell whether there are more) and each row's position.

        Without ``pageInfo``, as in the nested lists of a partner's page, the database skips
        a window function over every list: the page is its rows in key order.
        """
        request = page.request
        order = order_clauses(page.keys, reverse=request.backwards)
        numbering = [func.row_number().over(order_by=order).label("_rn")] if numbered else []
        query: Select[Any] = (
            select(
                *page.entity.table.c,
                *(key.expr.label(f"_k{i}") for i, key in enumerate(page.keys)),
                *numbering,
            )
            .select_from(page.source)
            .where(*page.conditions, *page_conditions(page.keys, self.bound(page)))
            .order_by(*order)
            .limit(request.limit + 1 if numbered else request.limit)
        )
        if page.correlate is not None:
            query = query.correlate(page.correlate)
        return query.lateral(self.name("p"))

    @staticmethod
    def key_order(page: Page, rows: FromClause) -> list[Any]:
        """The page's rows in the order the client reads them, by their sort-key columns."""
        return [
            rows.c[f"_k{i}"].desc() if key.descending else rows.c[f"_k{i}"].asc()
            for i, key in enumerate(page.keys)
        ]

    def cursor_variables(self, details: FieldDetailsList) -> tuple[str | None, str | None]:
        """The variables this connection's ``after`` and ``before`` come from, if rebindable."""
        found: dict[str, str] = {}
        for argument in details[0].node.arguments or ():
            value = argument.value
            if isinstance(value, VariableNode) and value.name.value in self.rebindable:
                found[argument.name.value] = value.name.value
        return found.get("after"), found.get("before")

    def bound(self, page: Page) -> PageRequest:
        """The page request with its cursors' values as named parameters, where a variable
        gives them: the statement then serves the next page with other values."""
        request = page.request
        after_variable, before_variable = page.cursor_variables
        return dataclasses.replace(
            request,
            after=self.bindcursor_text(page, request.after, after_variable),
            before=self.bindcursor_text(page, request.before, before_variable),
        )

    def bindcursor_text(
        self, page: Page, values: tuple[Any, ...] | None, variable: str | None
    ) -> tuple[Any, ...] | None:
        if variable is None or values is None:
            return values
        prefix = self.name("cursor")
        names = tuple(f"{prefix}_{i}" for i in range(len(values)))
        binding = CursorBinding(variable, tuple(page.keys), page.request.ordering, names)
        self.cursor_bindings.append(binding)
        return tuple(
            bindparam(name, value, type_=cast("Expr", key.expr).type)
            for name, value, key in zip(names, values, page.keys, strict=True)
        )

    def total_count(self, page: Page) -> Expr:
        query: Select[Any] = select(func.count()).select_from(page.source).where(*page.conditions)
        if page.correlate is not None:
            query = query.correlate(page.correlate)
        return query.scalar_subquery()

    def cursor(self, page: Page, rows: FromClause) -> Expr:
        values = []
        for i, key in enumerate(page.keys):
            python_type = value_type(key)
            if python_type is None:
                raise Unsupported("a sort key of unknown type")
            values.append((rows.c[f"_k{i}"], python_type))
        return cursor_text(page.request.ordering, values)

    def edge(
        self, edge_type: GraphQLObjectType, details: FieldDetailsList, page: Page, rows: FromClause
    ) -> Expr:
        def answer(name: str, field: GraphQLField, field_details: FieldDetailsList) -> Expr:
            if name == "cursor":
                return self.cursor(page, rows)
            if name == "node":
                node_type = get_named_type(field.type)
                assert isinstance(node_type, GraphQLObjectType)
                return self.node(node_type, field_details, Source(page.entity, rows))
            raise Unsupported(f"{edge_type.name}.{name}")

        return self.object_json(edge_type, details, answer)

    def page_info(
        self, info_type: GraphQLObjectType, details: FieldDetailsList, page: Page, rows: FromClause
    ) -> Expr:
        request = page.request
        has_more = func.count() > request.limit
        has_next: Expr
        has_previous: Expr
        if request.backwards:
            has_next = true() if request.before is not None else false()
            has_previous = has_more
        else:
            has_next = has_more
            has_previous = true() if request.after is not None else false()

        def edgecursor_text(last: bool) -> Expr:
            descending = request.backwards != last
            position = rows.c["_rn"].desc() if descending else rows.c["_rn"]
            cursors = func.array_agg(aggregate_order_by(self.cursor(page, rows), position))
            within = cursors.filter(rows.c["_rn"] <= request.limit)
            return type_coerce(within, ARRAY(Text))[1]

        def answer(name: str, _field: GraphQLField, _details: FieldDetailsList) -> Expr:
            if name == "hasNextPage":
                return has_next
            if name == "hasPreviousPage":
                return has_previous
            if name == "startCursor":
                return edgecursor_text(last=False)
            if name == "endCursor":
                return edgecursor_text(last=True)
            raise Unsupported(f"PageInfo.{name}")

        return self.object_json(info_type, details, answer)
