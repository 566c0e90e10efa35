"""The customer and what is recorded directly on it: tags and contacts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from customer_graph.db.base import Base, UTCDateTime, enum_column
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus, PaymentTerms


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("length(customer_number) > 0", name="customer_number_not_empty"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("length(currency) = 3", name="currency_code"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_customers_name_id", "name", "id"),
        Index("ix_customers_created_on_id", "created_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CustomerKind] = mapped_column(enum_column(CustomerKind))
    segment: Mapped[CustomerSegment] = mapped_column(enum_column(CustomerSegment))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CustomerStatus] = mapped_column(enum_column(CustomerStatus), index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_title: Mapped[str | None] = mapped_column(String(100))

    street1: Mapped[str | None] = mapped_column(String(200))
    street2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))

    billing_name: Mapped[str | None] = mapped_column(String(200))
    billing_email: Mapped[str | None] = mapped_column(String(254))
    billing_phone: Mapped[str | None] = mapped_column(String(40))
    billing_street1: Mapped[str | None] = mapped_column(String(200))
    billing_street2: Mapped[str | None] = mapped_column(String(200))
    billing_city: Mapped[str | None] = mapped_column(String(100))
    billing_region: Mapped[str | None] = mapped_column(String(100))
    billing_postal_code: Mapped[str | None] = mapped_column(String(20))
    billing_country: Mapped[str | None] = mapped_column(String(2))
    payment_terms: Mapped[PaymentTerms] = mapped_column(enum_column(PaymentTerms))
    currency: Mapped[str] = mapped_column(String(3))

    shared_folder_url: Mapped[str | None] = mapped_column(String(2000))
    notes: Mapped[str | None] = mapped_column(Text)
    vat_id: Mapped[str | None] = mapped_column(String(40))
    tax_id: Mapped[str | None] = mapped_column(String(40))
    created_on: Mapped[date] = mapped_column(Date)

    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CustomerTag(Base):
    __tablename__ = "customer_tags"
    __table_args__ = (
        CheckConstraint("length(tag) > 0", name="tag_not_empty"),
        Index("ix_customer_tags_tag", "tag"),
    )

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index(
            "uq_contacts_one_primary_per_customer",
            "customer_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
