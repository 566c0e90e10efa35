"""Customer numbers: unique, and assigned as the next free one when not given."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, case, cast, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from customer_graph.db.models import Customer

PREFIX = "C-"
WIDTH = 6
_NUMBERED = re.compile(rf"^{re.escape(PREFIX)}(\d+)$")


def format_number(n: int) -> str:
    return f"{PREFIX}{n:0{WIDTH}d}"


def number_in_sequence(number: str) -> int | None:
    """The position of a number of our own format (``C-000042`` is 42); None for others."""
    match = _NUMBERED.match(number)
    return int(match.group(1)) if match else None


async def highest_number(session: AsyncSession | AsyncConnection) -> int:
    """The highest stored number of our own format, as a position (0 when none)."""
    candidates = await session.scalars(
        select(Customer.customer_number)
        .where(Customer.customer_number.like(f"{PREFIX}%"))
        .order_by(func.length(Customer.customer_number).desc(), Customer.customer_number.desc())
        .limit(20)
    )
    return max((n for number in candidates if (n := number_in_sequence(number))), default=0)


def number_sql(position: ColumnElement[int], dialect: str) -> ColumnElement[str]:
    """``format_number`` in SQL, for numbers assigned by an ``INSERT ... SELECT``."""
    if dialect == "sqlite":
        return func.printf(f"{PREFIX}%0{WIDTH}d", position)
    digits = cast(position, Text)
    padded = case((position < 10**WIDTH, func.lpad(digits, WIDTH, "0", type_=Text)), else_=digits)
    return literal(PREFIX, Text).concat(padded)


async def next_customer_number(session: AsyncSession) -> str:
    """One past the highest number of our own format; other formats are left alone."""
    return format_number(await highest_number(session) + 1)


async def insert_numbered(
    session: AsyncSession, rows: Sequence[dict[str, Any]], *, after: int = 0
) -> dict[int, int]:
    """Insert customers, those without a ``customer_number`` under the next free numbers
    (past ``after`` too, and written into their row); the id of each row, by position.

    Another writer may take a number between the look-up and the insert: the insert skips
    that row (``ON CONFLICT DO NOTHING``, which waits for the other writer to commit or
    roll back) and it is tried again under a number past the new highest. A row whose
    given number was taken is not inserted and has no id.
    """
    given = {i for i, row in enumerate(rows) if row.get("customer_number")}
    ids: dict[int, int] = {}
    pending = list(range(len(rows)))
    while pending:
        free = max(await highest_number(session), after)
        for i in pending:
            if i not in given:
                free += 1
                rows[i]["customer_number"] = format_number(free)
        inserted = {
            number: customer_id
            for customer_id, number in await session.execute(
                _insert_skipping_taken_numbers(session), [rows[i] for i in pending]
            )
        }
        for i in pending:
            if rows[i]["customer_number"] in inserted:
                ids[i] = inserted[rows[i]["customer_number"]]
        pending = [i for i in pending if i not in ids and i not in given]
    return ids


def _insert_skipping_taken_numbers(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Customer)
    return statement.on_conflict_do_nothing(index_elements=["customer_number"]).returning(
        Customer.id, Customer.customer_number
    )


async def number_taken(session: AsyncSession, number: str, *, except_id: int | None = None) -> bool:
    query = select(Customer.id).where(Customer.customer_number == number)
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return await session.scalar(query) is not None
