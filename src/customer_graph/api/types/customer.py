from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

import strawberry
from strawberry import relay

from customer_graph.api.connection import KeysetConnection
from customer_graph.api.context import Info
from customer_graph.api.node import RowNode
from customer_graph.api.readmodel import CUSTOMER, Entity
from customer_graph.api.resolvers import (
    computed_field,
    figure_field,
    list_field,
    reference_field,
    relation_field,
)
from customer_graph.api.types.commercial import (
    Contract,
    Invoice,
    Opportunity,
    Order,
    PriceSchedule,
    SupportTicket,
)
from customer_graph.api.types.field_service import Asset, Contact, Lease, Project, Site, WorkOrder
from customer_graph.api.types.history import HistoryEvent
from customer_graph.api.types.people import User
from customer_graph.api.types.values import (
    Address,
    AssetSummary,
    BillingContact,
    BillingSummary,
    DeactivationCascade,
    Money,
    NewSiteValues,
    ProjectSummary,
    SiteSummary,
)
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus, PaymentTerms
from customer_graph.domain.permissions import Permission


@strawberry.type(description="A company or individual we serve, with everything that hangs off it.")
class Customer(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = CUSTOMER

    id: relay.NodeID[int]
    customer_number: str = strawberry.field(description="Unique; assigned when not given.")
    name: str
    kind: CustomerKind
    segment: CustomerSegment
    description: str | None
    status: CustomerStatus
    archived_at: datetime | None
    is_archived: bool
    email: str | None = strawberry.field(description="Primary email.")
    phone: str | None = strawberry.field(description="Primary phone.")
    contact_title: str | None = strawberry.field(description="Title of the primary contact.")
    address: Address
    billing_contact: BillingContact
    billing_address: Address
    payment_terms: PaymentTerms
    currency: str = strawberry.field(description="Currency of all the customer's amounts.")
    shared_folder_url: str | None
    notes: str | None
    vat_id: str | None
    tax_id: str | None
    created_on: date
    version: int = strawberry.field(description="Increases with every change; send it back.")
    created_at: datetime
    updated_at: datetime
    owner_id: strawberry.Private[int]
    manager_id: strawberry.Private[int]

    owner: User = reference_field("Who owns the record.")
    manager: User = reference_field("Who actively manages the customer.")
    tags: list[str] = list_field("Labels such as VIP or Partner, alphabetical.")

    contacts: KeysetConnection[Contact] = relation_field("People at the customer, primary first.")
    sites: KeysetConnection[Site] = relation_field("The customer's locations.")
    projects: KeysetConnection[Project] = relation_field("Projects, newest first.")
    assets: KeysetConnection[Asset] = relation_field(
        "Assets at the customer's sites, whoever owns them."
    )
    owned_assets: KeysetConnection[Asset] = relation_field(
        "Assets the customer owns, wherever they stand."
    )
    contracts: KeysetConnection[Contract] = relation_field("Contracts, newest first.")
    work_orders: KeysetConnection[WorkOrder] = relation_field("Work orders, newest first.")
    leases: KeysetConnection[Lease] = relation_field("Assets and sites leased to the customer.")
    opportunities: KeysetConnection[Opportunity] = relation_field("Sales opportunities.")
    orders: KeysetConnection[Order] = relation_field("Purchases, newest first.")
    invoices: KeysetConnection[Invoice] = relation_field("Invoices, newest first.")
    tickets: KeysetConnection[SupportTicket] = relation_field("Support tickets, newest first.")
    price_schedules: KeysetConnection[PriceSchedule] = relation_field(
        "Customer-specific prices by product."
    )
    history: KeysetConnection[HistoryEvent] = relation_field("Every change, newest first.")

    @strawberry.field(description="Whether the viewer may edit this customer.")
    def viewer_can_edit(self, info: Info) -> bool:
        return info.context.actor.can_edit_customer(self.owner_id, self.manager_id)

    @strawberry.field(description="Whether the viewer holds the permission to delete customers.")
    def viewer_can_delete(self, info: Info) -> bool:
        return info.context.actor.can(Permission.DELETE_CUSTOMERS)

    total_revenue: Money = figure_field("Lifetime revenue: orders that were not cancelled.")
    customer_value: Money = figure_field(
        "What the customer has brought in: orders not cancelled plus paid invoices, in the "
        "customer's currency. Invoices bill work and services, never an order, so nothing "
        "counts twice."
    )
    open_opportunity_count: int = figure_field("Opportunities neither won nor lost.")
    project_summary: ProjectSummary = figure_field("Projects by phase.")
    asset_summary: AssetSummary = figure_field("Assets on location and owned.")
    site_summary: SiteSummary = figure_field("Sites by status.")
    billing_summary: BillingSummary = figure_field("Invoiced, paid and outstanding amounts.")
    deactivation_impact: DeactivationCascade = figure_field(
        "What deactivating the customer now would deactivate and cancel."
    )
    new_site: NewSiteValues = computed_field(
        "What a new site of this customer starts with, unless given: the name of its primary "
        "contact (else of its billing contact), its email and phone, and its address when no "
        "part of an address is given. `createSite` fills in the same."
    )
