"""Rows staged in temporary tables now, inserted into the real ones later in one statement.

A bulk write that must hold a lock only briefly prepares its rows beforehand in temporary
tables of the same shape (``staging_table``), with the ids the new rows will have
(``StagedIds``), and copies them over under the lock with ``INSERT ... SELECT``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Column, Enum, MetaData, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine


def _staging_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The column's type, without the CHECK constraint an enum brings along."""
    if isinstance(type_, Enum) and type_.enum_class is not None:
        return Enum(
            type_.enum_class, native_enum=False, create_constraint=False, length=type_.length
        )
    return type_


def staging_table(metadata: MetaData, name: str, like: Table, *extra: Column[Any]) -> Table:
    """A temporary table with ``like``'s columns (no keys, no constraints) and ``extra``."""
    columns = [Column(c.name, _staging_type(c.type)) for c in like.columns]
    return Table(name, metadata, *columns, *extra, prefixes=["TEMPORARY"])


class StagedIds:
    """Ids for the new rows of a bulk write: taken while staging, final once moved.

    PostgreSQL: taken from each table's id sequence, so they are final at once and no other
    writer gets them (``offset`` is 0). SQLite has no sequence: staged rows get 1, 2, ...
    and ``offset``, read once the write lock is held, moves them past the highest id, as
    SQLite itself would number them.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.from_sequences = connection.dialect.name == "postgresql"
        self.taken: dict[str, int] = defaultdict(int)

    async def take(self, table: Table, count: int) -> list[int]:
        if count == 0:
            return []
        if self.from_sequences:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            ids = await self.connection.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
            return list(ids)
        first = self.taken[table.name] + 1
        self.taken[table.name] += count
        return list(range(first, first + count))

    async def offset(self, table: Table) -> int:
        """What to add to a staged id; only while the write lock is held."""
        if self.from_sequences:
            return 0
        highest = await self.connection.scalar(select(func.max(table.c.id)))
        return int(highest or 0)
