"""Work orders and their tasks: field work at one of the customer's own sites."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import CustomerStatus, TaskStatus, WorkOrderStatus
from customer_graph.db.models import Site, Task, WorkOrder
from customer_graph.domain import record_writes
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.lifecycle import OPEN_WORK_ORDERS
from customer_graph.domain.numbering import next_number
from customer_graph.domain.parts import Part
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Kind, Written, customer_to_change

WORK_ORDER = Kind(
    WorkOrder,
    "WorkOrder",
    "work order",
    ("number", "title", "description", "status", "scheduled_on", "site_id"),
    title="number",
    field_labels={"site_id": "Site"},
)
TASK = Kind(Task, "Task", "task", ("title", "status", "due_on"), title="title")
CLOSED_WORK_ORDERS = (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED)


async def _check_site(draft: Draft) -> None:
    """The work happens at one of the customer's own sites."""
    site_id = draft.values.get("site_id")
    if site_id is None or not draft.changes("site_id"):
        return
    owner = await draft.session.scalar(select(Site.customer_id).where(Site.id == site_id))
    if owner != draft.customer["id"]:
        draft.fail(
            ErrorCode.INVALID, "site_id", f"The site is not one of {draft.customer['name']}'s."
        )


def _check_reopening(draft: Draft) -> None:
    """An inactive customer's work orders stay closed: reopening one is new work."""
    if (
        not draft.creating
        and draft.changes("status")
        and draft.values["status"] in OPEN_WORK_ORDERS
        and draft.customer["status"] is not CustomerStatus.ACTIVE
    ):
        draft.fail(
            ErrorCode.NOT_ACTIVE,
            "status",
            f"{draft.customer['name']} is inactive: its work orders cannot be reopened.",
        )


async def _clean_work_order(draft: Draft) -> None:
    draft.text("number", 32, required=not draft.creating)
    if draft.creating and draft.values.get("number") is None:
        draft.values.pop("number", None)
    draft.text("title", 200, required=True)
    draft.text("description", 4000)
    draft.value("site_id", required=True)
    draft.value("status", required=True, default=WorkOrderStatus.OPEN)
    draft.value("scheduled_on")
    _check_reopening(draft)
    await _check_site(draft)
    await draft.unique(WORK_ORDER, "number", "Work order number")


async def assign_number(draft: Draft) -> None:
    """A new work order without a number gets the next free ``WO-000001``."""
    if draft.creating and "number" not in draft.values:
        draft.values["number"] = await next_number(draft.session, WorkOrder.number, "WO-")


async def remove_tasks(draft: Draft) -> None:
    """A work order's tasks go with it."""
    assert draft.record is not None
    query = select(Task.__table__).where(Task.work_order_id == draft.record["id"])
    tasks = (await draft.session.execute(query)).mappings().all()
    for task in tasks:
        await record_writes.delete_record(
            draft.session, draft.actor, TASK, dict(task), [draft.customer["id"]]
        )


WORK_ORDERS = Part(
    WORK_ORDER,
    _clean_work_order,
    new_only_for_active_customers="work orders",
    before_write=assign_number,
    before_remove=remove_tasks,
)


async def _work_order_to_change(
    session: Transaction, actor: Actor, work_order_id: int, field: str, *, removing: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    customer_id = await record_writes.key_of(
        session, WORK_ORDER, work_order_id, "customer_id", field
    )
    customer = await customer_to_change(session, actor, customer_id, field=field, removing=removing)
    return customer, await record_writes.load_record(session, WORK_ORDER, work_order_id, field)


async def _task_to_change(
    session: Transaction, actor: Actor, task_id: int, *, removing: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    work_order_id = await record_writes.key_of(session, TASK, task_id, "work_order_id")
    customer, _ = await _work_order_to_change(
        session, actor, work_order_id, "id", removing=removing
    )
    return customer, await record_writes.load_record(session, TASK, task_id)


def _clean_task(draft: Draft) -> None:
    draft.text("title", 200, required=True)
    draft.value("status", required=True, default=TaskStatus.OPEN)
    draft.value("due_on")


def require_open(work_order: Mapping[str, Any]) -> None:
    """A work order that is done or cancelled takes no new tasks."""
    if work_order["status"] in CLOSED_WORK_ORDERS:
        raise DomainError(
            ErrorCode.INVALID,
            f"Work order {work_order['number']} is {work_order['status'].value.lower()}: "
            "it takes no new tasks.",
            "work_order_id",
        )


async def create_task(
    session: Transaction, actor: Actor, work_order_id: int, given: Mapping[str, Any]
) -> Written:
    customer, work_order = await _work_order_to_change(
        session, actor, work_order_id, "work_order_id"
    )
    require_open(work_order)
    draft = Draft(given, session=session, actor=actor, customer=customer)
    _clean_task(draft)
    draft.check.raise_if_failed()
    task_id = await record_writes.insert_record(
        session, actor, TASK, draft.values | {"work_order_id": work_order_id}, [customer["id"]]
    )
    return Written(task_id, (customer["id"],))


async def update_task(
    session: Transaction, actor: Actor, task_id: int, given: Mapping[str, Any]
) -> Written:
    customer, task = await _task_to_change(session, actor, task_id)
    draft = Draft(given, task, session=session, actor=actor, customer=customer)
    _clean_task(draft)
    draft.check.raise_if_failed()
    await record_writes.update_record(session, actor, TASK, task, draft.values, [customer["id"]])
    return Written(task_id, (customer["id"],))


async def remove_task(session: Transaction, actor: Actor, task_id: int) -> Written:
    customer, task = await _task_to_change(session, actor, task_id, removing=True)
    await record_writes.delete_record(session, actor, TASK, task, [customer["id"]])
    return Written(task_id, (customer["id"],))
