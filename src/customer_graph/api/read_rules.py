"""What both read paths take from a read's arguments alike: the customer list's filter and
order, the page requests of every list, the conditions of ``users`` and of a related list's
``search``, a customer's id and number, and the viewer's own values.

The resolvers and the compiled read path (``api/compiled/``) both call these, so they
accept, refuse (``BadUserInput``, with one message) and select the same rows; this module
imports neither of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry import relay

from customer_graph.api.errors import BadUserInput
from customer_graph.api.ids import MalformedId, key_of
from customer_graph.api.pagination import PageRequest, page_request
from customer_graph.api.readmodel import ENTITIES, USER, Entity
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus
from customer_graph.db.models import Customer as CustomerRow
from customer_graph.db.models import User as UserRow
from customer_graph.domain.customer_list import (
    ArchivedFilter,
    CustomerListFilter,
    CustomerListOrder,
    CustomerOrderField,
    OrderDirection,
)
from customer_graph.domain.keyset import SortKey
from customer_graph.domain.permissions import Actor
from customer_graph.domain.search import contains_text, search_text
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


def settings_page(
    settings: Settings,
    keys: Sequence[SortKey],
    ordering: str,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """A validated page of a list ordered by ``keys``, with the default and largest page
    sizes of ``settings`` (both read paths, every list)."""
    return page_request(
        first=first,
        after=after,
        last=last,
        before=before,
        keys=keys,
        ordering=ordering,
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
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
    return keys, settings_page(settings, keys, order.name, first, after, last, before)


def relation_page(
    entity: Entity,
    name: str,
    settings: Settings,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> tuple[Entity, PageRequest]:
    """The related entity and the validated page of ``entity.<name>`` (both read paths)."""
    target = ENTITIES[entity.relations[name].target]
    ordering = f"{entity.name}.{name}"
    return target, settings_page(settings, target.order, ordering, first, after, last, before)


def relation_search(entity: Entity, name: str, search: str | None) -> tuple[Any, ...]:
    """The conditions of ``entity.<name>(search:)`` on the related rows (both read paths)."""
    text = search_text(search)
    if text is None:
        return ()
    return (contains_text(entity.relations[name].search, text),)


ACTIVE_USERS = (UserRow.is_active.is_(True),)
"""The people the ``users`` list shows."""


def listed_users(search: str | None) -> tuple[ColumnElement[bool], ...]:
    """The conditions of the ``users`` list: active users, whose name contains ``search``."""
    return (*ACTIVE_USERS, *USER.searching(search))


def users_page(
    settings: Settings,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    return settings_page(settings, USER.order, "users", first, after, last, before)


def customer_key(global_id: relay.GlobalID) -> int | None:
    """The key a customer's id names (None: no customer can have it); BadUserInput if it
    is not a customer's id."""
    try:
        return key_of(global_id, "Customer")
    except MalformedId:
        raise BadUserInput(f"{global_id} is not the id of a customer.") from None


def with_customer_number(customer_number: str) -> ColumnElement[bool]:
    return CustomerRow.customer_number == customer_number.strip()


def viewer_values(actor: Actor) -> dict[str, Any]:
    """The ``Viewer`` type's stored fields, by their Python names, for this actor."""
    return {
        "name": actor.name,
        "role": actor.role,
        "is_integration": actor.is_token,
        "permissions": sorted(actor.permissions, key=lambda p: p.value),
        "user_id": actor.user_id,
        "default_owner_id": actor.default_owner_id,
    }
