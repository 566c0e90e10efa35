"""Live updates over graphql-transport-ws: each event is loaded fresh, after commit."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.errors import ChangesMissed
from customer_graph.api.node import load_node
from customer_graph.api.permissions import CanViewCustomers
from customer_graph.api.read_rules import customer_key
from customer_graph.api.types.customer import Customer
from customer_graph.db.change_feed import CustomerChange, FeedInterrupted, Heard
from customer_graph.db.enums import HistoryAction


def _change(heard: Heard) -> CustomerChange:
    """The change heard; a subscription that may have missed changes ends with an error
    (``ChangesMissed``), so that its client reads afresh and subscribes again."""
    if isinstance(heard, FeedInterrupted):
        raise ChangesMissed
    return heard


@strawberry.type(description="A committed change to one customer.")
class CustomerEvent:
    customer_id: relay.GlobalID
    action: HistoryAction
    customer: Customer | None = strawberry.field(description="As it is now; null once deleted.")


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The customer, each time it or anything of it changes.",
        permission_classes=[CanViewCustomers],
    )
    async def customer_changed(
        self, info: Info, id: relay.GlobalID
    ) -> AsyncGenerator[Customer | None, None]:
        wanted = customer_key(id)
        async with info.context.broker.subscribe() as changes:
            while True:
                change = _change(await changes.get())
                if change.customer_id != wanted:
                    continue
                info.context.forget_loaded()
                yield await load_node(info, "Customer", change.customer_id)

    @strawberry.subscription(
        description="Every committed change to any customer: a feed for lists and dashboards.",
        permission_classes=[CanViewCustomers],
    )
    async def customer_events(self, info: Info) -> AsyncGenerator[CustomerEvent, None]:
        async with info.context.broker.subscribe() as changes:
            while True:
                change = _change(await changes.get())
                info.context.forget_loaded()
                yield CustomerEvent(
                    customer_id=relay.GlobalID("Customer", str(change.customer_id)),
                    action=HistoryAction(change.action),
                    customer=await load_node(info, "Customer", change.customer_id),
                )
