"""The read-only figures of a customer, as SQL over its related rows.

Each figure is a scalar subquery correlated to ``customers.id``, so the same expression
serves a batch of customers, a sort key (``totalRevenue``) and a compiled query.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, literal, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from customer_graph.db.base import Money
from customer_graph.db.enums import (
    InvoiceStatus,
    OpportunityStage,
    OrderStatus,
    ProjectPhase,
    SiteStatus,
)
from customer_graph.db.models import (
    Asset,
    Contract,
    Customer,
    Invoice,
    Opportunity,
    Order,
    Project,
    Site,
    Task,
    WorkOrder,
)
from customer_graph.domain.lifecycle import CANCELLABLE_CONTRACTS, OPEN_TASKS, OPEN_WORK_ORDERS
from customer_graph.domain.projects import TODAY, project_phase

CLOSED_OPPORTUNITY_STAGES = (OpportunityStage.WON, OpportunityStage.LOST)
BILLED_INVOICE_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PAID)


def opportunity_is_open() -> ColumnElement[bool]:
    """An opportunity is open until it is won or lost."""
    return Opportunity.stage.not_in(CLOSED_OPPORTUNITY_STAGES)


def _money_sum(amount: Any, *conditions: ColumnElement[bool]) -> ColumnElement[Decimal]:
    total = func.coalesce(func.sum(amount), literal(Decimal(0), Money()))
    return select(total).where(*conditions).scalar_subquery()


def _count(*conditions: ColumnElement[bool], source: Any = None) -> ColumnElement[int]:
    query = select(func.count())
    if source is not None:
        query = query.select_from(source)
    return query.where(*conditions).scalar_subquery()


def lifetime_revenue() -> ColumnElement[Decimal]:
    """Total of the customer's orders that were not cancelled."""
    return _money_sum(
        Order.total, Order.customer_id == Customer.id, Order.status != OrderStatus.CANCELLED
    )


def customer_value() -> ColumnElement[Decimal]:
    """What the customer has brought in: what it ordered (orders not cancelled) plus what it
    paid on invoices.

    Orders are purchases; invoices bill project work and services and never name an order,
    so nothing is counted twice. A customer billed only through invoices has a value (its
    lifetime revenue, orders only, is zero).
    """
    return type_coerce(lifetime_revenue() + paid_amount(), Money())


def open_opportunity_count() -> ColumnElement[int]:
    return _count(Opportunity.customer_id == Customer.id, opportunity_is_open())


def projects_in_phase(phase: ProjectPhase) -> ColumnElement[int]:
    return _count(Project.customer_id == Customer.id, project_phase() == phase)


def assets_on_location() -> ColumnElement[int]:
    """Assets standing at any of the customer's sites, whoever owns them."""
    return _count(
        Site.customer_id == Customer.id, source=Asset.__table__.join(Site, Asset.site_id == Site.id)
    )


def assets_owned() -> ColumnElement[int]:
    """Assets the customer owns, wherever they stand."""
    return _count(Asset.owner_customer_id == Customer.id)


def sites_with_status(status: SiteStatus | None = None) -> ColumnElement[int]:
    conditions = [Site.customer_id == Customer.id]
    if status is not None:
        conditions.append(Site.status == status)
    return _count(*conditions)


def invoiced_amount() -> ColumnElement[Decimal]:
    """Everything billed: issued or paid invoices (drafts and voided ones are not)."""
    return _money_sum(
        Invoice.amount,
        Invoice.customer_id == Customer.id,
        Invoice.status.in_(BILLED_INVOICE_STATUSES),
    )


def paid_amount() -> ColumnElement[Decimal]:
    return _money_sum(
        Invoice.amount, Invoice.customer_id == Customer.id, Invoice.status == InvoiceStatus.PAID
    )


def outstanding_amount() -> ColumnElement[Decimal]:
    return _money_sum(
        Invoice.amount, Invoice.customer_id == Customer.id, Invoice.status == InvoiceStatus.ISSUED
    )


def overdue_amount() -> ColumnElement[Decimal]:
    """Issued, unpaid and past its due date as of today."""
    return _money_sum(
        Invoice.amount,
        and_(Invoice.customer_id == Customer.id, Invoice.status == InvoiceStatus.ISSUED),
        Invoice.due_on < TODAY,
    )


def deactivation_would_touch() -> dict[str, ColumnElement[int]]:
    """What deactivating the customer now would deactivate or cancel, shown before one confirms."""
    return {
        "sites_deactivated": sites_with_status(SiteStatus.ACTIVE),
        "contracts_cancelled": _count(
            Contract.customer_id == Customer.id, Contract.status.in_(CANCELLABLE_CONTRACTS)
        ),
        "work_orders_cancelled": _count(
            WorkOrder.customer_id == Customer.id, WorkOrder.status.in_(OPEN_WORK_ORDERS)
        ),
        "tasks_cancelled": _count(
            WorkOrder.customer_id == Customer.id,
            WorkOrder.status.in_(OPEN_WORK_ORDERS),
            Task.status.in_(OPEN_TASKS),
            source=Task.__table__.join(WorkOrder, Task.work_order_id == WorkOrder.id),
        ),
    }
