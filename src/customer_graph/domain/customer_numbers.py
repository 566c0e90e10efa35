"""Customer numbers: unique, and assigned from a counter when not given.

The counter (``db.models.counters``) hands out positions without reading the stored
numbers, so numbering costs the same however many customers there are, and never waits
for another writer on PostgreSQL. A number of our own format given by a person or a file
moves the counter past it (``count_given_number``). One written behind the counter's back
is met when the counter reaches it: the insert skips the taken number, the counter moves
past the highest stored one, and the row is numbered again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from customer_graph.db.counters import dialect_of, raise_counter, take_positions
from customer_graph.db.models import Customer

Connection = AsyncSession | AsyncConnection

PREFIX = "C-"
WIDTH = 6
_NUMBERED = re.compile(rf"^{re.escape(PREFIX)}(\d+)$")


def format_number(n: int) -> str:
    return f"{PREFIX}{n:0{WIDTH}d}"


def number_in_sequence(number: str) -> int | None:
    """The position of a number of our own format (``C-000042`` is 42); None for others."""
    match = _NUMBERED.match(number)
    return int(match.group(1)) if match else None


async def move_counter_past_stored(connection: Connection) -> None:
    """Moves the counter past every stored number of our own format: the slow path, taken
    when a number the counter gave was found taken."""
    await raise_counter(connection, await highest_number(connection))


async def count_given_number(connection: Connection, number: str) -> None:
    """A number given by a person or a file: the counter moves past it if it is ours."""
    position = number_in_sequence(number)
    if position is not None:
        await raise_counter(connection, position)


async def highest_number(session: Connection) -> int:
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


async def insert_numbered(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Insert customers, those without a ``customer_number`` under numbers from the counter
    (written into their row); the id of each row, by position.

    A number may be taken already (written past the counter, or by a concurrent writer of a
    given number): the insert skips that row (``ON CONFLICT DO NOTHING``, which waits on
    PostgreSQL for a writer that is inserting it), the counter moves past the stored numbers
    and the row is numbered again. A row whose given number was taken is not inserted and
    has no id.
    """
    given = {i for i, row in enumerate(rows) if row.get("customer_number")}
    for i in given:
        await count_given_number(session, rows[i]["customer_number"])
    ids: dict[int, int] = {}
    pending = list(range(len(rows)))
    while pending:
        numbered = [i for i in pending if i not in given]
        if numbered:
            positions = await take_positions(session, len(numbered))
            for i, position in zip(numbered, positions, strict=True):
                rows[i]["customer_number"] = format_number(position)
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
        if pending:
            await move_counter_past_stored(session)
    return ids


def _insert_skipping_taken_numbers(session: AsyncSession) -> Any:
    dialect = dialect_of(session)
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Customer)
    return statement.on_conflict_do_nothing(index_elements=["customer_number"]).returning(
        Customer.id, Customer.customer_number
    )


KNOWN_NUMBERS = "customer_graph.known_numbers"
"""Key, in a session's ``info``, of customer numbers read ahead (by a bulk check): the id
of the customer holding each, or None for a free one. Good while the transaction that read
them lasts; whoever puts them there takes them away."""


async def number_taken(session: AsyncSession, number: str, *, except_id: int | None = None) -> bool:
    known: dict[str, int | None] | None = session.info.get(KNOWN_NUMBERS)
    if known is not None and number in known:
        holder = known[number]
        return holder is not None and holder != except_id
    query = select(Customer.id).where(Customer.customer_number == number)
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return await session.scalar(query) is not None
