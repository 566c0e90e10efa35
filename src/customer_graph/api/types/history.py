from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from customer_graph.api.node import RowNode
from customer_graph.api.readmodel import HISTORY_EVENT, Entity
from customer_graph.api.resolvers import reference_field
from customer_graph.api.types.people import User
from customer_graph.api.types.values import FieldChange
from customer_graph.db.enums import HistoryAction

if TYPE_CHECKING:
    from customer_graph.api.types.customer import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("customer_graph.api.types.customer")]


@strawberry.type(description="One change to a customer or something of it; append-only.")
class HistoryEvent(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = HISTORY_EVENT

    id: relay.NodeID[int]
    occurred_at: datetime
    entity_type: str = strawberry.field(description="What changed: Customer, Site, ...")
    entity_id: int = strawberry.field(description="The database id of what changed.")
    entity_name: str | None = strawberry.field(
        description="The name of what changed, as it is now (a contract's number, a task's "
        "title, what a lease leases); null once it has been removed."
    )
    action: HistoryAction
    actor_name: str = strawberry.field(description="Who made the change, as named then.")
    changes_data: strawberry.Private[list[dict[str, Any]]]
    actor_user_id: strawberry.Private[int | None]
    customer_id: strawberry.Private[int]

    actor: User | None = reference_field("Who made the change, if still a user.")
    customer: CustomerRef | None = reference_field("The customer, unless since deleted.")

    @strawberry.field(description="Field-level values before and after.")
    def changes(self) -> list[FieldChange]:
        return [FieldChange.from_document(change, self.entity_type) for change in self.changes_data]
