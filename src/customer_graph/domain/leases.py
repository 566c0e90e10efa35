"""Leases: an asset or a site leased to a customer, at a rate per period."""

from __future__ import annotations

from sqlalchemy import select

from customer_graph.db.enums import LeaseRatePeriod
from customer_graph.db.models import Asset, Lease, Site
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import ErrorCode
from customer_graph.domain.parts import Part
from customer_graph.domain.record_writes import Kind

LEASE = Kind(
    Lease,
    "Lease",
    "lease",
    ("asset_id", "site_id", "start_date", "end_date", "rate", "currency", "rate_period"),
    paths={"rate": "rate.amount", "currency": "rate.currency"},
    title=None,
    field_labels={"asset_id": "Asset", "site_id": "Site", "rate": "Rate", "rate_period": "Billed"},
)


async def _check_leased(draft: Draft) -> None:
    """A lease is of exactly one thing, an asset or a site, and that thing exists."""
    asset_id, site_id = draft.after("asset_id"), draft.after("site_id")
    if asset_id is None and site_id is None:
        draft.fail(ErrorCode.INVALID, "asset_id", "Give the leased asset or site.")
    elif asset_id is not None and site_id is not None:
        draft.fail(
            ErrorCode.INVALID, "site_id", "A lease is of an asset or of a site, not of both."
        )
    for field, model, label in (("asset_id", Asset, "asset"), ("site_id", Site, "site")):
        if draft.changes(field) and draft.values[field] is not None:
            query = select(model.id).where(model.id == draft.values[field])
            if await draft.session.scalar(query) is None:
                draft.fail(ErrorCode.NOT_FOUND, field, f"No such {label}.")


async def _clean(draft: Draft) -> None:
    draft.value("asset_id")
    draft.value("site_id")
    draft.value("start_date", required=True)
    draft.value("end_date")
    draft.money("rate")
    draft.value("rate_period", required=True, default=LeaseRatePeriod.MONTHLY)
    draft.dates_in_order("start_date", "end_date")
    await _check_leased(draft)


LEASES = Part(LEASE, _clean)
