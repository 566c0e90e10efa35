"""Assets: where one stands (a site) and who owns it may differ.

The customer answerable for an asset is its owner or, when it has none, the customer of
its site: changing the asset needs edit permission there, and moving it to another
answerable customer needs permission on that one too. History goes to every customer
the asset stands with or belongs to, before and after the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import AssetStatus
from customer_graph.db.models import Asset, Lease, Site
from customer_graph.domain import record_writes
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import (
    Blocker,
    Kind,
    Written,
    customer_ids,
    customer_to_change,
)

ASSET = Kind(
    Asset,
    "Asset",
    "asset",
    ("name", "serial_number", "status", "site_id", "owner_customer_id"),
    field_labels={"site_id": "Site", "owner_customer_id": "Owned by"},
)
BLOCKERS = (Blocker("lease", "leases", Lease.asset_id),)


@dataclass(frozen=True)
class Placement:
    site_id: int | None
    site_customer_id: int | None
    owner_id: int | None

    @property
    def answerable(self) -> int:
        """The owner, else the customer of the site."""
        found = self.owner_id if self.owner_id is not None else self.site_customer_id
        assert found is not None
        return found

    @property
    def answerable_field(self) -> str:
        return "owner_customer_id" if self.owner_id is not None else "site_id"

    @property
    def customer_ids(self) -> tuple[int, ...]:
        return customer_ids(self.owner_id, self.site_customer_id)


async def _placement(session: Transaction, site_id: int | None, owner_id: int | None) -> Placement:
    if site_id is None and owner_id is None:
        raise DomainError(
            ErrorCode.REQUIRED, "An asset needs a site, an owner, or both.", "site_id"
        )
    site_customer_id = None
    if site_id is not None:
        site_customer_id = await session.scalar(select(Site.customer_id).where(Site.id == site_id))
        if site_customer_id is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such site.", "site_id")
    return Placement(site_id, site_customer_id, owner_id)


async def _placement_of(session: Transaction, asset_id: int) -> Placement:
    row = (
        await session.execute(
            select(Asset.site_id, Asset.owner_customer_id).where(Asset.id == asset_id)
        )
    ).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such asset.", "id")
    return await _placement(session, row.site_id, row.owner_customer_id)


async def _load_where(session: Transaction, asset_id: int, placement: Placement) -> dict[str, Any]:
    """The asset, locked, if it is still where permissions were checked."""
    asset = await record_writes.load_record(session, ASSET, asset_id)
    if (asset["site_id"], asset["owner_customer_id"]) != (placement.site_id, placement.owner_id):
        raise DomainError(
            ErrorCode.CONFLICT, "Someone moved the asset meanwhile; reload and try again.", "id"
        )
    return asset


async def _clean(draft: Draft) -> None:
    draft.text("name", 200, required=True)
    draft.text("serial_number", 100)
    draft.value("status", required=True, default=AssetStatus.IN_SERVICE)
    draft.value("site_id")
    draft.value("owner_customer_id")
    await draft.unique(ASSET, "serial_number", "Serial number")


async def create_asset(session: Transaction, actor: Actor, given: Mapping[str, Any]) -> Written:
    placement = await _placement(session, given.get("site_id"), given.get("owner_customer_id"))
    customer = await customer_to_change(
        session, actor, placement.answerable, field=placement.answerable_field
    )
    draft = Draft(given, session=session, actor=actor, customer=customer)
    await _clean(draft)
    draft.check.raise_if_failed()
    asset_id = await record_writes.insert_record(
        session, actor, ASSET, draft.values, placement.customer_ids
    )
    return Written(asset_id, placement.customer_ids)


async def update_asset(
    session: Transaction, actor: Actor, asset_id: int, given: Mapping[str, Any]
) -> Written:
    """Edit an asset, or move it: a new ``site_id`` and/or ``owner_customer_id``."""
    before = await _placement_of(session, asset_id)
    after = await _placement(
        session,
        given.get("site_id", before.site_id),
        given.get("owner_customer_id", before.owner_id),
    )
    fields = {before.answerable: "id", after.answerable: after.answerable_field}
    answerable = {
        customer_id: await customer_to_change(
            session, actor, customer_id, field=fields[customer_id]
        )
        for customer_id in sorted(fields)
    }
    asset = await _load_where(session, asset_id, before)
    draft = Draft(given, asset, session=session, actor=actor, customer=answerable[after.answerable])
    await _clean(draft)
    draft.check.raise_if_failed()
    touched = customer_ids(*before.customer_ids, *after.customer_ids)
    await record_writes.update_record(session, actor, ASSET, asset, draft.values, touched)
    return Written(asset_id, touched)


async def remove_asset(session: Transaction, actor: Actor, asset_id: int) -> Written:
    placement = await _placement_of(session, asset_id)
    await customer_to_change(session, actor, placement.answerable, removing=True)
    asset = await _load_where(session, asset_id, placement)
    await record_writes.refuse_if_referenced(session, ASSET, asset, BLOCKERS)
    await record_writes.delete_record(session, actor, ASSET, asset, placement.customer_ids)
    return Written(asset_id, placement.customer_ids)
