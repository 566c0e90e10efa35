"""Value objects: shapes without identity, built from columns of their owner's row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from customer_graph.api.naming import graphql_path
from customer_graph.domain.history_fields import field_label


@strawberry.type(description="An exact amount of money in one currency.")
class Money:
    amount: Decimal
    currency: str = strawberry.field(description="ISO 4217 code, such as USD.")


@strawberry.type
class Address:
    street1: str | None
    street2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 code.")


@strawberry.type(description="Who receives the customer's invoices.")
class BillingContact:
    name: str | None
    email: str | None
    phone: str | None


@strawberry.type(
    description="What a new site starts with where its contact details or address are not given."
)
class NewSiteValues:
    contact_name: str | None = strawberry.field(
        description="The name of the customer's primary contact, else of its billing contact."
    )
    email: str | None = strawberry.field(description="The customer's email.")
    phone: str | None = strawberry.field(description="The customer's phone.")
    address: Address = strawberry.field(
        description="The customer's address, when no part of an address is given."
    )


@strawberry.type(description="The customer's projects by phase: upcoming, active and past.")
class ProjectSummary:
    upcoming: int
    active: int
    past: int


@strawberry.type(description="Assets at the customer's sites, and assets the customer owns.")
class AssetSummary:
    on_location: int
    owned: int


@strawberry.type(description="The customer's sites by status.")
class SiteSummary:
    total: int
    active: int
    inactive: int


@strawberry.type(description="Invoices of the customer across all its projects.")
class BillingSummary:
    invoiced: Money = strawberry.field(description="Issued and paid invoices.")
    paid: Money
    outstanding: Money = strawberry.field(description="Issued and not yet paid.")
    overdue: Money = strawberry.field(description="Outstanding and past the due date.")


@strawberry.type(description="Sites deactivated and things cancelled along with a customer.")
class DeactivationCascade:
    sites_deactivated: int
    contracts_cancelled: int
    work_orders_cancelled: int
    tasks_cancelled: int


@strawberry.type(description="One field of one change: its value before and after.")
class FieldChange:
    field: str
    label: str = strawberry.field(
        description='The field in words, as people read it ("Billing city" for '
        "`billingAddress.city`)."
    )
    before: JSON | None
    after: JSON | None
    before_name: str | None = strawberry.field(
        description="When `before` is the id of another record (an owner, a site, ...): "
        "that record's name when the change was made."
    )
    after_name: str | None = strawberry.field(
        description="When `after` is the id of another record: its name when the change was made."
    )

    @classmethod
    def from_document(cls, document: dict[str, Any], entity_type: str) -> FieldChange:
        """One change as history stores it, of a record of ``entity_type``."""
        stored = str(document.get("field", ""))
        return cls(
            field=graphql_path(stored) or "",
            label=field_label(entity_type, stored),
            before=document.get("before"),
            after=document.get("after"),
            before_name=document.get("before_name"),
            after_name=document.get("after_name"),
        )
