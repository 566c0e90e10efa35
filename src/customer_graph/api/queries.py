"""The entry points of every read."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry import relay

from customer_graph.api.build import assemble
from customer_graph.api.connection import KeysetConnection, root_connection
from customer_graph.api.context import Info
from customer_graph.api.customer_list import resolve_customers
from customer_graph.api.customer_tags import TagCountConnection, resolve_customer_tags
from customer_graph.api.node import load_node
from customer_graph.api.permissions import CanViewCustomers
from customer_graph.api.read_rules import (
    CustomerFilter,
    CustomerOrder,
    customer_key,
    listed_users,
    users_page,
    with_customer_number,
)
from customer_graph.api.readmodel import CUSTOMER, USER
from customer_graph.api.types.customer import Customer
from customer_graph.api.types.people import User, Viewer


@strawberry.type
class Query:
    node: relay.Node | None = relay.node(
        description="Any record, by its global id.", permission_classes=[CanViewCustomers]
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Records by global ids, in order.", permission_classes=[CanViewCustomers]
    )

    @strawberry.field(description="Who is asking, and what they may do.")
    async def viewer(self, info: Info) -> Viewer:
        return Viewer.of(info.context.actor)

    @strawberry.field(
        description="Customers, one page at a time.", permission_classes=[CanViewCustomers]
    )
    async def customers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
    ) -> KeysetConnection[Customer]:
        return await resolve_customers(info, first, after, last, before, filter, order_by)

    @strawberry.field(
        description="The tags customers carry, most used first (then by name), each with how "
        "many of the customers `filter` selects carry it: by default archived customers are "
        "left out, as in `customers`. `search` keeps the tags that contain it, in any case.",
        permission_classes=[CanViewCustomers],
    )
    async def customer_tags(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
        filter: CustomerFilter | None = None,
    ) -> TagCountConnection:
        return await resolve_customer_tags(info, first, after, last, before, search, filter)

    @strawberry.field(
        description="One customer by its global id.", permission_classes=[CanViewCustomers]
    )
    async def customer(self, info: Info, id: relay.GlobalID) -> Customer | None:
        result: Customer | None = await load_node(info, "Customer", customer_key(id))
        return result

    @strawberry.field(
        description="One customer by its customer number.", permission_classes=[CanViewCustomers]
    )
    async def customer_by_number(self, info: Info, customer_number: str) -> Customer | None:
        rows = await info.context.loaders.fetch(
            select(*CUSTOMER.selected_columns()).where(with_customer_number(customer_number))
        )
        return assemble(Customer, rows[0]) if rows else None

    @strawberry.field(
        description="People who can own or manage customers, by name. `search` keeps those "
        "whose name contains it, in any case.",
        permission_classes=[CanViewCustomers],
    )
    async def users(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> KeysetConnection[User]:
        page = users_page(info.context.settings, first, after, last, before)
        return await root_connection(
            info.context.loaders,
            User,
            USER,
            keys=USER.order,
            conditions=listed_users(search),
            page=page,
        )
