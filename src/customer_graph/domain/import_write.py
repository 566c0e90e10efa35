"""Writing the checked rows of an import: staged while the file is checked, then moved in
a moment.

Checking (``import_plan``) takes no lock. Each batch of checked rows is staged in
temporary tables shaped like the real ones, on a connection of the import's own, with the
ids its new rows will have (``db.bulk``): that takes no lock on the real tables either, and
the database stores one batch while the next is checked.
Then one short transaction checks again, under the lock, what may have changed since a row
was checked (the stored customer's version and last history event, which every change to
a customer or to its records writes; the given numbers of new customers), and copies the
staged rows into the real tables with a dozen ``INSERT ... SELECT`` and ``UPDATE ... FROM``
statements, however many rows there are. A row whose customer changed meanwhile is refused
and says so: then nothing is written, unless the import is partial.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Enum,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from customer_graph.db.base import JSONDocument, UTCDateTime
from customer_graph.db.bulk import DriverRows, JSONText, StagedIds, staging_table
from customer_graph.db.change_feed import Broker
from customer_graph.db.counters import numbering_sql, raise_counter
from customer_graph.db.engine import SQLITE_BEGIN
from customer_graph.db.enums import HistoryAction
from customer_graph.db.models import Contact, Customer, CustomerTag, HistoryEvent, Site
from customer_graph.domain import history
from customer_graph.domain.customer_numbers import (
    move_counter_past_stored,
    number_in_sequence,
    number_sql,
)
from customer_graph.domain.customers import created_changes
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.history import note_changes
from customer_graph.domain.import_plan import PlannedRow
from customer_graph.domain.import_rows import FieldError, Outcome, RejectedRow
from customer_graph.domain.permissions import Actor
from customer_graph.domain.unit_of_work import publish

log = logging.getLogger(__name__)

CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
RECORDS: dict[str, Table] = {
    "contacts": Contact.__table__,  # type: ignore[dict-item]
    "sites": Site.__table__,  # type: ignore[dict-item]
}
NUMBERING_ATTEMPTS = 10
"""Rounds of numbering new customers when other writers keep taking the numbers chosen."""

TEMPORARY = ["TEMPORARY"]
Refusal = tuple[Outcome, RejectedRow]
"""A checked row refused when written (what it would have done), and why."""

CHANGED = "changed"
TAKEN = "taken"


def _ord() -> Column[int]:
    return Column("ord", Integer)


class Staging:
    """The staged rows of one import, on a connection of its own (temporary tables live
    as long as their connection); ``close`` ends the connection, and them with it."""

    def __init__(self, connection: AsyncConnection, actor: Actor) -> None:
        self.connection = connection
        self.actor = actor
        self.dialect = connection.dialect.name
        self.ids = StagedIds(connection)
        self.highest_given_number = 0
        """The highest given number of our format among new customers: those numbered by
        the import come after it, so that a later row's given number stays free."""
        self.events_staged = 0
        self.sending: asyncio.Task[None] | None = None
        """The batch of rows on its way into the staging tables."""
        self.described = False
        """Whether the database was told what the staging tables hold (``_describe``)."""
        metadata = MetaData()
        self.rows = Table(
            "import_rows",
            metadata,
            Column("ord", Integer, primary_key=True),
            Column("number", String),
            Column("outcome", Enum(Outcome, native_enum=False, create_constraint=False)),
            Column("cells", Text),  # the row's cells, as JSON
            prefixes=TEMPORARY,
        )
        self.new_customers = staging_table(metadata, "import_new_customers", CUSTOMERS, _ord())
        self.changed_customers = staging_table(
            metadata,
            "import_changed_customers",
            CUSTOMERS,
            _ord(),
            Column("seen_event", Integer),
            Column("writes", Boolean),
            Column("replaces_tags", Boolean),
        )
        self.tags = Table(
            "import_tags",
            metadata,
            _ord(),
            Column("customer_id", Integer),
            Column("customer_is_new", Boolean),
            Column("tag", String),
            prefixes=TEMPORARY,
        )
        self.records = {
            name: staging_table(
                metadata,
                f"import_{name}",
                table,
                _ord(),
                Column("is_new", Boolean),
                Column("customer_is_new", Boolean),
            )
            for name, table in RECORDS.items()
        }
        self.events = Table(
            "import_events",
            metadata,
            Column("seq", Integer, primary_key=True),
            _ord(),
            Column("customer_id", Integer),
            Column("customer_is_new", Boolean),
            Column("entity_type", String),
            Column("entity_id", Integer),
            Column("entity_new_in", String),
            Column("action", Enum(HistoryAction, native_enum=False, create_constraint=False)),
            Column("changes", JSONText),  # with the names of the records it refers to
            Column("numbered", Boolean),
            prefixes=TEMPORARY,
        )
        self.refused = Table(
            "import_refused",
            metadata,
            Column("ord", Integer, primary_key=True),
            Column("reason", String),
            prefixes=TEMPORARY,
        )
        self.metadata = metadata
        self.writers = {
            table: DriverRows(table, connection.dialect) for table in metadata.sorted_tables
        }

    @classmethod
    async def open(cls, engine: AsyncEngine, actor: Actor) -> Staging:
        connection = await engine.connect()
        staging = cls(connection, actor)
        await connection.run_sync(staging.metadata.create_all)
        await connection.commit()
        return staging

    async def close(self) -> None:
        """Ends the connection for good rather than back to the pool: its temporary tables
        go with it at once, where dropping them one by one walks every page they took
        (seconds, for 100,000 rows on SQLite)."""
        try:
            if self.sending is not None:
                # Only left running when the import stops early: what it stages is not wanted.
                self.sending.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self.sending
            await self.connection.rollback()
        finally:
            await self.connection.invalidate()
            await self.connection.close()

    async def add(self, rows: Sequence[PlannedRow]) -> None:
        """Stage checked rows (those that change something) with the ids of their new rows.

        The rows are sent while the next batch is checked: the database stores one batch
        while this process checks the next (``sent`` waits for them)."""
        await self.sent()
        rows = [row for row in rows if row.outcome is not Outcome.UNCHANGED]
        now = datetime.now(UTC)
        new_customer_ids = iter(
            await self.ids.take(CUSTOMERS, sum(1 for row in rows if row.new is not None))
        )
        new_record_ids = {
            name: iter(
                await self.ids.take(
                    table,
                    sum(
                        1 for r in rows for rec in r.records if rec.table == name and rec.id is None
                    ),
                )
            )
            for name, table in RECORDS.items()
        }
        events: list[dict[str, Any]] = []
        for row in rows:
            ord_ = row.line
            self.writers[self.rows].add(
                {
                    "ord": ord_,
                    "number": row.number,
                    "outcome": row.outcome,
                    "cells": orjson.dumps(row.cells).decode(),
                }
            )
            if row.new is not None:
                customer_id = next(new_customer_ids)
                self._stage_new_customer(row, customer_id, events)
            else:
                assert row.customer_id is not None
                customer_id = row.customer_id
                self._stage_changed_customer(row)
            customer_is_new = row.new is not None
            refs: list[tuple[int, str | None]] = []
            for record in row.records:
                writer = self.writers[self.records[record.table]]
                if record.id is None:
                    record_id = next(new_record_ids[record.table])
                    refs.append((record_id, record.table))
                    values = record.current | {"created_at": now}
                    values |= {"id": record_id, "customer_id": customer_id, "is_new": True}
                elif record.written():
                    refs.append((record.id, None))
                    values = record.current | {"is_new": False}
                else:
                    refs.append((record.id, None))
                    continue
                writer.add(values | {"ord": ord_, "customer_is_new": customer_is_new})
            for event in row.events:
                if event.record is None:
                    entity_id, new_in = customer_id, "customers" if customer_is_new else None
                else:
                    entity_id, new_in = refs[event.record]
                events.append(
                    {
                        "ord": ord_,
                        "customer_id": customer_id,
                        "customer_is_new": customer_is_new,
                        "entity_type": event.entity_type,
                        "entity_id": entity_id,
                        "entity_new_in": new_in,
                        "action": event.action,
                        "changes": event.changes,
                        "numbered": False,
                    }
                )
        await self._stage_events(events)
        self.sending = asyncio.create_task(self._send())

    async def _send(self) -> None:
        for writer in self.writers.values():
            await writer.insert(self.connection)
        if not self.described:
            await self._describe()
        await self.ids.take_ahead()
        await self.connection.commit()

    async def _describe(self) -> None:
        """PostgreSQL never analyzes temporary tables by itself. Told once, from the first
        batch, how wide their rows are and in what order they lie, it plans the move by
        that (scaled to the pages they fill by then): it reads the staged history in its
        order instead of sorting it on disk. Elsewhere there is nothing to do."""
        self.described = True
        if self.dialect == "postgresql":
            tables = ", ".join(table.name for table in self.metadata.sorted_tables)
            await self.connection.execute(text(f"ANALYZE {tables}"))

    async def sent(self) -> None:
        """Wait until the rows added last are stored (raising what stopped them)."""
        sending, self.sending = self.sending, None
        if sending is not None:
            await sending

    async def _stage_events(self, events: list[dict[str, Any]]) -> None:
        """History, with the names of the records it refers to (``history.with_names``), as
        JSON text."""
        named = await history.with_names(self.connection, [v["changes"] for v in events])
        writer = self.writers[self.events]
        for values, changes in zip(events, named, strict=True):
            self.events_staged += 1
            values["seq"] = self.events_staged
            values["changes"] = orjson.dumps(changes).decode()
            writer.add(values)

    def _stage_new_customer(
        self, row: PlannedRow, customer_id: int, events: list[dict[str, Any]]
    ) -> None:
        assert row.new is not None
        number = row.new.values["customer_number"]
        if number is not None:
            position = number_in_sequence(number) or 0
            self.highest_given_number = max(self.highest_given_number, position)
        self.writers[self.new_customers].add(row.new.values | {"id": customer_id, "ord": row.line})
        tags = self.writers[self.tags]
        for tag in row.new.tags:
            tags.add(
                {"ord": row.line, "customer_id": customer_id, "customer_is_new": True, "tag": tag},
            )
        events.append(
            {
                "ord": row.line,
                "customer_id": customer_id,
                "customer_is_new": True,
                "entity_type": "Customer",
                "entity_id": customer_id,
                "entity_new_in": "customers",
                "action": HistoryAction.CREATED,
                "changes": created_changes(row.new),
                "numbered": number is None,
            }
        )

    def _stage_changed_customer(self, row: PlannedRow) -> None:
        assert row.update is not None
        assert row.stored is not None
        assert row.seen is not None
        self.writers[self.changed_customers].add(
            row.stored
            | row.update.columns
            | {
                "ord": row.line,
                "seen_event": row.seen[1],
                "writes": row.update.changes_anything,
                "replaces_tags": row.update.tags is not None,
            },
        )
        tags = self.writers[self.tags]
        for tag in row.update.tags or []:
            tags.add(
                {
                    "ord": row.line,
                    "customer_id": row.customer_id,
                    "customer_is_new": False,
                    "tag": tag,
                },
            )

    async def move(self, *, partial: bool, feed: Broker) -> tuple[list[Refusal], bool]:
        """Write the staged rows in one transaction holding the write lock; the rows refused
        because what they were checked against changed, and whether the rest was kept. The
        customers written are announced on ``feed`` at commit, as any unit of work does."""
        await self.sent()
        await self.connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        started = time.monotonic()
        try:
            async with self.connection.begin() as transaction:
                await self._recheck()
                refused = await self._refusals()
                if refused and not partial:
                    await transaction.rollback()
                    return refused, False
                refused += await self._copy()
                if refused and not partial:
                    await transaction.rollback()
                    return refused, False
                changes = await publish(self.connection, feed)
            await feed.committed(changes)
            return refused, True
        finally:
            await self.connection.execution_options(**{SQLITE_BEGIN: None})
            log.info("import wrote its rows in %.3f s", time.monotonic() - started)

    def _kept(self, table: Table) -> ColumnElement[bool]:
        return ~exists().where(self.refused.c.ord == table.c.ord)

    async def _recheck(self) -> None:
        """Refuse the rows whose stored customer changed since they were checked, after
        locking those customers until commit (SQLite: the write lock holds them all)."""
        changed, new = self.changed_customers, self.new_customers
        if self.dialect == "postgresql":
            await self.connection.execute(
                select(CUSTOMERS.c.id)
                .where(CUSTOMERS.c.id.in_(select(changed.c.id)))
                .order_by(CUSTOMERS.c.id)
                .with_for_update()
            )
        version = select(CUSTOMERS.c.version).where(CUSTOMERS.c.id == changed.c.id)
        last_event = select(func.max(HistoryEvent.id)).where(
            HistoryEvent.customer_id == changed.c.id
        )
        stale = select(changed.c.ord, literal(CHANGED)).where(
            or_(
                func.coalesce(version.scalar_subquery(), 0) != changed.c.version,
                func.coalesce(last_event.scalar_subquery(), 0)
                != func.coalesce(changed.c.seen_event, 0),
            )
        )
        taken = select(new.c.ord, literal(TAKEN)).where(
            exists().where(CUSTOMERS.c.customer_number == new.c.customer_number)
        )
        for refusals in (stale, taken):
            await self.connection.execute(
                insert(self.refused).from_select(["ord", "reason"], refusals)
            )

    async def _refusals(self) -> list[Refusal]:
        found = await self.connection.execute(
            select(
                self.rows.c.ord,
                self.rows.c.number,
                self.rows.c.outcome,
                self.rows.c.cells,
                self.refused.c.reason,
            )
            .join(self.refused, self.refused.c.ord == self.rows.c.ord)
            .order_by(self.rows.c.ord)
        )
        refusals = []
        for line, number, outcome, cells, reason in found:
            message = (
                f"Customer number {number} was taken meanwhile."
                if reason == TAKEN
                else f"{number} was changed by someone else while the file was checked; "
                "import the file again to check the row against the change."
            )
            error = FieldError("customer_number", message)
            refusals.append((outcome, RejectedRow(line, number, (error,), orjson.loads(cells))))
        return refusals

    async def _copy(self) -> list[Refusal]:
        """Copy the staged rows that are kept into the real tables; the new customers whose
        given number another writer took meanwhile (PostgreSQL) are refused instead."""
        now = datetime.now(UTC)
        offsets = {"customers": await self.ids.offset(CUSTOMERS)}
        for name, table in RECORDS.items():
            offsets[name] = await self.ids.offset(table)
        before = {refusal.line for _, refusal in await self._refusals()}
        await self._insert_customers(offsets["customers"])
        late = [r for r in await self._refusals() if r[1].line not in before]
        await self._update_customers(now)
        await self._replace_tags(offsets["customers"])
        for name in RECORDS:
            await self._write_records(name, offsets)
        await self._insert_history(now, offsets)
        return late

    def _customer_id(self, table: Table, offset: int) -> ColumnElement[int]:
        return case(
            (table.c.customer_is_new, table.c.customer_id + offset), else_=table.c.customer_id
        )

    async def _insert_customers(self, offset: int) -> None:
        new = self.new_customers
        names = [c.name for c in CUSTOMERS.columns]
        placed = exists().where(CUSTOMERS.c.id == new.c.id + offset)

        def values(rows: Any, number: ColumnElement[Any]) -> list[ColumnElement[Any]]:
            return [
                rows.c.id + offset
                if name == "id"
                else number
                if name == "customer_number"
                else rows.c[name]
                for name in names
            ]

        given = select(*values(new, new.c.customer_number)).where(
            new.c.customer_number.is_not(None), self._kept(new)
        )
        await self.connection.execute(self._insert_new(names, given))
        lost = select(new.c.ord, literal(TAKEN)).where(
            new.c.customer_number.is_not(None), self._kept(new), ~placed
        )
        await self.connection.execute(insert(self.refused).from_select(["ord", "reason"], lost))
        await raise_counter(self.connection, self.highest_given_number)
        for attempt in range(NUMBERING_ATTEMPTS):
            pending = new.c.customer_number.is_(None) & self._kept(new) & ~placed
            count = await self.connection.scalar(select(func.count()).where(pending))
            if not count:
                return
            if attempt:
                await move_counter_past_stored(self.connection)
            position = await numbering_sql(self.connection, count, order_by=new.c.ord)
            positioned = (
                select(new, position.label("position"))
                .where(pending)
                .order_by(new.c.ord)
                .subquery()
            )
            numbered = select(
                *values(positioned, number_sql(positioned.c.position, self.dialect))
            ).order_by(positioned.c.ord)
            await self.connection.execute(self._insert_new(names, numbered))
        raise DomainError(
            ErrorCode.CONFLICT,
            "Customers were added too fast to number the new ones; import the file again.",
            "file",
        )

    def _insert_new(self, names: list[str], rows: Any) -> Any:
        """``INSERT ... SELECT`` that skips rows whose number is taken (waiting, on
        PostgreSQL, for a writer that is inserting it)."""
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        return (
            dialect_insert(CUSTOMERS)
            .from_select(names, rows)
            .on_conflict_do_nothing(index_elements=["customer_number"])
        )

    async def _update_customers(self, now: datetime) -> None:
        changed = self.changed_customers
        fixed = ("id", "version", "created_at", "updated_at")
        await self.connection.execute(
            update(CUSTOMERS)
            .where(CUSTOMERS.c.id == changed.c.id, changed.c.writes, self._kept(changed))
            .values(
                {c.name: changed.c[c.name] for c in CUSTOMERS.columns if c.name not in fixed}
                | {"version": CUSTOMERS.c.version + 1, "updated_at": now}
            )
        )

    async def _replace_tags(self, offset: int) -> None:
        changed, tags = self.changed_customers, self.tags
        replaced = select(changed.c.id).where(changed.c.replaces_tags, self._kept(changed))
        await self.connection.execute(
            delete(CustomerTag).where(CustomerTag.customer_id.in_(replaced))
        )
        await self.connection.execute(
            insert(CustomerTag).from_select(
                ["customer_id", "tag"],
                select(self._customer_id(tags, offset), tags.c.tag).where(self._kept(tags)),
            )
        )

    async def _write_records(self, name: str, offsets: dict[str, int]) -> None:
        """Changes first, those that stop being primary before those that become it (one
        primary contact a customer at every step), then new records."""
        real, staged = RECORDS[name], self.records[name]
        stored = [~staged.c.is_new, self._kept(staged)]
        changeable = [c.name for c in real.columns if c.name not in ("id", "customer_id")]
        passes = [~staged.c.is_primary, staged.c.is_primary] if "is_primary" in real.c else [None]
        for step in passes:
            await self.connection.execute(
                update(real)
                .where(real.c.id == staged.c.id, *stored, *([] if step is None else [step]))
                .values({column: staged.c[column] for column in changeable})
            )
        names = [c.name for c in real.columns]
        copied = [
            staged.c.id + offsets[name]
            if column == "id"
            else self._customer_id(staged, offsets["customers"])
            if column == "customer_id"
            else staged.c[column]
            for column in names
        ]
        await self.connection.execute(
            insert(real).from_select(
                names, select(*copied).where(staged.c.is_new, self._kept(staged))
            )
        )

    async def _insert_history(self, now: datetime, offsets: dict[str, int]) -> None:
        events = self.events
        customer_id = self._customer_id(events, offsets["customers"])
        entity_id = events.c.entity_id + case(
            *((events.c.entity_new_in == table, offset) for table, offset in offsets.items()),
            else_=0,
        )
        number = select(CUSTOMERS.c.customer_number).where(CUSTOMERS.c.id == customer_id)
        staged = type_coerce(events.c.changes, JSONDocument)
        changes = case(
            (events.c.numbered, self._number_first(staged, number.scalar_subquery())),
            else_=staged,
        )
        written = await self.connection.execute(
            insert(HistoryEvent)
            .from_select(
                [
                    "occurred_at",
                    "customer_id",
                    "entity_type",
                    "entity_id",
                    "action",
                    "actor_user_id",
                    "actor_name",
                    "changes",
                ],
                select(
                    literal(now, UTCDateTime()),
                    customer_id,
                    events.c.entity_type,
                    entity_id,
                    events.c.action,
                    literal(self.actor.user_id, Integer),
                    literal(self.actor.name, String),
                    changes,
                )
                .where(self._kept(events))
                .order_by(events.c.seq),
            )
            # The action as its text: noted as that, not made an enum for each event first.
            .returning(
                HistoryEvent.customer_id,
                HistoryEvent.entity_type,
                type_coerce(HistoryEvent.action, String),
            )
        )
        note_changes(self.connection, written)

    def _number_first(
        self, changes: ColumnElement[Any], number: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        """A new customer's history with the number it was given when written, first (as
        ``customers.created_changes`` lists it)."""
        fields = ("field", "customer_number", "before", null(), "after", number)
        if self.dialect == "postgresql":
            entry = func.jsonb_build_array(func.jsonb_build_object(*fields))
            return type_coerce(entry.op("||")(changes), JSONDocument)
        text = type_coerce(changes, Text)
        rest = case(
            (func.json_array_length(text) == 0, literal("]", Text)),
            else_=literal(",", Text).concat(func.substr(text, 2, type_=Text)),
        )
        entry = func.json_object(*fields, type_=Text)
        return type_coerce(literal("[", Text).concat(entry).concat(rest), JSONDocument)
