"""Support tickets: closed when resolved, open again when reopened; on both databases."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests import customer_records
from tests.customer_records import World, mutate

world = customer_records.world


async def test_a_resolved_ticket_is_closed_until_reopened(
    engine: AsyncEngine, world: World
) -> None:
    created = await mutate(
        engine,
        "createSupportTicket",
        {"customerId": world.ids["acme"], "subject": "Help"},
        "supportTicket { id closedAt }",
        world.rep,
    )
    ticket_id = created["supportTicket"]["id"]
    assert created["supportTicket"]["closedAt"] is None
    update = {"id": ticket_id, "status": "RESOLVED"}
    resolved = await mutate(
        engine, "updateSupportTicket", update, "supportTicket { closedAt }", world.rep
    )
    assert resolved["supportTicket"]["closedAt"] is not None
    reopened = await mutate(
        engine,
        "updateSupportTicket",
        {"id": ticket_id, "status": "OPEN"},
        "supportTicket { closedAt }",
        world.rep,
    )
    assert reopened["supportTicket"] == {"closedAt": None}
