"""The root ``customers`` connection: filter, order and keyset paging in SQL."""

from __future__ import annotations

from typing import Any

from customer_graph.api.connection import KeysetConnection, root_connection
from customer_graph.api.context import Info
from customer_graph.api.read_rules import (
    CustomerFilter,
    CustomerOrder,
    customer_page,
    to_domain_filter,
)
from customer_graph.api.readmodel import CUSTOMER
from customer_graph.domain.customer_list import customer_list_conditions


async def resolve_customers(
    info: Info,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    filter: CustomerFilter | None,
    order_by: CustomerOrder | None,
) -> KeysetConnection[Any]:
    from customer_graph.api.types.customer import Customer

    keys, page = customer_page(info.context.settings, first, after, last, before, order_by)
    conditions = customer_list_conditions(to_domain_filter(filter))
    return await root_connection(
        info.context.loaders, Customer, CUSTOMER, keys=keys, conditions=conditions, page=page
    )
