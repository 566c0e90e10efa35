"""``customerTags``: the tags in use, most used first, with how many customers carry each."""

from __future__ import annotations

import strawberry

from customer_graph.api.connection import KeysetConnection, select_connection
from customer_graph.api.context import Info
from customer_graph.api.read_rules import CustomerFilter, settings_page, to_domain_filter
from customer_graph.domain.customer_list import tag_counts
from customer_graph.domain.keyset import SortKey


@strawberry.type(description="A tag, and how many of the customers asked about carry it.")
class TagCount:
    name: str
    customer_count: int = strawberry.field(
        description="Customers the filter selects that carry the tag."
    )


TagCountConnection = KeysetConnection[TagCount]  # type: ignore[type-var]
"""Strawberry's relay types bind a connection's items to ``Node``; a connection of plain
objects, without ids, works the same."""


async def resolve_customer_tags(
    info: Info,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    search: str | None,
    filter: CustomerFilter | None,
) -> TagCountConnection:
    counts = tag_counts(to_domain_filter(filter), search)
    keys = (SortKey(counts.c.customer_count, descending=True), SortKey(counts.c.name))
    settings = info.context.settings
    page = settings_page(settings, keys, "customerTags", first, after, last, before)
    return await select_connection(
        info.context.loaders,
        TagCount,
        [counts.c.name, counts.c.customer_count],
        counts,
        keys=keys,
        conditions=[],
        page=page,
    )
