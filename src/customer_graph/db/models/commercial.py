"""Money flowing between us and the customer: contracts, opportunities, orders, invoices,
prices; and the support tickets that come with it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from customer_graph.db.base import Base, Money, UTCDateTime, enum_column
from customer_graph.db.enums import (
    ContractStatus,
    InvoiceStatus,
    OpportunityStage,
    OrderStatus,
    TicketPriority,
    TicketStatus,
)

PRICE_PERIODS_DO_NOT_OVERLAP = "ex_price_schedules_do_not_overlap"
"""The constraint (PostgreSQL) and the triggers' message (SQLite) of overlapping prices."""


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Opportunity(Base):
    __tablename__ = "opportunities"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    stage: Mapped[OpportunityStage] = mapped_column(enum_column(OpportunityStage))
    expected_close_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("total >= 0", name="total_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    ordered_on: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invoice(Base):
    """Billing per customer, optionally for one of the customer's own projects."""

    __tablename__ = "invoices"
    __table_args__ = (
        ForeignKeyConstraint(
            ["project_id", "customer_id"],
            ["projects.id", "projects.customer_id"],
            name="fk_invoices_project_of_customer",
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("due_on IS NULL OR due_on >= issued_on", name="dates_ordered"),
        CheckConstraint("paid_on IS NULL OR paid_on >= issued_on", name="paid_after_issued"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus))
    issued_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SupportTicket(Base):
    __tablename__ = "support_tickets"
    __table_args__ = (
        CheckConstraint("closed_at IS NULL OR closed_at >= opened_at", name="closed_after_opened"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus))
    priority: Mapped[TicketPriority] = mapped_column(enum_column(TicketPriority))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PriceSchedule(Base):
    """A customer-specific price for one product over a period.

    ``valid_to`` is the last day of the period; none means open. Periods of the same
    customer and product never share a day: on PostgreSQL by the exclusion constraint below,
    on SQLite by triggers (migration 0005).
    """

    __tablename__ = "price_schedules"
    __table_args__ = (
        UniqueConstraint("customer_id", "product_code", "valid_from", name="uq_price_period"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="dates_ordered"),
        ExcludeConstraint(
            ("customer_id", "="),
            ("product_code", "="),
            (text("daterange(valid_from, valid_to, '[]')"), "&&"),
            name=PRICE_PERIODS_DO_NOT_OVERLAP,
            using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_code: Mapped[str] = mapped_column(String(50))
    product_name: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
