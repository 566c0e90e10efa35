"""Contracts, opportunities, orders, invoices, support tickets and price schedules."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from customer_graph.api.node import RowNode
from customer_graph.api.readmodel import (
    CONTRACT,
    INVOICE,
    OPPORTUNITY,
    ORDER,
    PRICE_SCHEDULE,
    SUPPORT_TICKET,
    Entity,
)
from customer_graph.api.resolvers import reference_field
from customer_graph.api.types.field_service import Project
from customer_graph.api.types.values import Money
from customer_graph.db.enums import (
    ContractStatus,
    InvoiceStatus,
    OpportunityStage,
    OrderStatus,
    TicketPriority,
    TicketStatus,
)

if TYPE_CHECKING:
    from customer_graph.api.types.customer import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("customer_graph.api.types.customer")]


@strawberry.type(description="An agreement with the customer; deactivation cancels it.")
class Contract(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = CONTRACT

    id: relay.NodeID[int]
    number: str
    start_date: date
    end_date: date | None
    value: Money
    status: ContractStatus
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The party to the contract.")


@strawberry.type(description="A sales opportunity; open until won or lost.")
class Opportunity(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = OPPORTUNITY

    id: relay.NodeID[int]
    name: str
    amount: Money
    stage: OpportunityStage
    is_open: bool
    expected_close_on: date | None
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The prospective buyer.")


@strawberry.type(description="A purchase; lifetime revenue sums those not cancelled.")
class Order(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = ORDER

    id: relay.NodeID[int]
    number: str
    ordered_on: date
    total: Money
    status: OrderStatus
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The buyer.")


@strawberry.type(description="A bill to the customer, optionally for one of its projects.")
class Invoice(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = INVOICE

    id: relay.NodeID[int]
    number: str
    amount: Money
    status: InvoiceStatus
    issued_on: date | None
    due_on: date | None
    paid_on: date | None
    created_at: datetime
    customer_id: strawberry.Private[int]
    project_id: strawberry.Private[int | None]

    customer: CustomerRef = reference_field("Who is billed.")
    project: Project | None = reference_field("The project billed for, if any.")


@strawberry.type(description="A support request from the customer.")
class SupportTicket(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = SUPPORT_TICKET

    id: relay.NodeID[int]
    subject: str
    status: TicketStatus
    priority: TicketPriority
    opened_at: datetime
    closed_at: datetime | None
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("Who asked for help.")


@strawberry.type(description="A customer-specific price for one product over a period.")
class PriceSchedule(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = PRICE_SCHEDULE

    id: relay.NodeID[int]
    product_code: str
    product_name: str
    unit_price: Money
    valid_from: date
    valid_to: date | None
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The customer the price is for.")
