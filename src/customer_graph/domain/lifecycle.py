"""Deactivate and reactivate, archive and unarchive a customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import (
    ContractStatus,
    CustomerStatus,
    HistoryAction,
    SiteStatus,
    TaskStatus,
    WorkOrderStatus,
)
from customer_graph.db.models import Contract, Site, Task, WorkOrder
from customer_graph.domain import history, record_writes
from customer_graph.domain.customers import CUSTOMER
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.history import Event
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written, customer_to_change

CANCELLABLE_CONTRACTS = (ContractStatus.DRAFT, ContractStatus.ACTIVE)
OPEN_WORK_ORDERS = (WorkOrderStatus.OPEN, WorkOrderStatus.IN_PROGRESS)
OPEN_TASKS = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Cascade:
    """What a deactivation changed, reported back to whoever asked for it."""

    sites_deactivated: int = 0
    contracts_cancelled: int = 0
    work_orders_cancelled: int = 0
    tasks_cancelled: int = 0


async def _set_status(
    session: Transaction, column_owner: Any, where: Any, status: Any
) -> list[tuple[int, Any]]:
    """Set ``status`` on the matching rows; their ids and former statuses, for history."""
    rows = (await session.execute(select(column_owner.id, column_owner.status).where(where))).all()
    if rows:
        await session.execute(
            update(column_owner)
            .where(column_owner.id.in_([row.id for row in rows]))
            .values(status=status)
        )
    return [(row.id, row.status) for row in rows]


async def deactivate_sites(session: Transaction, customer_id: int) -> list[tuple[int, Any]]:
    return await _set_status(
        session,
        Site,
        (Site.customer_id == customer_id) & (Site.status == SiteStatus.ACTIVE),
        SiteStatus.INACTIVE,
    )


async def cancel_contracts(session: Transaction, customer_id: int) -> list[tuple[int, Any]]:
    return await _set_status(
        session,
        Contract,
        (Contract.customer_id == customer_id) & Contract.status.in_(CANCELLABLE_CONTRACTS),
        ContractStatus.CANCELLED,
    )


async def cancel_work_orders(session: Transaction, customer_id: int) -> list[tuple[int, Any]]:
    return await _set_status(
        session,
        WorkOrder,
        (WorkOrder.customer_id == customer_id) & WorkOrder.status.in_(OPEN_WORK_ORDERS),
        WorkOrderStatus.CANCELLED,
    )


async def cancel_tasks(session: Transaction, work_order_ids: list[int]) -> list[tuple[int, Any]]:
    if not work_order_ids:
        return []
    return await _set_status(
        session,
        Task,
        Task.work_order_id.in_(work_order_ids) & Task.status.in_(OPEN_TASKS),
        TaskStatus.CANCELLED,
    )


def _status_events(
    customer_id: int,
    entity_type: str,
    changed: list[tuple[int, Any]],
    after: Any,
    action: HistoryAction,
) -> list[Event]:
    return [
        Event(
            customer_id,
            entity_type,
            entity_id,
            action,
            [{"field": "status", "before": before.value, "after": after.value}],
        )
        for entity_id, before in changed
    ]


async def _set(
    session: Transaction,
    actor: Actor,
    row: dict[str, Any],
    expected_version: int | None,
    values: dict[str, Any],
    action: HistoryAction,
) -> Written:
    """The customer's lifecycle step written like any change of its fields: its version
    moves on, and its history says which step it was."""
    await record_writes.update_record(
        session,
        actor,
        CUSTOMER,
        row,
        values,
        None,
        expected_version=expected_version,
        action=action,
    )
    return Written(row["id"], (row["id"],))


async def deactivate_customer(
    session: Transaction, actor: Actor, customer_id: int, expected_version: int | None
) -> Cascade:
    """In one transaction: the customer, its sites, contracts, open work orders and tasks."""
    row = await customer_to_change(session, actor, customer_id, expected_version=expected_version)
    if row["status"] is CustomerStatus.INACTIVE:
        raise DomainError(ErrorCode.NOT_ACTIVE, f"{row['name']} is inactive already.", "id")
    sites = await deactivate_sites(session, customer_id)
    contracts = await cancel_contracts(session, customer_id)
    work_orders = await cancel_work_orders(session, customer_id)
    tasks = await cancel_tasks(session, [wo_id for wo_id, _ in work_orders])
    inactive = {"status": CustomerStatus.INACTIVE}
    await _set(session, actor, row, expected_version, inactive, HistoryAction.DEACTIVATED)
    await history.record(
        session,
        actor,
        [
            *_status_events(
                customer_id, "Site", sites, SiteStatus.INACTIVE, HistoryAction.DEACTIVATED
            ),
            *_status_events(
                customer_id,
                "Contract",
                contracts,
                ContractStatus.CANCELLED,
                HistoryAction.CANCELLED,
            ),
            *_status_events(
                customer_id,
                "WorkOrder",
                work_orders,
                WorkOrderStatus.CANCELLED,
                HistoryAction.CANCELLED,
            ),
            *_status_events(
                customer_id, "Task", tasks, TaskStatus.CANCELLED, HistoryAction.CANCELLED
            ),
        ],
    )
    return Cascade(len(sites), len(contracts), len(work_orders), len(tasks))


async def reactivate_customer(
    session: Transaction, actor: Actor, customer_id: int, expected_version: int | None
) -> Written:
    """The customer is ACTIVE again; what deactivation cancelled stays cancelled."""
    row = await customer_to_change(session, actor, customer_id, expected_version=expected_version)
    if row["status"] is CustomerStatus.ACTIVE:
        raise DomainError(ErrorCode.INVALID, f"{row['name']} is active already.", "id")
    active = {"status": CustomerStatus.ACTIVE}
    return await _set(session, actor, row, expected_version, active, HistoryAction.REACTIVATED)


async def set_archived(
    session: Transaction,
    actor: Actor,
    customer_id: int,
    expected_version: int | None,
    *,
    archived: bool,
) -> Written:
    """Archiving hides a customer from lists and pickers; it stays viewable and searchable."""
    row = await customer_to_change(session, actor, customer_id, expected_version=expected_version)
    if (row["archived_at"] is not None) == archived:
        state = "archived" if archived else "not archived"
        raise DomainError(ErrorCode.INVALID, f"{row['name']} is {state} already.", "id")
    values = {"archived_at": datetime.now(UTC) if archived else None}
    action = HistoryAction.ARCHIVED if archived else HistoryAction.UNARCHIVED
    return await _set(session, actor, row, expected_version, values, action)


async def archive_customer(
    session: Transaction, actor: Actor, customer_id: int, expected_version: int | None
) -> Written:
    return await set_archived(session, actor, customer_id, expected_version, archived=True)


async def unarchive_customer(
    session: Transaction, actor: Actor, customer_id: int, expected_version: int | None
) -> Written:
    return await set_archived(session, actor, customer_id, expected_version, archived=False)
