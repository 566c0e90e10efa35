"""The compiled read path: a read operation's selection becomes SQL, one statement per root
field, and PostgreSQL builds the JSON of the answer.

graphql-core completes every field of a response one by one (about 5 µs each, measured
on Strawberry 0.341 over graphql-core 3.3; docs/architecture.md, "The read path"). Here
the validated selection is walked once, with graphql-core's own field
collection (fragments, aliases, ``@include``/``@skip``, variables), and every field becomes
an expression of the read model (``api/readmodel.py``, the mapping the resolvers read too):
objects are ``json_build_object``, connections ``json_agg`` over a keyset page in a
``LATERAL`` subquery, references and figures correlated subqueries. Values are formatted
in SQL exactly as Strawberry serializes them (global ids, cursors, ``DateTime``,
``Decimal``), so both paths give the same JSON.

Whatever is not covered raises ``Unsupported``; the resolvers then answer the whole
operation. Errors (a bad cursor, a refused permission) are not compiled either: the
resolvers produce them.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

import orjson
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import OperationDefinitionNode, VariableNode
from sqlalchemy import (
    Column,
    ColumnElement,
    FromClause,
    Select,
    Text,
    bindparam,
    case,
    false,
    func,
    literal_column,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, aggregate_order_by
from sqlalchemy.sql.util import ClauseAdapter
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from customer_graph.api.errors import BadUserInput
from customer_graph.api.ids import MalformedId, key_of
from customer_graph.api.pagination import (
    PageRequest,
    decode_cursor,
    page_conditions,
    value_type,
)
from customer_graph.api.read_rules import (
    customer_page,
    listed_users,
    relation_page,
    relation_search,
    to_domain_filter,
    users_page,
    viewer_values,
    with_customer_number,
)
from customer_graph.api.readmodel import (
    CUSTOMER,
    ENTITIES,
    SCALAR,
    USER,
    EmbeddedList,
    Entity,
)
from customer_graph.api.strawberry_internals import resolver_arguments, strawberry_field_of
from customer_graph.domain.customer_list import customer_list_conditions
from customer_graph.domain.keyset import SortKey, order_clauses
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings

Expr = ColumnElement[Any]
T = TypeVar("T")
FieldDetailsList = list[FieldDetails]

MAX_OBJECT_KEYS = 50
"""``json_build_object`` takes at most 100 arguments: 50 keys and their values."""


class Unsupported(Exception):
    """The compiler does not cover this operation; the resolvers answer it whole."""

    def __init__(self, reason: str, *, for_these_values: bool = False) -> None:
        super().__init__(reason)
        self.for_these_values = for_these_values
        """Only these argument values are refused (a bad cursor): other values may compile."""


@dataclass(frozen=True)
class CursorBinding:
    """The sort-key values of a cursor variable, bound when the statement runs: one plan
    serves every page a client asks for."""

    variable: str
    keys: tuple[SortKey, ...]
    ordering: str
    names: tuple[str, ...]

    def parameters(self, cursor: str) -> dict[str, Any]:
        """Raises ``BadUserInput`` for a cursor that is not valid here."""
        values = decode_cursor(cursor, self.keys, self.ordering)
        return dict(zip(self.names, values, strict=True))


def _const(text: str) -> Expr:
    """A constant string in the SQL text itself (names from the schema, never user input)."""
    return literal_column("'" + text.replace("'", "''") + "'", Text)


def _concat(*parts: Expr) -> Expr:
    """``a || b || ...``: null when any part is null."""
    result = parts[0]
    for part in parts[1:]:
        result = result.op("||", return_type=Text)(part)
    return result


EMPTY_ARRAY: Expr = literal_column("'[]'::json")
NULL_JSON = _const("null")


def iso_datetime(value: Expr) -> Expr:
    """``datetime.isoformat()`` of a UTC timestamp: microseconds only when there are some."""
    utc = func.timezone(_const("UTC"), value)
    fraction = case(
        (func.date_trunc(_const("second"), utc) == utc, _const("")),
        else_=func.to_char(utc, _const(".US")),
    )
    return _concat(func.to_char(utc, _const('YYYY-MM-DD"T"HH24:MI:SS')), fraction, _const("+00:00"))


def _scalar(value: Expr, field: GraphQLField) -> Expr:
    """A column value as Strawberry serializes a leaf of this GraphQL type.

    Enums are stored by their names, which are what GraphQL answers.
    """
    named = get_named_type(field.type)
    if isinstance(named, GraphQLEnumType):
        return value
    type_name = named.name
    if type_name == "DateTime":
        return iso_datetime(value)
    if type_name == "Decimal":
        return value.cast(Text)
    if type_name in ("String", "Int", "Boolean", "Date", "Float", "JSON"):
        return value
    raise Unsupported(f"scalar {type_name}")


def _global_id(type_name: str, key: Expr) -> Expr:
    """``GlobalID(type_name, str(key))`` as relay serializes it: standard base64."""
    text = _concat(_const(f"{type_name}:"), key.cast(Text))
    return func.encode(func.convert_to(text, _const("UTF8")), _const("base64"))


def _cursor_value(value: Expr, python_type: type[Any]) -> Expr:
    """One sort-key value as orjson writes it in a cursor (``pagination.encode_cursor``)."""
    if python_type is bool or python_type is date or python_type is str:
        text = func.to_json(value).cast(Text)
    elif python_type is datetime:
        text = func.to_json(iso_datetime(value)).cast(Text)
    elif python_type is Decimal:
        text = func.to_json(value.cast(Text)).cast(Text)
    elif issubclass(python_type, int):
        text = value.cast(Text)
    else:
        raise Unsupported(f"cursor of {python_type.__name__}")
    return func.coalesce(text, NULL_JSON)


def _cursor(ordering: str, values: Sequence[tuple[Expr, type[Any]]]) -> Expr:
    """``encode_cursor``: URL-safe base64, unpadded, of ``[ordering, *values]`` in JSON."""
    parts: list[Expr] = [_const("[" + orjson.dumps(ordering).decode())]
    for value, python_type in values:
        parts.extend((_const(","), _cursor_value(value, python_type)))
    parts.append(_const("]"))
    encoded = func.encode(func.convert_to(_concat(*parts), _const("UTF8")), _const("base64"))
    no_newlines = func.translate(
        encoded, _concat(_const("+/"), func.chr(literal_column("10"))), _const("-_")
    )
    return func.rtrim(no_newlines, _const("="))


def json_object(pairs: Sequence[tuple[str, Expr]]) -> Expr:
    if len(pairs) > MAX_OBJECT_KEYS:
        raise Unsupported("an object of more than 50 keys")
    args: list[Expr] = []
    for key, value in pairs:
        args.extend((_const(key), value))
    return func.json_build_object(*args)


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


def _plain(value: Any) -> Any:
    """A Python value as Strawberry serializes it: enums by name, lists item by item."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class ViewerAnswer:
    """The ``viewer`` root field, answered from the request's actor: no SQL at all."""

    type_name: str
    fields: tuple[tuple[str, str | None], ...]
    """Response keys and the attribute each reads (None: ``__typename``)."""

    def __call__(self, actor: Actor) -> dict[str, Any]:
        values = viewer_values(actor)
        return {
            key: self.type_name if attribute is None else _plain(values[attribute])
            for key, attribute in self.fields
        }


RootAnswer = Select[Any] | ViewerAnswer


class Compiler:
    """Compiles the root fields of one validated read operation into SQL statements."""

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
        self.cursor_bindings: list[CursorBinding] = []
        self._names = itertools.count()

    # -- the selection --------------------------------------------------------------------

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
        except Exception:
            raise Unsupported("arguments that do not convert") from None

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
        return json_object(self.each_field(object_type, selected, answer, _const(object_type.name)))

    def _name(self, prefix: str) -> str:
        return f"{prefix}_{next(self._names)}"

    # -- objects --------------------------------------------------------------------------

    def node(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, source: Source
    ) -> Expr:
        """One object of an entity, with every selected field, as JSON."""
        entity = source.entity

        def answer(name: str, field: GraphQLField, field_details: FieldDetailsList) -> Expr:
            python_name = strawberry_field(field).python_name
            if field_extensions(field):
                raise Unsupported(f"extensions on {object_type.name}.{name}")
            if name == "id" and "Node" in (i.name for i in object_type.interfaces):
                return _global_id(object_type.name, source.key)
            if python_name in entity.columns:
                return _scalar(source(entity.columns[python_name]), field)
            if python_name in entity.composites:
                composite = entity.composites[python_name]
                parts = {part: source(expr) for part, expr in composite.items()}
                return self.value_object(field, field_details, parts)
            if python_name in entity.figures:
                parts = {part: source(expr) for part, expr in entity.figures[python_name].items()}
                if set(parts) == {SCALAR}:
                    return _scalar(parts[SCALAR], field)
                return self.value_object(field, field_details, parts)
            if python_name in entity.references:
                return self.reference(field, field_details, source, python_name)
            if python_name in entity.lists:
                spec = entity.lists[python_name]
                values = func.json_agg(aggregate_order_by(spec.value, spec.order))
                return (
                    select(func.coalesce(values, EMPTY_ARRAY))
                    .where(spec.partition == source.key)
                    .scalar_subquery()
                )
            if python_name in entity.relations:
                return self.relation(field, field_details, source, python_name)
            if python_name in entity.embedded:
                stored = entity.embedded[python_name]
                return self.embedded(field, field_details, source, stored)
            if python_name in entity.for_viewer:
                return _scalar(source(entity.for_viewer[python_name]), field)
            raise Unsupported(f"{object_type.name}.{name}")

        return self.object_json(object_type, details, answer)

    def embedded(
        self, field: GraphQLField, details: FieldDetailsList, source: Source, spec: EmbeddedList
    ) -> Expr:
        """A list of objects kept as a JSON array in a column of ``source``, in its order."""
        object_type = get_named_type(field.type)
        if not isinstance(object_type, GraphQLObjectType):
            raise Unsupported("an embedded list of values that are not objects")
        elements = (
            func.jsonb_array_elements(source(spec.column))
            .table_valued("value", with_ordinality="n")
            .render_derived()
            .alias(self._name("e"))
        )
        element = type_coerce(elements.c.value, JSONB)

        def answer(name: str, sub_field: GraphQLField, _details: FieldDetailsList) -> Expr:
            part = spec.parts.get(strawberry_field(sub_field).python_name)
            if part is None or strawberry_field(sub_field).base_resolver:
                raise Unsupported(f"{object_type.name}.{name}")
            return _scalar(source(part(element)), sub_field)

        item = self.object_json(object_type, details, answer)
        items = func.json_agg(aggregate_order_by(item, elements.c.n))
        return select(func.coalesce(items, EMPTY_ARRAY)).select_from(elements).scalar_subquery()

    def value_object(
        self, field: GraphQLField, details: FieldDetailsList, parts: Mapping[str, Expr]
    ) -> Expr:
        """A value object (address, money, a figure) from labelled parts; ``a__b`` nests."""
        object_type = get_named_type(field.type)
        if not isinstance(object_type, GraphQLObjectType):
            raise Unsupported("a value that is not an object")

        def answer(name: str, sub_field: GraphQLField, field_details: FieldDetailsList) -> Expr:
            if field_extensions(sub_field) or strawberry_field(sub_field).base_resolver:
                raise Unsupported(f"{object_type.name}.{name} has a resolver")
            python_name = strawberry_field(sub_field).python_name
            if python_name in parts:
                return _scalar(parts[python_name], sub_field)
            prefix = f"{python_name}__"
            nested = {k[len(prefix) :]: v for k, v in parts.items() if k.startswith(prefix)}
            if not nested:
                raise Unsupported(f"{object_type.name}.{name}")
            return self.value_object(sub_field, field_details, nested)

        return self.object_json(object_type, details, answer)

    def reference(
        self, field: GraphQLField, details: FieldDetailsList, source: Source, name: str
    ) -> Expr:
        reference = source.entity.references[name]
        target = ENTITIES[reference.target]
        object_type = self.object_type(reference.target)
        alias = target.table.alias(self._name("r"))
        inner = Source(target, alias)
        key = source(source.entity.columns[reference.key])
        return (
            select(self.node(object_type, details, inner))
            .select_from(alias)
            .where(inner.key == key)
            .scalar_subquery()
        )

    def relation(
        self, field: GraphQLField, details: FieldDetailsList, source: Source, name: str
    ) -> Expr:
        entity = source.entity
        target, request = self.page_of(
            lambda first, after, last, before: relation_page(
                entity, name, self.settings, first, after, last, before
            ),
            field,
            details,
        )
        relation = entity.relations[name]
        search = relation_search(entity, name, self.arguments(field, details).get("search"))
        page = Page(
            entity=target,
            source=relation.source if relation.source is not None else target.table,
            conditions=[relation.partition == source.key, *search],
            keys=target.order,
            request=request,
            correlate=source.from_,
            cursor_variables=self.cursor_variables(details),
        )
        return self.connection(field, details, page)

    def page_of(
        self,
        make: Callable[[int | None, str | None, int | None, str | None], tuple[Any, PageRequest]],
        field: GraphQLField,
        details: FieldDetailsList,
    ) -> tuple[Any, PageRequest]:
        args = self.arguments(field, details)
        try:
            return make(args.get("first"), args.get("after"), args.get("last"), args.get("before"))
        except BadUserInput:
            raise Unsupported(
                "invalid page arguments: the resolvers report them", for_these_values=True
            ) from None

    def object_type(self, entity_name: str) -> GraphQLObjectType:
        entity = ENTITIES.get(entity_name)
        if entity is None:
            raise Unsupported(f"no entity {entity_name}")
        definition = self.strawberry_schema.get_type_by_name(entity_name)
        if not isinstance(definition, StrawberryObjectDefinition) or (
            getattr(definition.origin, "ENTITY", None) is not entity
        ):
            raise Unsupported(f"{entity_name} is not its entity's node type")
        object_type = self.schema.get_type(entity_name)
        assert isinstance(object_type, GraphQLObjectType)
        return object_type

    # -- connections ----------------------------------------------------------------------

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

        typename = _const(connection_type.name)
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
        return query.lateral(self._name("p"))

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
            after=self.bind_cursor(page, request.after, after_variable),
            before=self.bind_cursor(page, request.before, before_variable),
        )

    def bind_cursor(
        self, page: Page, values: tuple[Any, ...] | None, variable: str | None
    ) -> tuple[Any, ...] | None:
        if variable is None or values is None:
            return values
        prefix = self._name("cursor")
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
        return _cursor(page.request.ordering, values)

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

        def edge_cursor(last: bool) -> Expr:
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
                return edge_cursor(last=False)
            if name == "endCursor":
                return edge_cursor(last=True)
            raise Unsupported(f"PageInfo.{name}")

        return self.object_json(info_type, details, answer)

    # -- root fields ----------------------------------------------------------------------

    def root_field(self, field: GraphQLField, details: FieldDetailsList) -> RootAnswer:
        """The one statement that answers a root field: a single row of JSON text."""
        python_name = strawberry_field(field).python_name
        if python_name == "viewer":
            return self.viewer(field, details)
        if python_name == "customers":
            return select(self.customers(field, details).cast(Text))
        if python_name == "users":
            _, request = self.page_of(
                lambda first, after, last, before: (
                    None,
                    users_page(self.settings, first, after, last, before),
                ),
                field,
                details,
            )
            page = Page(
                USER,
                USER.table,
                listed_users(self.arguments(field, details).get("search")),
                USER.order,
                request,
                cursor_variables=self.cursor_variables(details),
            )
            return select(self.connection(field, details, page).cast(Text))
        if python_name == "customer":
            key = self.key(self.arguments(field, details)["id"], "Customer")
            found = self.by_id(field, details, "Customer", key)
            return select(found.cast(Text))
        if python_name == "customer_by_number":
            number = self.arguments(field, details)["customer_number"]
            alias = CUSTOMER.table.alias(self._name("n"))
            source = Source(CUSTOMER, alias)
            customer = self.node(self.object_type("Customer"), details, source)
            condition = source(with_customer_number(number))
            row = select(customer).select_from(alias).where(condition).scalar_subquery()
            return select(row.cast(Text))
        if python_name == "node":
            global_id = self.arguments(field, details)["id"]
            return select(self.node_by_global_id(field, details, global_id).cast(Text))
        if python_name == "nodes":
            ids = self.arguments(field, details)["ids"]
            if not 0 < len(ids) <= MAX_OBJECT_KEYS * 2:
                raise Unsupported("nodes: an empty or long list")
            items = [self.node_by_global_id(field, details, global_id) for global_id in ids]
            return select(func.json_build_array(*items).cast(Text))
        raise Unsupported(f"Query.{field.ast_node.name.value if field.ast_node else python_name}")

    def viewer(self, field: GraphQLField, details: FieldDetailsList) -> ViewerAnswer:
        viewer_type = get_named_type(field.type)
        assert isinstance(viewer_type, GraphQLObjectType)

        def answer(name: str, field: GraphQLField, _details: FieldDetailsList) -> str | None:
            definition = strawberry_field(field)
            if definition.base_resolver is not None or definition.extensions:
                raise Unsupported(f"Viewer.{name} has a resolver")
            return definition.python_name

        selected = self.subfields(viewer_type, details)
        fields = self.each_field(viewer_type, selected, answer, None)
        return ViewerAnswer(viewer_type.name, tuple(fields))

    def customers(self, field: GraphQLField, details: FieldDetailsList) -> Expr:
        args = self.arguments(field, details)
        try:
            keys, request = customer_page(
                self.settings,
                args.get("first"),
                args.get("after"),
                args.get("last"),
                args.get("before"),
                args.get("order_by"),
            )
            conditions = customer_list_conditions(to_domain_filter(args.get("filter")))
        except BadUserInput:
            raise Unsupported(
                "invalid arguments: the resolver reports them", for_these_values=True
            ) from None
        page = Page(
            CUSTOMER,
            CUSTOMER.table,
            conditions,
            keys,
            request,
            cursor_variables=self.cursor_variables(details),
        )
        return self.connection(field, details, page)

    def by_id(
        self, field: GraphQLField, details: FieldDetailsList, entity_name: str, key: int
    ) -> Expr:
        entity = ENTITIES[entity_name]
        object_type = self.object_type(entity_name)
        alias = entity.table.alias(self._name("n"))
        source = Source(entity, alias)
        node = self.node(object_type, details, source)
        return select(node).select_from(alias).where(source.key == key).scalar_subquery()

    def node_by_global_id(
        self, field: GraphQLField, details: FieldDetailsList, global_id: relay.GlobalID
    ) -> Expr:
        if global_id.type_name not in ENTITIES:
            raise Unsupported("an id of no known type: the resolver reports it")
        key = self.key(global_id, global_id.type_name)
        return self.by_id(field, details, global_id.type_name, key)

    def key(self, global_id: relay.GlobalID, type_name: str) -> int:
        try:
            key = key_of(global_id, type_name)
        except MalformedId:
            raise Unsupported("not an id of this type: the resolver reports it") from None
        if key is None:
            raise Unsupported("an id no record can have: the resolver answers null")
        return key


def strawberry_field(field: GraphQLField) -> StrawberryField:
    definition = strawberry_field_of(field)
    if definition is None:
        raise Unsupported("a field Strawberry did not define")
    return definition


def field_extensions(field: GraphQLField) -> list[Any]:
    return list(strawberry_field(field).extensions)
