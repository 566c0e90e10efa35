"""Projects of a customer: kept while billed, on both databases."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.db.models import Project
from tests import customer_records
from tests import factories as make
from tests.customer_records import World, count, mutate, refusals

world = customer_records.world


async def test_removing_a_billed_project_is_refused(engine: AsyncEngine, world: World) -> None:
    async with engine.begin() as conn:
        await make.invoice(
            conn, world.acme, "10.00", enums.InvoiceStatus.ISSUED, project_id=world.acme_project
        )
    result = await mutate(
        engine, "removeProject", {"id": world.ids["acme_project"]}, "removedProjectId", world.rep
    )
    assert refusals(result) == {("id", "REFERENCED")}
    assert "1 invoice refers to it" in result["userErrors"][0]["message"]
    assert await count(engine, Project) == 1
