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

from customer_graph.db.base import table_of
from customer_graph.db.counters import dialect_of, next_position_sql, raise_counter
from customer_graph.db.engine import Transaction
from customer_graph.db.models import Customer
from customer_graph.domain.record_writes import HandBack, handed_back, returning

Connection = AsyncSession | AsyncConnection

PREFIX = "C-"
WIDTH = 6
_NUMBERED = re.compile(rf"^{re.escape(PREFIX)}(\d+)$")


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
    """A position as a customer number (``C-000042``), in SQL: numbers are assigned by the
    INSERT that writes them."""
    if dialect == "sqlite":
        return func.printf(f"{PREFIX}%0{WIDTH}d", position)
    digits = cast(position, Text)
    padded = case((position < 10**WIDTH, func.lpad(digits, WIDTH, "0", type_=Text)), else_=digits)
    return literal(PREFIX, Text).concat(padded)


async def insert_numbered(
    session: Transaction, row: dict[str, Any], hand_back: HandBack | None = None
) -> int | None:
    """Insert a customer; without a ``customer_number``, under the counter's next number
    (written into ``row``). Its id, or None when its given number was taken.

    The next number is worked out by the INSERT itself on PostgreSQL (one round trip). A
    number may be taken already (written past the counter, or by a concurrent writer of a
    given number): the insert then writes nothing (``ON CONFLICT DO NOTHING``, which waits
    on PostgreSQL for a writer that is inserting it), the counter moves past the stored
    numbers and the row is numbered again.
    """
    given = row.get("customer_number")
    if given:
        await count_given_number(session, given)
    inserting = _INSERT_SKIPPING_TAKEN_NUMBERS[dialect_of(session)]
    table = table_of(Customer)
    while True:
        if given:
            statement = returning(inserting, hand_back, table.c.id, table.c.customer_number)
            values = row
        else:
            # Numbered by the counter: built anew each time, so compiled each time too.
            numbered = inserting.values(customer_number=await _next_number_sql(session))
            statement = numbered.returning(
                *(hand_back.columns if hand_back else (table.c.id, table.c.customer_number))
            )
            values = {key: value for key, value in row.items() if key != "customer_number"}
        found = (await session.execute(statement, values)).mappings().first()
        if found is not None:
            handed_back(hand_back, found)
            row["customer_number"] = found["customer_number"]
            return int(found["id"])
        if given:
            return None
        await move_counter_past_stored(session)


async def _next_number_sql(session: Transaction) -> ColumnElement[str]:
    """The next number from the counter, as an expression that takes it exactly once."""
    taken = select((await next_position_sql(session)).label("position")).subquery("next_position")
    formatted = select(number_sql(taken.c.position, dialect_of(session)))
    return formatted.scalar_subquery()


def _insert_skipping_taken_numbers(dialect: Any) -> Any:
    return dialect.insert(table_of(Customer)).on_conflict_do_nothing(
        index_elements=["customer_number"]
    )


_INSERT_SKIPPING_TAKEN_NUMBERS = {
    "postgresql": _insert_skipping_taken_numbers(postgresql),
    "sqlite": _insert_skipping_taken_numbers(sqlite),
}
"""Built once; the row's values are bound when it runs."""


KNOWN_NUMBERS = "customer_graph.known_numbers"
"""Key, in a session's ``info``, of customer numbers read ahead (by a bulk check): the id
of the customer holding each, or None for a free one. Good while the transaction that read
them lasts; whoever puts them there takes them away."""


async def number_taken(session: Transaction, number: str, *, except_id: int | None = None) -> bool:
    known: dict[str, int | None] | None = session.info.get(KNOWN_NUMBERS)
    if known is not None and number in known:
        holder = known[number]
        return holder is not None and holder != except_id
    query = select(Customer.id).where(Customer.customer_number == number)
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return await session.scalar(query) is not None
