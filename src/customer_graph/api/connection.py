"""Cursor connections with a lazily counted ``totalCount``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic

import strawberry
from sqlalchemy import FromClause, RowMapping, func, select
from sqlalchemy.sql.elements import ColumnElement
from strawberry import relay
from strawberry.relay.types import NodeType

from customer_graph.api.build import assemble
from customer_graph.api.loaders import Loaders
from customer_graph.api.pagination import PageRequest, encode_cursor, page_conditions
from customer_graph.api.readmodel import Entity
from customer_graph.domain.keyset import SortKey, key_labels, key_values, order_clauses


@strawberry.type(name="Connection", description="A page of a list, with cursors to move on.")
class KeysetConnection(relay.Connection[NodeType], Generic[NodeType]):
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has, across all pages.")
    async def total_count(self) -> int:
        return await self.count_total()


def make_connection(
    node_class: type[Any],
    rows: Sequence[RowMapping],
    *,
    has_more: bool,
    page: PageRequest,
    key_width: int,
    count_total: Callable[[], Awaitable[int]],
) -> KeysetConnection[Any]:
    edges = [
        relay.Edge(
            cursor=encode_cursor(key_values(row, key_width), page.ordering),
            node=assemble(node_class, row),
        )
        for row in rows
    ]
    if page.backwards:
        has_next, has_previous = page.before is not None, has_more
    else:
        has_next, has_previous = has_more, page.after is not None
    return KeysetConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


async def root_connection(
    loaders: Loaders,
    node_class: type[Any],
    entity: Entity,
    *,
    keys: Sequence[SortKey],
    conditions: Sequence[ColumnElement[bool]],
    page: PageRequest,
) -> KeysetConnection[Any]:
    """A top-level list of an entity: one statement for the page, one more if
    ``totalCount`` is asked."""
    return await select_connection(
        loaders,
        node_class,
        entity.selected_columns(),
        entity.table,
        keys=keys,
        conditions=conditions,
        page=page,
    )


async def select_connection(
    loaders: Loaders,
    node_class: type[Any],
    columns: Sequence[ColumnElement[Any]],
    source: FromClause,
    *,
    keys: Sequence[SortKey],
    conditions: Sequence[ColumnElement[bool]],
    page: PageRequest,
) -> KeysetConnection[Any]:
    """A top-level list of ``columns`` (labelled as ``node_class``'s fields) from
    ``source``: one statement for the page, one more if ``totalCount`` is asked."""
    statement = (
        select(*columns, *key_labels(keys))
        .select_from(source)
        .where(*conditions, *page_conditions(keys, page))
        .order_by(*order_clauses(keys, reverse=page.backwards))
        .limit(page.limit + 1)
    )
    rows = list(await loaders.fetch(statement))
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    if page.backwards:
        rows.reverse()

    async def count_total() -> int:
        counted = await loaders.fetch(
            select(func.count().label("n")).select_from(source).where(*conditions)
        )
        return int(counted[0]["n"])

    return make_connection(
        node_class,
        rows,
        has_more=has_more,
        page=page,
        key_width=len(keys),
        count_total=count_total,
    )
