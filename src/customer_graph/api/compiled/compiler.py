"""The compiled read path: a read operation's selection becomes SQL, one statement per root
field (the executor runs them as one), and PostgreSQL builds the JSON of the answer.

graphql-core completes every field of a response one by one (about 5 µs each, measured
on Strawberry 0.341 over graphql-core 3.3; docs/architecture.md, "The read path"). Here
the validated selection is walked once, with graphql-core's own field
collection (fragments, aliases, ``@include``/``@skip``, variables), and every field becomes
an expression of the read model (``api/readmodel.py``, the mapping the resolvers read too):
objects are ``json_build_object``, connections ``json_agg`` over a keyset page in a
``LATERAL`` subquery, references and figures correlated subqueries. Values are formatted
in SQL exactly as Strawberry serializes them (global ids, cursors, ``DateTime``,
``Decimal``), so both paths give the same JSON.

By concern: ``selection`` walks the selection (one dispatch over an object's fields),
``sql`` writes values as Strawberry serializes them, ``connections`` pages, edges and
cursors; this module answers the objects of entities and the root fields.

Whatever is not covered raises ``Unsupported``; the resolvers then answer the whole
operation, as they do one that selects a value the domain works out in Python (the read
model's ``computed``). A root field whose own arguments are refused (an id of another
kind, `first` with `last`, a bad cursor or filter given in the text) is answered with the
error its resolver raises (``RootError``); a nested field's refusal, a cursor variable's
and a refused permission are the resolvers'.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    get_named_type,
)
from sqlalchemy import (
    Select,
    Text,
    func,
    null,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

from customer_graph.api.compiled.connections import Connections, Page, Source
from customer_graph.api.compiled.selection import (
    ArgumentsRefused,
    FieldDetailsList,
    field_extensions,
    strawberry_field,
)
from customer_graph.api.compiled.sql import (
    EMPTY_ARRAY,
    MAX_OBJECT_KEYS,
    Expr,
    Unsupported,
    global_id,
    scalar,
)
from customer_graph.api.errors import BadUserInput
from customer_graph.api.ids import MalformedId, key_of
from customer_graph.api.pagination import (
    PageRequest,
)
from customer_graph.api.read_rules import (
    customer_key,
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
)
from customer_graph.domain.customer_list import customer_list_conditions
from customer_graph.domain.permissions import Actor


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


@dataclass(frozen=True)
class RootError:
    """A root field whose own arguments the read rules refuse: answered with the error its
    resolver raises for them (``BadUserInput``), and null."""

    error: Exception
    """What the resolver raises: a read rule's ``BadUserInput``, or what converting the
    arguments raised."""

    @classmethod
    def of(cls, error: Exception) -> RootError:
        """Kept without its traceback and the exceptions it was raised during: a plan is
        remembered, and those would keep the compiler's frames alive with it."""
        error.__context__ = error.__cause__ = None
        return cls(error.with_traceback(None))


RootAnswer = Select[Any] | ViewerAnswer | RootError


class Compiler(Connections):
    """Compiles the root fields of one validated read operation into SQL statements: the
    objects of entities, their values, references and relations, and the root fields."""

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
                return global_id(object_type.name, source.key)
            if python_name in entity.columns:
                return scalar(source(entity.columns[python_name]), field)
            if python_name in entity.composites:
                composite = entity.composites[python_name]
                parts = {part: source(expr) for part, expr in composite.items()}
                return self.value_object(field, field_details, parts)
            if python_name in entity.figures:
                parts = {part: source(expr) for part, expr in entity.figures[python_name].items()}
                if set(parts) == {SCALAR}:
                    return scalar(parts[SCALAR], field)
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
                return scalar(source(entity.for_viewer[python_name]), field)
            if python_name in entity.computed:
                raise Unsupported(f"{object_type.name}.{name} is worked out in Python")
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
            .alias(self.name("e"))
        )
        element = type_coerce(elements.c.value, JSONB)

        def answer(name: str, sub_field: GraphQLField, _details: FieldDetailsList) -> Expr:
            part = spec.parts.get(strawberry_field(sub_field).python_name)
            if part is None or strawberry_field(sub_field).base_resolver:
                raise Unsupported(f"{object_type.name}.{name}")
            return scalar(source(part(element)), sub_field)

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
                return scalar(parts[python_name], sub_field)
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
        alias = target.table.alias(self.name("r"))
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

    # -- root fields ----------------------------------------------------------------------

    def root_field(self, field: GraphQLField, details: FieldDetailsList) -> RootAnswer:
        """The one statement that answers a root field, a single row of JSON text; or the
        error of arguments the read rules refuse.

        A root field's own arguments are converted first, and checked by the read rules
        before anything nested is compiled, so a ``BadUserInput`` that gets here is theirs.
        A nested field's refusal is ``Unsupported`` (``page_of``; ``ArgumentsRefused`` is
        one), and the resolvers answer it with its path.
        """
        try:
            self.arguments(field, details)
        except ArgumentsRefused as refused:
            return RootError.of(refused.error)
        try:
            return self.root_statement(field, details)
        except BadUserInput as error:
            return RootError.of(error)

    def root_statement(self, field: GraphQLField, details: FieldDetailsList) -> RootAnswer:
        python_name = strawberry_field(field).python_name
        if python_name == "viewer":
            return self.viewer(field, details)
        if python_name == "customers":
            return select(self.customers(field, details).cast(Text))
        if python_name == "users":
            args = self.arguments(field, details)
            request = users_page(
                self.settings,
                args.get("first"),
                args.get("after"),
                args.get("last"),
                args.get("before"),
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
            key = customer_key(self.arguments(field, details)["id"])
            found = self.by_id(field, details, "Customer", key)
            return select(found.cast(Text))
        if python_name == "customer_by_number":
            number = self.arguments(field, details)["customer_number"]
            alias = CUSTOMER.table.alias(self.name("n"))
            source = Source(CUSTOMER, alias)
            customer = self.node(self.object_type("Customer"), details, source)
            condition = source(with_customer_number(number))
            row = select(customer).select_from(alias).where(condition).scalar_subquery()
            return select(row.cast(Text))
        if python_name == "node":
            global_id = self.arguments(field, details)["id"]
            return select(self.node_byglobal_id(field, details, global_id).cast(Text))
        if python_name == "nodes":
            ids = self.arguments(field, details)["ids"]
            if not 0 < len(ids) <= MAX_OBJECT_KEYS * 2:
                raise Unsupported("nodes: an empty or long list")
            items = [self.node_byglobal_id(field, details, global_id) for global_id in ids]
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
        keys, request = customer_page(
            self.settings,
            args.get("first"),
            args.get("after"),
            args.get("last"),
            args.get("before"),
            args.get("order_by"),
        )
        conditions = customer_list_conditions(to_domain_filter(args.get("filter")))
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
        self, field: GraphQLField, details: FieldDetailsList, entity_name: str, key: int | None
    ) -> Expr:
        if key is None:
            return null()  # no record can have this key: null, as the resolver answers
        entity = ENTITIES[entity_name]
        object_type = self.object_type(entity_name)
        alias = entity.table.alias(self.name("n"))
        source = Source(entity, alias)
        node = self.node(object_type, details, source)
        return select(node).select_from(alias).where(source.key == key).scalar_subquery()

    def node_byglobal_id(
        self, field: GraphQLField, details: FieldDetailsList, global_id: relay.GlobalID
    ) -> Expr:
        if global_id.type_name not in ENTITIES:
            raise Unsupported("an id of no known type: the resolver reports it")
        key = self.key(global_id, global_id.type_name)
        return self.by_id(field, details, global_id.type_name, key)

    def key(self, global_id: relay.GlobalID, type_name: str) -> int | None:
        """The record's key; None when no record can have this id."""
        try:
            return key_of(global_id, type_name)
        except MalformedId:
            raise Unsupported("not an id of this type: the resolver reports it") from None
