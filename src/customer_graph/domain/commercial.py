"""Contracts, opportunities, orders, invoices, price schedules and support tickets.

Amounts are in the customer's currency; numbers of contracts, orders and invoices are
unique across all customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.engine import Transaction, engine_of
from customer_graph.db.enums import (
    ContractStatus,
    CustomerStatus,
    InvoiceStatus,
    OpportunityStage,
    OrderStatus,
    TicketPriority,
    TicketStatus,
)
from customer_graph.db.models import (
    Contract,
    Invoice,
    Opportunity,
    Order,
    PriceSchedule,
    Project,
    SupportTicket,
)
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.lifecycle import CANCELLABLE_CONTRACTS
from customer_graph.domain.parts import Part
from customer_graph.domain.record_writes import Kind


def _money_paths(field: str) -> dict[str, str]:
    return {field: f"{field}.amount", "currency": f"{field}.currency"}


CONTRACT = Kind(
    Contract,
    "Contract",
    "contract",
    ("number", "start_date", "end_date", "value", "currency", "status"),
    paths=_money_paths("value"),
    title="number",
    field_labels={"value": "Value"},
)
OPPORTUNITY = Kind(
    Opportunity,
    "Opportunity",
    "opportunity",
    ("name", "amount", "currency", "stage", "expected_close_on"),
    paths=_money_paths("amount"),
    field_labels={"expected_close_on": "Expected to close"},
)
ORDER = Kind(
    Order,
    "Order",
    "order",
    ("number", "ordered_on", "total", "currency", "status"),
    paths=_money_paths("total"),
    title="number",
    field_labels={"total": "Total"},
)
INVOICE = Kind(
    Invoice,
    "Invoice",
    "invoice",
    ("number", "project_id", "amount", "currency", "status", "issued_on", "due_on", "paid_on"),
    paths=_money_paths("amount"),
    title="number",
    field_labels={"project_id": "Project"},
)
SUPPORT_TICKET = Kind(
    SupportTicket,
    "SupportTicket",
    "support ticket",
    ("subject", "status", "priority", "closed_at"),
    title="subject",
    field_labels={"closed_at": "Closed"},
)
PRICE_SCHEDULE = Kind(
    PriceSchedule,
    "PriceSchedule",
    "price schedule",
    ("product_code", "product_name", "unit_price", "currency", "valid_from", "valid_to"),
    paths=_money_paths("unit_price"),
    title="product_code",
    field_labels={"product_name": "Product", "unit_price": "Unit price"},
)
CLOSED_TICKETS = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
PRICE_PERIOD = ("product_code", "valid_from", "valid_to")


def _check_reopening(draft: Draft) -> None:
    """An inactive customer's contracts stay cancelled: deactivation cancelled them."""
    if (
        not draft.creating
        and draft.changes("status")
        and draft.values["status"] in CANCELLABLE_CONTRACTS
        and draft.customer["status"] is not CustomerStatus.ACTIVE
    ):
        draft.fail(
            ErrorCode.NOT_ACTIVE,
            "status",
            f"{draft.customer['name']} is inactive: its contracts cannot be reopened.",
        )


async def _clean_contract(draft: Draft) -> None:
    draft.text("number", 32, required=True)
    draft.value("start_date", required=True)
    draft.value("end_date")
    draft.money("value")
    draft.value("status", required=True, default=ContractStatus.DRAFT)
    draft.dates_in_order("start_date", "end_date")
    _check_reopening(draft)
    await draft.unique(CONTRACT, "number", "Contract number")


async def _clean_opportunity(draft: Draft) -> None:
    draft.text("name", 200, required=True)
    draft.money("amount")
    draft.value("stage", required=True, default=OpportunityStage.PROSPECTING)
    draft.value("expected_close_on")


async def _clean_order(draft: Draft) -> None:
    draft.text("number", 32, required=True)
    draft.value("ordered_on", required=True)
    draft.money("total")
    draft.value("status", required=True, default=OrderStatus.PENDING)
    await draft.unique(ORDER, "number", "Order number")


async def _check_project(draft: Draft) -> None:
    """An invoice bills one of its customer's own projects, or none."""
    project_id = draft.values.get("project_id")
    if project_id is None or not draft.changes("project_id"):
        return
    owner = await draft.session.scalar(select(Project.customer_id).where(Project.id == project_id))
    if owner != draft.customer["id"]:
        draft.fail(
            ErrorCode.INVALID,
            "project_id",
            f"The project is not one of {draft.customer['name']}'s.",
        )


async def _clean_invoice(draft: Draft) -> None:
    draft.text("number", 32, required=True)
    draft.value("project_id")
    draft.money("amount")
    draft.value("status", required=True, default=InvoiceStatus.DRAFT)
    draft.value("issued_on")
    draft.value("due_on")
    draft.value("paid_on")
    draft.dates_in_order("issued_on", "due_on", "An invoice cannot be due before it is issued.")
    draft.dates_in_order("issued_on", "paid_on", "An invoice cannot be paid before it is issued.")
    await _check_project(draft)
    await draft.unique(INVOICE, "number", "Invoice number")


def stamp_closing(draft: Draft) -> None:
    """A ticket is closed from the moment it is resolved or closed, until it is reopened."""
    now = datetime.now(UTC)
    if draft.creating:
        draft.values["opened_at"] = now
    if not draft.changes("status"):
        return
    closed = draft.values["status"] in CLOSED_TICKETS
    was_closed = draft.record is not None and draft.record["status"] in CLOSED_TICKETS
    if closed and not was_closed:
        draft.values["closed_at"] = now
    elif not closed:
        draft.values["closed_at"] = None


async def _clean_ticket(draft: Draft) -> None:
    draft.text("subject", 300, required=True)
    draft.value("status", required=True, default=TicketStatus.OPEN)
    draft.value("priority", required=True, default=TicketPriority.NORMAL)
    stamp_closing(draft)


async def overlapping_price(
    session: Transaction,
    customer: Mapping[str, Any],
    values: Mapping[str, Any],
    record_id: int | None,
) -> DomainError | None:
    """The refusal naming a stored price of the same customer and product that shares a day
    with the period ``values`` give (``valid_to`` is the last day; none is open), if any."""
    code, valid_from, valid_to = values["product_code"], values["valid_from"], values["valid_to"]
    query = select(PriceSchedule.__table__).where(
        PriceSchedule.customer_id == customer["id"],
        PriceSchedule.product_code == code,
        or_(PriceSchedule.valid_to.is_(None), PriceSchedule.valid_to >= valid_from),
    )
    if valid_to is not None:
        query = query.where(PriceSchedule.valid_from <= valid_to)
    if record_id is not None:
        query = query.where(PriceSchedule.id != record_id)
    clash = (await session.execute(query.order_by(PriceSchedule.valid_from).limit(1))).first()
    if clash is None:
        return None
    until = f"to {clash.valid_to}" if clash.valid_to else "on, with no end"
    return DomainError(
        ErrorCode.DUPLICATE,
        f"{customer['name']} has a price for {code} from {clash.valid_from} {until} "
        f"({clash.unit_price} {clash.currency}): a product has one price a day. "
        "End that price before this one starts, or change it instead.",
        "valid_from",
    )


def _period(draft: Draft) -> dict[str, Any] | None:
    """The product and period the price will have, when complete and changed."""
    period = {name: draft.after(name) for name in PRICE_PERIOD}
    code, valid_from, valid_to = (period[name] for name in PRICE_PERIOD)
    if code is None or valid_from is None or (valid_to is not None and valid_to < valid_from):
        return None
    if not any(draft.changes(name) for name in PRICE_PERIOD):
        return None
    return period


async def _check_period_free(draft: Draft) -> None:
    """A customer has one price per product on any day."""
    period = _period(draft)
    if period is None:
        return
    clash = await overlapping_price(draft.session, draft.customer, period, draft.record_id)
    if clash is not None:
        draft.fail(clash.code, "valid_from", clash.message)


async def _explain_price_conflict(draft: Draft) -> DomainError | None:
    """What the database refused, when a concurrent writer stored an overlapping price
    between the check above and the write: read afresh, beside the failed transaction."""
    period = _period(draft)
    if period is None:
        return None
    async with AsyncSession(engine_of(draft.session)) as fresh:
        return await overlapping_price(fresh, draft.customer, period, draft.record_id)


async def _clean_price_schedule(draft: Draft) -> None:
    draft.text("product_code", 50, required=True)
    draft.text("product_name", 200, required=True)
    draft.money("unit_price")
    draft.value("valid_from", required=True)
    draft.value("valid_to")
    draft.dates_in_order("valid_from", "valid_to")
    await _check_period_free(draft)


CONTRACTS = Part(CONTRACT, _clean_contract, new_only_for_active_customers="contracts")
OPPORTUNITIES = Part(OPPORTUNITY, _clean_opportunity)
ORDERS = Part(ORDER, _clean_order)
INVOICES = Part(INVOICE, _clean_invoice)
SUPPORT_TICKETS = Part(SUPPORT_TICKET, _clean_ticket)
PRICE_SCHEDULES = Part(
    PRICE_SCHEDULE, _clean_price_schedule, explain_refusal=_explain_price_conflict
)
