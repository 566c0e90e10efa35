"""The database enforces the rules too, as a safety net under the domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from tests import factories as make


async def refused(engine: AsyncEngine, write: Any) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await write(conn)


async def test_database_rules(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        acme = await make.customer(conn, owner, customer_number="C-1")
        other = await make.customer(conn, owner)
        await make.contact(conn, acme, is_primary=True)
        other_site = await make.site(conn, other)

    await refused(engine, lambda c: make.customer(c, owner, customer_number="C-1"))
    await refused(engine, lambda c: make.contact(c, acme, is_primary=True))
    await refused(engine, lambda c: c.execute(text("UPDATE customers SET status = 'PAUSED'")))
    await refused(engine, lambda c: make.work_order(c, acme, other_site))
    await refused(engine, lambda c: make.lease(c, acme))
    await refused(
        engine,
        lambda c: make.invoice(c, acme, "1.00", enums.InvoiceStatus.PAID, paid_on=date(2025, 5, 1)),
    )
    await refused(
        engine,
        lambda c: make.ticket(c, acme, closed_at=datetime.now(UTC) - timedelta(days=3650)),
    )
    await refused(
        engine, lambda c: make.project(c, acme, date(2026, 1, 1), end_date=date(2025, 1, 1))
    )
    async with engine.begin() as conn:
        await make.contact(conn, acme, is_primary=False)
        await make.contact(conn, other, is_primary=True)
