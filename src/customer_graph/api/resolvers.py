"""Generic resolvers for the fields the read model maps: one each for relations,
references, figures, computed values and lists. A node type declares such a field by its
annotation alone:

    contacts: KeysetConnection[Contact] = relation_field("The customer's contacts.")
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from customer_graph.api.build import assemble
from customer_graph.api.connection import make_connection
from customer_graph.api.context import Info
from customer_graph.api.node import NODE_TYPES, RowNode, load_node
from customer_graph.api.read_rules import relation_page, relation_search
from customer_graph.api.readmodel import SCALAR
from customer_graph.domain.search import search_text

SearchArgument = Annotated[
    str | None,
    strawberry.argument(
        description="Only the items that contain this text (any case) in a field they are "
        "found by: a name, a number, a title, a subject; blank lists them all."
    ),
]


async def resolve_relation(
    root: RowNode,
    info: Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    search: SearchArgument = None,
) -> Any:
    entity = type(root).ENTITY
    name = info.python_name
    target, page = relation_page(entity, name, info.context.settings, first, after, last, before)
    conditions = relation_search(entity, name, search)
    text = search_text(search)
    parent = root.id
    loaders = info.context.loaders
    result = await loaders.relation(entity, name, page, text, conditions).load(parent)

    async def count_total() -> int:
        return await loaders.relation_count(entity, name, text, conditions).load(parent)

    return make_connection(
        NODE_TYPES[target.name],
        result.rows,
        has_more=result.has_more,
        page=page,
        key_width=len(target.order),
        count_total=count_total,
    )


async def resolve_reference(root: RowNode, info: Info) -> Any:
    reference = type(root).ENTITY.references[info.python_name]
    return await load_node(info, reference.target, getattr(root, reference.key))


async def resolve_figure(root: RowNode, info: Info) -> Any:
    entity = type(root).ENTITY
    name = info.python_name
    row = await info.context.loaders.figure(entity, name).load(root.id)
    if set(entity.figures[name]) == {SCALAR}:
        return row[SCALAR]
    return assemble(_figure_class(info), row)


def _figure_class(info: Info) -> type[Any]:
    field_type: Any = info.return_type
    while hasattr(field_type, "of_type"):
        field_type = field_type.of_type
    return field_type  # type: ignore[no-any-return]


async def resolve_computed(root: RowNode, info: Info) -> Any:
    entity = type(root).ENTITY
    name = info.python_name
    row = await info.context.loaders.computed(entity, name).load(root.id)
    return assemble(_figure_class(info), entity.computed[name].compute(row))


async def resolve_list(root: RowNode, info: Info) -> Any:
    entity = type(root).ENTITY
    return await info.context.loaders.scalar_list(entity, info.python_name).load(root.id)


def relation_field(description: str) -> Any:
    return strawberry.field(resolver=resolve_relation, description=description)


def reference_field(description: str) -> Any:
    return strawberry.field(resolver=resolve_reference, description=description)


def figure_field(description: str) -> Any:
    return strawberry.field(resolver=resolve_figure, description=description)


def computed_field(description: str) -> Any:
    return strawberry.field(resolver=resolve_computed, description=description)


def list_field(description: str) -> Any:
    return strawberry.field(resolver=resolve_list, description=description)
