"""Work orders and their tasks: numbered, removed together, closed to new tasks; on both
databases."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.db.models import Task
from tests import customer_records
from tests import factories as make
from tests.customer_records import World, changes_of, count, history, mutate, refusals
from tests.graphql_client import global_id

world = customer_records.world


async def test_work_order_numbers_are_assigned(engine: AsyncEngine, world: World) -> None:
    given = {"customerId": world.ids["acme"], "siteId": world.ids["acme_site"], "title": "Job"}
    numbers = []
    for extra in ({}, {"number": "CUSTOM-7"}, {"number": "  "}):
        result = await mutate(
            engine, "createWorkOrder", given | extra, "workOrder { number }", world.rep
        )
        numbers.append(result["workOrder"]["number"])
    assert numbers == ["WO-000001", "CUSTOM-7", "WO-000002"]


async def test_removing_a_work_order_removes_its_tasks(engine: AsyncEngine, world: World) -> None:
    async with engine.begin() as conn:
        await make.task(conn, world.acme_work_order, title="One")
        await make.task(conn, world.acme_work_order, title="Two")
    result = await mutate(
        engine,
        "removeWorkOrder",
        {"id": world.ids["acme_work_order"]},
        "removedWorkOrderId",
        world.rep,
    )
    assert result == {"removedWorkOrderId": world.ids["acme_work_order"], "userErrors": []}
    assert await count(engine, Task) == 0
    removed = [
        (e["entityType"], changes_of(e).get("title"))
        for e in await history(engine, world.ids["acme"])
        if e["action"] == "DELETED"
    ]
    assert removed == [
        ("Task", ("One", None)),
        ("Task", ("Two", None)),
        ("WorkOrder", ("Inspection", None)),
    ]


@pytest.mark.parametrize("status", [enums.WorkOrderStatus.DONE, enums.WorkOrderStatus.CANCELLED])
async def test_a_closed_work_order_takes_no_new_tasks(
    engine: AsyncEngine, world: World, status: enums.WorkOrderStatus
) -> None:
    async with engine.begin() as conn:
        closed = await make.work_order(conn, world.acme, world.acme_site, status=status)
    result = await mutate(
        engine,
        "createTask",
        {"workOrderId": global_id("WorkOrder", closed), "title": "Too late"},
        "task { id }",
        world.rep,
    )
    assert refusals(result) == {("workOrderId", "INVALID")}
    assert status.value.lower() in result["userErrors"][0]["message"]
    assert await count(engine, Task) == 0
