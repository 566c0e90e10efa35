"""A customer's sites: one customer per site, only for active customers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, select

from customer_graph.db.enums import CustomerStatus, SiteStatus
from customer_graph.db.models import Asset, Contact, Customer, Lease, Site, WorkOrder
from customer_graph.domain.drafts import ADDRESS_LABELS, ADDRESS_PARTS, Draft
from customer_graph.domain.errors import ErrorCode
from customer_graph.domain.parts import Part
from customer_graph.domain.record_writes import Blocker, Kind

SITE = Kind(
    Site,
    "Site",
    "site",
    ("name", "status", *ADDRESS_PARTS, "contact_name", "email", "phone"),
    paths={part: f"address.{part}" for part in ADDRESS_PARTS},
    field_labels=ADDRESS_LABELS,
)


PRIMARY_CONTACT_NAME = "primary_contact_name"
"""The key, in the customer a site is drafted for, of its primary contact's name: read with
the customer's row (``SITES.read_with_customer``), or known already to a bulk import that
is adding contacts and sites together."""

PRIMARY_CONTACT_OF_CUSTOMER = (
    select(Contact.name)
    .where(Contact.customer_id == Customer.id, Contact.is_primary)
    .limit(1)
    .scalar_subquery()
)

NEW_SITE_READS: Mapping[str, ColumnElement[Any]] = {
    **{name: Customer.__table__.c[name] for name in ("billing_name", "email", "phone")},
    **{part: Customer.__table__.c[part] for part in ADDRESS_PARTS},
    PRIMARY_CONTACT_NAME: PRIMARY_CONTACT_OF_CUSTOMER,
}
"""What ``new_site_values`` needs of a customer, by key, for whoever reads it by itself
(``Customer.newSite``); a change reads the whole row with the primary contact's name."""


def new_site_values(
    customer: Mapping[str, Any], primary_contact_name: str | None
) -> dict[str, Any]:
    """What a new site of ``customer`` (its row) starts with, field by field, unless given.

    The contact is the customer's primary contact, else its billing contact; email, phone
    and address are the customer's.
    """
    return {
        "contact_name": primary_contact_name or customer["billing_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        **{part: customer[part] for part in ADDRESS_PARTS},
    }


async def prefill_from_customer(draft: Draft) -> None:
    """The fields of a new site that are not given, from ``new_site_values``: the address
    only when no part of one is given."""
    primary = None if "contact_name" in draft.given else await _primary_contact_name(draft)
    address_given = draft.given.get("address", {}) != {}
    for field, value in new_site_values(draft.customer, primary).items():
        given = address_given if field in ADDRESS_PARTS else field in draft.given
        if not given:
            draft.values[field] = value


async def _primary_contact_name(draft: Draft) -> str | None:
    customer = draft.customer
    if PRIMARY_CONTACT_NAME in customer:
        name: str | None = customer[PRIMARY_CONTACT_NAME]
        return name
    return await draft.session.scalar(
        select(PRIMARY_CONTACT_OF_CUSTOMER).where(Customer.id == customer["id"])
    )


def _check_activation(draft: Draft) -> None:
    """Activating a site of an inactive customer would undo its deactivation."""
    if (
        draft.changes("status")
        and draft.values["status"] is SiteStatus.ACTIVE
        and draft.customer["status"] is not CustomerStatus.ACTIVE
    ):
        draft.fail(
            ErrorCode.NOT_ACTIVE,
            "status",
            f"{draft.customer['name']} is inactive: its sites cannot be activated.",
        )


async def _clean(draft: Draft) -> None:
    draft.text("name", 200, required=True)
    draft.address()
    draft.text("contact_name", 200)
    draft.email("email")
    draft.phone("phone")
    draft.value("status", required=True, default=SiteStatus.ACTIVE)
    _check_activation(draft)
    if draft.creating:
        await prefill_from_customer(draft)


SITES = Part(
    SITE,
    _clean,
    new_only_for_active_customers="sites",
    read_with_customer={PRIMARY_CONTACT_NAME: PRIMARY_CONTACT_OF_CUSTOMER},
    blockers=(
        Blocker("asset", "assets", Asset.site_id),
        Blocker("work order", "work orders", WorkOrder.site_id),
        Blocker("lease", "leases", Lease.site_id),
    ),
)
