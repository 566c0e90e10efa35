"""A customer's sites: one customer per site, only for active customers."""

from __future__ import annotations

from sqlalchemy import select

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


async def prefill_from_customer(draft: Draft) -> None:
    """A new site starts with its customer's contact details, unless given.

    The contact is the customer's primary contact, else its billing contact; the address
    is the customer's when no part of an address is given.
    """
    customer = draft.customer
    if "contact_name" not in draft.given:
        if PRIMARY_CONTACT_NAME in customer:
            primary = customer[PRIMARY_CONTACT_NAME]
        else:
            primary = await draft.session.scalar(
                select(PRIMARY_CONTACT_OF_CUSTOMER).where(Customer.id == customer["id"])
            )
        draft.values["contact_name"] = primary or customer["billing_name"]
    for field in ("email", "phone"):
        if field not in draft.given:
            draft.values[field] = customer[field]
    if draft.given.get("address", {}) == {}:
        draft.values |= {part: customer[part] for part in ADDRESS_PARTS}


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
