"""Small, explicit rows for tests that assert exact figures.

Each function inserts one row with sensible defaults (overridable by keyword) and returns
its id. Bulk realistic data comes from the seed command instead.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from customer_graph.db import enums
from customer_graph.db.models import (
    Asset,
    Contact,
    Contract,
    Customer,
    CustomerTag,
    HistoryEvent,
    Invoice,
    Lease,
    Opportunity,
    Order,
    PriceSchedule,
    Project,
    Site,
    SupportTicket,
    Task,
    User,
    WorkOrder,
)
from customer_graph.domain.customer_numbers import count_given_number

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
_sequence = itertools.count(1)


async def _insert(conn: AsyncConnection, model: Any, values: dict[str, Any]) -> int:
    result = await conn.execute(insert(model).values(**values).returning(model.id))
    return int(result.scalar_one())


async def user(conn: AsyncConnection, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        User,
        {
            "email": f"user{n}@example.com",
            "name": f"User {n}",
            "role": enums.Role.SALES_REP,
            "is_active": True,
            "created_at": NOW,
        }
        | values,
    )


async def customer(conn: AsyncConnection, owner_id: int, **values: Any) -> int:
    n = next(_sequence)
    tags = values.pop("tags", [])
    customer_id = await _insert(
        conn,
        Customer,
        {
            "customer_number": f"T-{n:05d}",
            "name": f"Customer {n}",
            "kind": enums.CustomerKind.COMPANY,
            "segment": enums.CustomerSegment.SMB,
            "status": enums.CustomerStatus.ACTIVE,
            "payment_terms": enums.PaymentTerms.NET_30,
            "currency": "USD",
            "created_on": date(2026, 1, 15),
            "owner_id": owner_id,
            "manager_id": owner_id,
            "version": 1,
            "created_at": NOW,
            "updated_at": NOW,
        }
        | values,
    )
    for tag in tags:
        await conn.execute(insert(CustomerTag).values(customer_id=customer_id, tag=tag))
    if "customer_number" in values:
        await count_given_number(conn, values["customer_number"])
    return customer_id


async def contact(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Contact,
        {"customer_id": customer_id, "name": f"Contact {n}", "is_primary": False, "created_at": NOW}
        | values,
    )


async def site(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Site,
        {
            "customer_id": customer_id,
            "name": f"Site {n}",
            "status": enums.SiteStatus.ACTIVE,
            "created_at": NOW,
        }
        | values,
    )


async def asset(conn: AsyncConnection, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Asset,
        {
            "name": f"Asset {n}",
            "serial_number": f"SN-T{n}",
            "status": enums.AssetStatus.IN_SERVICE,
            "created_at": NOW,
        }
        | values,
    )


async def project(conn: AsyncConnection, customer_id: int, start: date, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Project,
        {
            "customer_id": customer_id,
            "name": f"Project {n}",
            "status": enums.ProjectStatus.ACTIVE,
            "start_date": start,
            "created_at": NOW,
        }
        | values,
    )


async def contract(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Contract,
        {
            "customer_id": customer_id,
            "number": f"K-T{n}",
            "start_date": date(2025, 1, 1),
            "value": Decimal("1000.00"),
            "currency": "USD",
            "status": enums.ContractStatus.ACTIVE,
            "created_at": NOW,
        }
        | values,
    )


async def work_order(conn: AsyncConnection, customer_id: int, site_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        WorkOrder,
        {
            "customer_id": customer_id,
            "site_id": site_id,
            "number": f"WO-T{n}",
            "title": f"Work {n}",
            "status": enums.WorkOrderStatus.OPEN,
            "created_at": NOW,
        }
        | values,
    )


async def task(conn: AsyncConnection, work_order_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Task,
        {
            "work_order_id": work_order_id,
            "title": f"Task {n}",
            "status": enums.TaskStatus.OPEN,
            "created_at": NOW,
        }
        | values,
    )


async def lease(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    return await _insert(
        conn,
        Lease,
        {
            "customer_id": customer_id,
            "start_date": date(2025, 1, 1),
            "rate": Decimal("99.50"),
            "rate_period": enums.LeaseRatePeriod.MONTHLY,
            "currency": "USD",
            "created_at": NOW,
        }
        | values,
    )


async def opportunity(conn: AsyncConnection, customer_id: int, stage: Any, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Opportunity,
        {
            "customer_id": customer_id,
            "name": f"Deal {n}",
            "amount": Decimal("500.00"),
            "currency": "USD",
            "stage": stage,
            "created_at": NOW,
        }
        | values,
    )


async def order(conn: AsyncConnection, customer_id: int, total: str, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Order,
        {
            "customer_id": customer_id,
            "number": f"O-T{n}",
            "ordered_on": date(2025, 6, 1),
            "total": Decimal(total),
            "currency": "USD",
            "status": enums.OrderStatus.FULFILLED,
            "created_at": NOW,
        }
        | values,
    )


async def invoice(
    conn: AsyncConnection, customer_id: int, amount: str, status: Any, **values: Any
) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        Invoice,
        {
            "customer_id": customer_id,
            "number": f"I-T{n}",
            "amount": Decimal(amount),
            "currency": "USD",
            "status": status,
            "issued_on": date(2025, 6, 1),
            "created_at": NOW,
        }
        | values,
    )


async def ticket(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        SupportTicket,
        {
            "customer_id": customer_id,
            "subject": f"Help {n}",
            "status": enums.TicketStatus.OPEN,
            "priority": enums.TicketPriority.NORMAL,
            "opened_at": NOW,
        }
        | values,
    )


async def price_schedule(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    n = next(_sequence)
    return await _insert(
        conn,
        PriceSchedule,
        {
            "customer_id": customer_id,
            "product_code": f"P-{n}",
            "product_name": f"Product {n}",
            "unit_price": Decimal("12.34"),
            "currency": "USD",
            "valid_from": date(2025, 1, 1),
            "created_at": NOW,
        }
        | values,
    )


async def history_event(conn: AsyncConnection, customer_id: int, **values: Any) -> int:
    return await _insert(
        conn,
        HistoryEvent,
        {
            "customer_id": customer_id,
            "occurred_at": NOW,
            "entity_type": "Customer",
            "entity_id": customer_id,
            "action": enums.HistoryAction.CREATED,
            "actor_name": "Someone",
            "changes": [],
        }
        | values,
    )
