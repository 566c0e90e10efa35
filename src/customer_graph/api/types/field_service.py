"""Contacts, sites, assets, projects, work orders, tasks and leases."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from customer_graph.api.connection import KeysetConnection
from customer_graph.api.node import RowNode
from customer_graph.api.readmodel import (
    ASSET,
    CONTACT,
    LEASE,
    PROJECT,
    SITE,
    TASK,
    WORK_ORDER,
    Entity,
)
from customer_graph.api.resolvers import reference_field, relation_field
from customer_graph.api.types.values import Address, Money
from customer_graph.db.enums import (
    AssetStatus,
    LeaseRatePeriod,
    ProjectPhase,
    ProjectStatus,
    SiteStatus,
    TaskStatus,
    WorkOrderStatus,
)

if TYPE_CHECKING:
    from customer_graph.api.types.commercial import Invoice
    from customer_graph.api.types.customer import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("customer_graph.api.types.customer")]
InvoiceRef = Annotated["Invoice", strawberry.lazy("customer_graph.api.types.commercial")]


@strawberry.type(description="A person at a customer.")
class Contact(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = CONTACT

    id: relay.NodeID[int]
    name: str
    title: str | None
    email: str | None
    phone: str | None
    is_primary: bool
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The customer the contact works for.")


@strawberry.type(description="A customer's location; it belongs to exactly one customer.")
class Site(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = SITE

    id: relay.NodeID[int]
    name: str
    status: SiteStatus
    address: Address
    contact_name: str | None
    email: str | None
    phone: str | None
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The customer the site belongs to.")
    assets: KeysetConnection[Asset] = relation_field("Assets standing at this site.")
    work_orders: KeysetConnection[WorkOrder] = relation_field("Field work at this site.")


@strawberry.type(description="Equipment: where it stands and who owns it may differ.")
class Asset(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = ASSET

    id: relay.NodeID[int]
    name: str
    serial_number: str | None
    status: AssetStatus
    created_at: datetime
    site_id: strawberry.Private[int | None]
    owner_customer_id: strawberry.Private[int | None]

    site: Site | None = reference_field("Where the asset stands.")
    owner_customer: CustomerRef | None = reference_field("Who owns the asset.")


@strawberry.type(description="Work for a customer, upcoming, active or past.")
class Project(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = PROJECT

    id: relay.NodeID[int]
    name: str
    status: ProjectStatus
    phase: ProjectPhase = strawberry.field(description="Derived from the dates and the status.")
    start_date: date
    end_date: date | None
    created_at: datetime
    customer_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The customer the project is for.")
    invoices: KeysetConnection[InvoiceRef] = relation_field("Invoices billed for this project.")


@strawberry.type(description="Field work at one of the customer's sites.")
class WorkOrder(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = WORK_ORDER

    id: relay.NodeID[int]
    number: str
    title: str
    description: str | None
    status: WorkOrderStatus
    scheduled_on: date | None
    created_at: datetime
    customer_id: strawberry.Private[int]
    site_id: strawberry.Private[int]

    customer: CustomerRef = reference_field("The customer the work is for.")
    site: Site = reference_field("Where the work happens.")
    tasks: KeysetConnection[Task] = relation_field("The steps of the work order.")


@strawberry.type(description="One step of a work order.")
class Task(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = TASK

    id: relay.NodeID[int]
    title: str
    status: TaskStatus
    due_on: date | None
    created_at: datetime
    work_order_id: strawberry.Private[int]

    work_order: WorkOrder = reference_field("The work order the task belongs to.")


@strawberry.type(description="An asset or a site leased to the customer.")
class Lease(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = LEASE

    id: relay.NodeID[int]
    start_date: date
    end_date: date | None
    rate: Money
    rate_period: LeaseRatePeriod
    created_at: datetime
    customer_id: strawberry.Private[int]
    asset_id: strawberry.Private[int | None]
    site_id: strawberry.Private[int | None]

    customer: CustomerRef = reference_field("The lessee.")
    asset: Asset | None = reference_field("The leased asset, if an asset is leased.")
    site: Site | None = reference_field("The leased site, if a site is leased.")
