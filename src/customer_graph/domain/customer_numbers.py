"""Customer numbers: unique, and assigned as the next free one when not given (seed 004)."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.models import Customer

PREFIX = "C-"
WIDTH = 6
_NUMBERED = re.compile(rf"^{re.escape(PREFIX)}(\d+)$")


def format_number(n: int) -> str:
    return f"{PREFIX}{n:0{WIDTH}d}"


async def next_customer_number(session: AsyncSession) -> str:
    """One past the highest number of our own format; other formats are left alone."""
    candidates = await session.scalars(
        select(Customer.customer_number)
        .where(Customer.customer_number.like(f"{PREFIX}%"))
        .order_by(func.length(Customer.customer_number).desc(), Customer.customer_number.desc())
        .limit(20)
    )
    highest = max(
        (int(m.group(1)) for number in candidates if (m := _NUMBERED.match(number))), default=0
    )
    return format_number(highest + 1)


async def number_taken(session: AsyncSession, number: str, *, except_id: int | None = None) -> bool:
    query = select(Customer.id).where(Customer.customer_number == number)
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return await session.scalar(query) is not None
