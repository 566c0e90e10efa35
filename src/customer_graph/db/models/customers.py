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
from customer_graph.db.fields import shown


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
    customer_number: Mapped[str] = mapped_column(String(32), unique=True, info=shown("number"))
    name: Mapped[str] = mapped_column(String(200), info=shown("text"))
    kind: Mapped[CustomerKind] = mapped_column(
        enum_column(CustomerKind),
        info=shown("choice", label="Type", default=CustomerKind.COMPANY),
    )
    segment: Mapped[CustomerSegment] = mapped_column(
        enum_column(CustomerSegment), info=shown("choice", default=CustomerSegment.SMB)
    )
    status: Mapped[CustomerStatus] = mapped_column(
        enum_column(CustomerStatus), index=True, info=shown("choice", editable=False)
    )
    description: Mapped[str | None] = mapped_column(Text, info=shown("text", max_length=4000))

    email: Mapped[str | None] = mapped_column(String(254), info=shown("email"))
    phone: Mapped[str | None] = mapped_column(String(40), info=shown("phone"))
    contact_title: Mapped[str | None] = mapped_column(String(100), info=shown("text"))

    street1: Mapped[str | None] = mapped_column(
        String(200), info=shown("text", path="address.street1", label="Street")
    )
    street2: Mapped[str | None] = mapped_column(
        String(200), info=shown("text", path="address.street2", label="Street (line 2)")
    )
    city: Mapped[str | None] = mapped_column(String(100), info=shown("text", path="address.city"))
    region: Mapped[str | None] = mapped_column(
        String(100), info=shown("text", path="address.region")
    )
    postal_code: Mapped[str | None] = mapped_column(
        String(20), info=shown("text", path="address.postal_code")
    )
    country: Mapped[str | None] = mapped_column(
        String(2), info=shown("country", path="address.country")
    )

    billing_name: Mapped[str | None] = mapped_column(
        String(200), info=shown("text", path="billing_contact.name", label="Billing contact")
    )
    billing_email: Mapped[str | None] = mapped_column(
        String(254), info=shown("email", path="billing_contact.email", label="Billing email")
    )
    billing_phone: Mapped[str | None] = mapped_column(
        String(40), info=shown("phone", path="billing_contact.phone", label="Billing phone")
    )
    billing_street1: Mapped[str | None] = mapped_column(
        String(200), info=shown("text", path="billing_address.street1", label="Billing street")
    )
    billing_street2: Mapped[str | None] = mapped_column(
        String(200),
        info=shown("text", path="billing_address.street2", label="Billing street (line 2)"),
    )
    billing_city: Mapped[str | None] = mapped_column(
        String(100), info=shown("text", path="billing_address.city", label="Billing city")
    )
    billing_region: Mapped[str | None] = mapped_column(
        String(100), info=shown("text", path="billing_address.region", label="Billing region")
    )
    billing_postal_code: Mapped[str | None] = mapped_column(
        String(20),
        info=shown("text", path="billing_address.postal_code", label="Billing postal code"),
    )
    billing_country: Mapped[str | None] = mapped_column(
        String(2), info=shown("country", path="billing_address.country", label="Billing country")
    )
    payment_terms: Mapped[PaymentTerms] = mapped_column(
        enum_column(PaymentTerms), info=shown("choice", default=PaymentTerms.NET_30)
    )
    currency: Mapped[str] = mapped_column(String(3), info=shown("currency", default="USD"))

    shared_folder_url: Mapped[str | None] = mapped_column(
        String(2000), info=shown("url", label="Shared folder")
    )
    notes: Mapped[str | None] = mapped_column(Text, info=shown("text", max_length=10000))
    vat_id: Mapped[str | None] = mapped_column(String(40), info=shown("text", label="VAT ID"))
    tax_id: Mapped[str | None] = mapped_column(String(40), info=shown("text", label="Tax ID"))
    created_on: Mapped[date] = mapped_column(Date, info=shown("date", label="Date created"))
    archived_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), info=shown("date", editable=False)
    )

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), index=True, info=shown("person", label="Owner", exported=False)
    )
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), index=True, info=shown("person", label="Manager", exported=False)
    )

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
