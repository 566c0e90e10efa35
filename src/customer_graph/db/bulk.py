"""Rows staged in temporary tables now, inserted into the real ones later in one statement.

A bulk write that must hold a lock only briefly prepares its rows beforehand in temporary
tables of the same shape (``staging_table``), with the ids the new rows will have
(``StagedIds``), and copies them over under the lock with ``INSERT ... SELECT``. The
staged rows go in by the fastest way the driver has (``DriverRows``, ``insert_rows``):
PostgreSQL's COPY, SQLite's own ``executemany``, with none of the per-row work of a
SQLAlchemy statement.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Enum,
    MetaData,
    Table,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, OID, REGCLASS
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import TypeCompiler
from sqlalchemy.types import TypeEngine, UserDefinedType


def _staging_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The column's type, without the CHECK constraint an enum brings along."""
    if isinstance(type_, Enum) and type_.enum_class is not None:
        return Enum(
            type_.enum_class, native_enum=False, create_constraint=False, length=type_.length
        )
    return type_


class JSONText(UserDefinedType[str]):
    """A staged JSON document, given as its text: PostgreSQL parses it into ``jsonb`` as it
    is staged, so that moving it later copies it as it is; elsewhere it stays text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "TEXT"


@compiles(JSONText, "postgresql")
def _jsonb(type_: JSONText, compiler: TypeCompiler, **kw: Any) -> str:
    return "JSONB"


def staging_table(metadata: MetaData, name: str, like: Table, *extra: Column[Any]) -> Table:
    """A temporary table with ``like``'s columns (no keys, no constraints) and ``extra``."""
    columns = [Column(c.name, _staging_type(c.type)) for c in like.columns]
    return Table(name, metadata, *columns, *extra, prefixes=["TEMPORARY"])


class StagedIds:
    """Ids for the new rows of a bulk write: taken while staging, final once moved.

    PostgreSQL: taken from each table's id sequence, so they are final at once and no other
    writer gets them (``offset`` is 0); ``take_ahead`` takes the next batch's beforehand.
    SQLite has no sequence: staged rows get 1, 2, ... and ``offset``, read once the write
    lock is held, moves them past the highest id, as SQLite itself would number them.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.from_sequences = connection.dialect.name == "postgresql"
        self.taken: dict[str, int] = defaultdict(int)
        self.asked: dict[Table, int] = {}
        """How many ids each table's last ``take`` asked for."""
        self.ready: dict[Table, deque[int]] = defaultdict(deque)
        """Ids taken ahead, not given out yet."""
        self.sequences: dict[Table, int] = {}
        """Each table's id sequence (its oid), once looked up."""

    async def take(self, table: Table, count: int) -> list[int]:
        if count == 0:
            return []
        if self.from_sequences:
            self.asked[table] = count
            ready = self.ready[table]
            ids = [ready.popleft() for _ in range(min(count, len(ready)))]
            return ids + await self._next_values(table, count - len(ids))
        first = self.taken[table.name] + 1
        self.taken[table.name] += count
        return list(range(first, first + count))

    async def take_ahead(self) -> None:
        """Take as many ids as each table's last ``take`` asked for, for the next: a batch
        like the last one then waits for no sequence. Ids never given out are skipped, as
        a sequence skips those of a write that rolled back."""
        for table, count in self.asked.items():
            ready = self.ready[table]
            ready.extend(await self._next_values(table, count - len(ready)))

    async def _next_values(self, table: Table, count: int) -> list[int]:
        if count <= 0:
            return []
        sequence = cast(literal(await self._sequence(table), OID), REGCLASS)
        ids = await self.connection.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        )
        return list(ids)

    async def _sequence(self, table: Table) -> int:
        """The table's id sequence, looked up once: by name, the lookup costs more than
        taking the id (nine times as much, for each id)."""
        if table not in self.sequences:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            found = await self.connection.execute(select(cast(cast(sequence, REGCLASS), OID)))
            self.sequences[table] = int(found.scalar_one())
        return self.sequences[table]

    async def offset(self, table: Table) -> int:
        """What to add to a staged id; only while the write lock is held."""
        if self.from_sequences:
            return 0
        highest = await self.connection.scalar(select(func.max(table.c.id)))
        return int(highest or 0)


def one_of(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], values: Collection[Any], dialect: str
) -> ColumnElement[bool]:
    """``column IN values``, for a batch of values: on PostgreSQL as one array, where a
    list of hundreds of parameters costs the driver more than the query costs the server."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


class DriverRows:
    """Rows for one table, collected as the driver takes them: a tuple a row, in the
    table's column order, each value through its column's bind processor (an enum as its
    stored name, a timestamp as SQLite stores it, ...). Missing keys are NULL."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        self.table = table
        self.names = [column.name for column in table.columns]
        processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns
        ]
        self.processed = [
            (i, processor) for i, processor in enumerate(processors) if processor is not None
        ]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, values: Mapping[str, Any]) -> None:
        row = list(map(values.get, self.names))
        for i, processor in self.processed:
            if row[i] is not None:
                row[i] = processor(row[i])
        self.rows.append(tuple(row))

    async def insert(self, connection: AsyncConnection) -> None:
        """Insert the rows collected so far and forget them."""
        await insert_rows(connection, self.table, self.names, self.rows)
        self.rows = []


async def insert_rows(
    connection: AsyncConnection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows already in the driver's form (``DriverRows``) into ``table``, in the
    connection's transaction: by COPY on PostgreSQL, by the driver's ``executemany`` on
    SQLite. The one place that talks to the driver directly."""
    if not rows:
        return
    if not connection.in_transaction():
        await connection.begin()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    preparer = connection.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in names)
    target = preparer.format_table(table)
    if connection.dialect.name == "postgresql":
        async with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                await copy.write_row(row)
        return
    marks = ", ".join("?" for _ in names)
    cursor = await driver.executemany(f"INSERT INTO {target} ({columns}) VALUES ({marks})", rows)
    await cursor.close()
