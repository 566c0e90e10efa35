"""The customer number counter: positions handed out without reading the numbered rows.

PostgreSQL uses a sequence, which never waits for another transaction (a position taken by
a transaction that rolls back is skipped). SQLite writes one transaction at a time, so there
a row of ``counters`` does the same job inside the writing transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from customer_graph.db.models.counters import (
    COUNTERS,
    CUSTOMER_NUMBER_SEQUENCE,
    CUSTOMER_NUMBERS,
)

Connection = AsyncSession | AsyncConnection


def dialect_of(connection: Connection) -> str:
    return (
        connection.get_bind().dialect.name
        if isinstance(connection, AsyncSession)
        else (connection.dialect.name)
    )


async def take_positions(connection: Connection, count: int) -> list[int]:
    """``count`` positions no one was given before, from the counter, in increasing order."""
    if dialect_of(connection) == "postgresql":
        taken = await connection.scalars(
            select(CUSTOMER_NUMBER_SEQUENCE.next_value()).select_from(
                func.generate_series(1, count)
            )
        )
        return sorted(int(position) for position in taken)
    last = await connection.scalar(
        update(COUNTERS)
        .where(COUNTERS.c.name == CUSTOMER_NUMBERS)
        .values(value=COUNTERS.c.value + count)
        .returning(COUNTERS.c.value)
    )
    if last is None:
        raise LookupError("the customer number counter is missing: run customer-graph migrate")
    return list(range(int(last) - count + 1, int(last) + 1))


async def next_position_sql(connection: Connection) -> ColumnElement[int]:
    """The counter's next position, for one row's INSERT: worked out by the INSERT itself
    where the counter is a sequence."""
    if dialect_of(connection) == "postgresql":
        return CUSTOMER_NUMBER_SEQUENCE.next_value()
    return literal((await take_positions(connection, 1))[0])


async def numbering_sql(
    connection: Connection, count: int, *, order_by: ColumnElement[Any]
) -> ColumnElement[int]:
    """Fresh positions from the counter for the ``count`` rows of an ``INSERT ... SELECT``,
    in ``order_by``'s order where the counter allows."""
    if dialect_of(connection) == "postgresql":
        return CUSTOMER_NUMBER_SEQUENCE.next_value()
    first = (await take_positions(connection, count))[0]
    return literal(first - 1) + func.row_number().over(order_by=order_by)


async def raise_counter(connection: Connection, at_least: int) -> None:
    """Moves the counter to ``at_least`` if it is behind: the next position is past it."""
    if at_least <= 0:
        return
    if dialect_of(connection) == "postgresql":
        sequence = table(CUSTOMER_NUMBERS, column("last_value"), column("is_called"))
        behind = or_(
            sequence.c.last_value < at_least,
            and_(~sequence.c.is_called, sequence.c.last_value <= at_least),
        )
        await connection.execute(select(func.setval(CUSTOMER_NUMBERS, at_least)).where(behind))
        return
    await connection.execute(
        update(COUNTERS)
        .where(COUNTERS.c.name == CUSTOMER_NUMBERS)
        .values(value=func.max(COUNTERS.c.value, at_least))
    )
