"""The root ``customers`` connection: filter, order and keyset paging in SQL."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from customer_graph.api.connection import KeysetConnection, root_connection
from customer_graph.api.context import Info
from customer_graph.api.errors import BadUserInput
from customer_graph.api.ids import MalformedId, key_of
from customer_graph.api.pagination import PageRequest, page_request
from customer_graph.api.readmodel import CUSTOMER
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus
from customer_graph.domain.customer_list import (
    ArchivedFilter,
    CustomerListFilter,
    CustomerListOrder,
    CustomerOrderField,
    OrderDirection,
    customer_list_conditions,
)
from customer_graph.domain.keyset import SortKey
from customer_graph.settings import Settings

strawberry.enum(
    ArchivedFilter,
    description="EXCLUDE hides archived customers (the default, except for a search), "
    "INCLUDE shows them too, ONLY shows nothing else.",
)


strawberry.enum(CustomerOrderField)
strawberry.enum(OrderDirection)


@strawberry.input(description="How to order customers; ties are broken by creation order.")
class CustomerOrder:
    field: CustomerOrderField = CustomerOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Every given condition must hold.")
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Part of the name, customer number, email, or a contact's name or email. "
        "Also finds archived customers unless `archived` says otherwise.",
    )
    kinds: list[CustomerKind] | None = None
    segments: list[CustomerSegment] | None = None
    statuses: list[CustomerStatus] | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")
    owner_ids: list[relay.GlobalID] | None = None
    manager_ids: list[relay.GlobalID] | None = None
    archived: ArchivedFilter | None = strawberry.field(
        default=None, description="Default: EXCLUDE, or INCLUDE when searching."
    )


def user_ids(global_ids: list[relay.GlobalID] | None, argument: str) -> list[int] | None:
    """The keys of the users given; None when none is given (no condition)."""
    if not global_ids:
        return None
    keys = []
    for global_id in global_ids:
        try:
            key = key_of(global_id, "User")
        except MalformedId:
            raise BadUserInput(
                f"`{argument}` takes ids of users; {global_id} is not one."
            ) from None
        if key is not None:
            keys.append(key)
    return keys


def to_domain_filter(given: CustomerFilter | None) -> CustomerListFilter:
    if given is None:
        return CustomerListFilter()
    return CustomerListFilter(
        search=given.search,
        kinds=given.kinds or (),
        segments=given.segments or (),
        statuses=given.statuses or (),
        tags=given.tags or (),
        owner_ids=user_ids(given.owner_ids, "ownerIds"),
        manager_ids=user_ids(given.manager_ids, "managerIds"),
        archived=given.archived,
    )


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


def customer_page(
    settings: Settings,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    order_by: CustomerOrder | None,
) -> tuple[tuple[SortKey, ...], PageRequest]:
    """The sort keys and the validated page of a customer list (both read paths)."""
    given = order_by or CustomerOrder()
    order = CustomerListOrder(given.field, given.direction)
    keys = order.keys()
    page = page_request(
        first=first,
        after=after,
        last=last,
        before=before,
        keys=keys,
        ordering=order.name,
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
    )
    return keys, page
