"""Writing one record of a customer, with its history, in the caller's transaction.

Locks are always taken customer first, then the record, so that two changes to records
of the same customer queue up instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Insert,
    RowMapping,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from customer_graph.db.base import table_of
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import CustomerStatus, HistoryAction
from customer_graph.db.models import Customer
from customer_graph.db.statements import BuiltOnce
from customer_graph.domain import history
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.history import Event
from customer_graph.domain.permissions import Actor


@dataclass(frozen=True)
class Written:
    """What a write touched: the record, and every customer whose history shows it."""

    record_id: int
    customer_ids: tuple[int, ...]
    changed: bool = True
    """False when an update found every value already as given and wrote nothing."""


@dataclass(eq=False)
class HandBack:
    """Asks a write for its row as the caller reads it (``columns``, one of them labelled
    ``id``, each reading the row alone): the write answers it itself (RETURNING), into
    ``row``, so the caller need not read the row again. ``columns`` is one object per way
    of reading a row, built once: its statements are built once too."""

    columns: Sequence[ColumnElement[Any]]
    row: Mapping[str, Any] | None = None


def _returning_built_once(statement: object) -> BuiltOnce[Any]:
    assert isinstance(statement, Insert | Update)
    return BuiltOnce(lambda columns: statement.returning(*cast(Sequence[Any], columns)))


_RETURNING = BuiltOnce(_returning_built_once)


def returning(
    statement: Insert | Update, hand_back: HandBack | None, *plain: ColumnElement[Any]
) -> Any:
    """``statement`` (built once, returning nothing) returning ``plain``, or what
    ``hand_back`` asks for instead (which holds ``plain`` under their names); built once
    per statement and columns, so compiled once."""
    columns: Sequence[ColumnElement[Any]] = plain if hand_back is None else hand_back.columns
    return _RETURNING(statement)(columns)


def handed_back(hand_back: HandBack | None, found: RowMapping | None) -> None:
    """Keeps the row a write returned (``returning``) for whoever asked for it."""
    if hand_back is not None and found is not None:
        hand_back.row = dict(found)


@dataclass(frozen=True)
class Kind:
    """One kind of record: its table, its name in history and messages."""

    model: Any
    entity_type: str
    label: str
    history_columns: tuple[str, ...]
    paths: Mapping[str, str] = field(default_factory=dict)
    """Stored columns under the input paths people see (``currency`` is ``value.currency``)."""
    title: str | None = "name"
    """The column that names a record in messages."""
    field_labels: Mapping[str, str] = field(default_factory=dict)
    """What people call a recorded column, when not its path in words (a contract's
    ``value`` is "Value", not "Amount"): the words its history shows
    (``domain/history_fields.py``)."""

    @property
    def table(self) -> Table:
        return table_of(self.model)

    @property
    def versioned(self) -> bool:
        """Whether its rows carry a version that every write moves on (a customer's do):
        a write given an older one changes nothing (CONFLICT)."""
        return "version" in self.table.c

    def describe(self, record: Mapping[str, Any]) -> str:
        name = record.get(self.title) if self.title else None
        return f'{self.label.capitalize()} "{name}"' if name else f"This {self.label}"


@dataclass(frozen=True)
class Blocker:
    """Records of another kind that keep a record from being removed."""

    singular: str
    plural: str
    column: Any

    def counted(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"


def customer_ids(*ids: int | None) -> tuple[int, ...]:
    """The distinct customers among ``ids``, in order, without the missing ones."""
    return tuple(dict.fromkeys(i for i in ids if i is not None))


_NOTHING_ALONG: Mapping[str, ColumnElement[Any]] = {}


def _locking(read_along: object) -> Select[Any]:
    assert isinstance(read_along, Mapping)
    along = [expression.label(key) for key, expression in read_along.items()]
    return (
        select(Customer.__table__, *along)
        .where(Customer.id == bindparam("customer_id"))
        .with_for_update(of=Customer)
    )


_customer_locked = BuiltOnce(_locking)
"""The statement that locks a customer, per set of things read along with it."""


async def customer_to_change(
    session: Transaction,
    actor: Actor,
    customer_id: int,
    *,
    expected_version: int | None = None,
    field: str = "id",
    removing: bool = False,
    read_along: Mapping[str, ColumnElement[Any]] | None = None,
) -> dict[str, Any]:
    """The customer's row, locked, once the actor may edit it (``removing``: remove records
    from it) and nobody saved it since ``expected_version`` (CONFLICT); none skips that
    check. Every change to a customer or its records starts here, so changes to one
    customer queue up in the order they came.

    ``read_along``: more of the customer to read in the same statement, by key."""
    statement = _customer_locked(read_along or _NOTHING_ALONG)
    found = (await session.execute(statement, {"customer_id": customer_id})).mappings().first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such customer.", field)
    row = dict(found)
    if removing:
        actor.require_remove_records(row["owner_id"], row["manager_id"])
    else:
        actor.require_edit_customer(row["owner_id"], row["manager_id"])
    check_version(row, expected_version)
    return row


def _conflict(expected_version: int) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"Someone else saved this customer after version {expected_version}. "
        "Reload to see their changes, then make yours again.",
        "expected_version",
    )


def check_version(row: Mapping[str, Any], expected_version: int | None) -> None:
    if expected_version is not None and row["version"] != expected_version:
        raise _conflict(expected_version)


def require_active(customer: Mapping[str, Any], what: str, field: str = "customer_id") -> None:
    """Only ACTIVE customers get new sites, contracts and work orders."""
    if customer["status"] is not CustomerStatus.ACTIVE:
        raise DomainError(
            ErrorCode.NOT_ACTIVE,
            f"{customer['name']} is inactive: only active customers get new {what}.",
            field,
        )


async def key_of(
    session: Transaction, kind: Kind, record_id: int, column: str, field: str = "id"
) -> Any:
    """One column of a record, unlocked (to find what to lock first); NOT_FOUND if none."""
    found = (
        await session.execute(select(getattr(kind.model, column)).where(kind.model.id == record_id))
    ).first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No such {kind.label}.", field)
    return found[0]


async def load_record(
    session: Transaction, kind: Kind, record_id: int, field: str = "id"
) -> dict[str, Any]:
    row = (
        (
            await session.execute(
                select(kind.model.__table__).where(kind.model.id == record_id).with_for_update()
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No such {kind.label}.", field)
    return dict(row)


def _events(
    kind: Kind,
    record_id: int,
    action: HistoryAction,
    changes: list[dict[str, Any]],
    customers: Iterable[int],
) -> list[Event]:
    return [Event(customer, kind.entity_type, record_id, action, changes) for customer in customers]


def _recorded(kind: Kind, values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        column: value
        for column in kind.history_columns
        if (value := values.get(column)) is not None
    }


def created_changes(
    kind: Kind, values: Mapping[str, Any], related: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The history of a new record: every tracked field given a value (``related``: what
    is written beside its row, such as tags, unless empty)."""
    recorded = _recorded(kind, values)
    recorded |= {name: value for name, value in (related or {}).items() if value not in (None, [])}
    return history.field_changes({}, recorded, kind.paths)


def changed_values(record: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``values`` that differ from the stored ``record``."""
    return {
        column: value
        for column, value in values.items()
        if history.json_value(record[column]) != history.json_value(value)
    }


def updated_changes(
    kind: Kind,
    record: Mapping[str, Any],
    changed: Mapping[str, Any],
    related_before: Mapping[str, Any] | None = None,
    related: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The history of an update: each tracked field changed, before and after."""
    tracked = {column: value for column, value in changed.items() if column in kind.history_columns}
    before = {**record, **(related_before or {})}
    return history.field_changes(before, tracked | dict(related or {}), kind.paths)


Inserter = Callable[[Transaction, dict[str, Any], HandBack | None], Awaitable[int]]
"""Inserts a row and answers its id; a kind may have its own (a customer's number)."""


def _inserting(table: object) -> Insert:
    assert isinstance(table, Table)
    return insert(table)


_insert_into = BuiltOnce(_inserting)


async def insert_row(
    session: Transaction, kind: Kind, row: dict[str, Any], hand_back: HandBack | None = None
) -> int:
    statement = returning(_insert_into(kind.table), hand_back, kind.table.c.id)
    found = (await session.execute(statement, row)).mappings().one()
    handed_back(hand_back, found)
    return int(found["id"])


async def insert_record(
    session: Transaction,
    actor: Actor,
    kind: Kind,
    values: Mapping[str, Any],
    customers: Sequence[int] | None,
    *,
    related: Mapping[str, Any] | None = None,
    inserter: Inserter | None = None,
    hand_back: HandBack | None = None,
) -> int:
    """Insert a record and record its creation in the history of ``customers`` (None: the
    record is a customer, its own)."""
    row = dict(values)
    now = datetime.now(UTC)
    if "created_at" in kind.table.c:
        row.setdefault("created_at", now)
    if kind.versioned:
        row |= {"version": 1, "updated_at": now}
    if inserter is None:
        record_id = await insert_row(session, kind, row, hand_back)
    else:
        record_id = await inserter(session, row, hand_back)
    changes = created_changes(kind, row, related)
    events = _events(kind, record_id, HistoryAction.CREATED, changes, customers or [record_id])
    await history.record(session, actor, events)
    return record_id


async def update_record(
    session: Transaction,
    actor: Actor,
    kind: Kind,
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    customers: Sequence[int] | None,
    *,
    expected_version: int | None = None,
    related_before: Mapping[str, Any] | None = None,
    related: Mapping[str, Any] | None = None,
    action: HistoryAction = HistoryAction.UPDATED,
    hand_back: HandBack | None = None,
) -> bool:
    """Write the values that differ; nothing changed writes nothing, not even history (and
    keeps the version). A versioned kind's row moves to its next version, unless someone
    else moved it past ``expected_version`` (or the version read) meanwhile: CONFLICT."""
    changed = changed_values(record, values)
    if not changed and not related:
        return False
    if changed or kind.versioned:
        await _write(session, kind, record, changed, expected_version, hand_back)
    changes = updated_changes(kind, record, changed, related_before, related)
    events = _events(kind, record["id"], action, changes, customers or [record["id"]])
    await history.record(session, actor, events)
    return True


async def _write(
    session: Transaction,
    kind: Kind,
    record: Mapping[str, Any],
    changed: Mapping[str, Any],
    expected_version: int | None,
    hand_back: HandBack | None,
) -> None:
    values = {**changed, "record_id": record["id"]}
    table = kind.table
    if not kind.versioned:
        statement = _update_of(table)
        if hand_back is None:
            await session.execute(statement, values)
            return
        found = (await session.execute(returning(statement, hand_back), values)).mappings().first()
        handed_back(hand_back, found)
        return
    version = expected_version if expected_version is not None else record["version"]
    values |= {"updated_at": datetime.now(UTC), "expected_version": version}
    statement = returning(_versioned_update_of(table), hand_back, table.c.version)
    found = (await session.execute(statement, values)).mappings().first()
    if found is None:
        raise _conflict(version)
    handed_back(hand_back, found)


def _updating(table: object) -> Update:
    assert isinstance(table, Table)
    return update(table).where(table.c.id == bindparam("record_id"))


def _updating_versioned(table: object) -> Update:
    assert isinstance(table, Table)
    return (
        _updating(table)
        .where(table.c.version == bindparam("expected_version"))
        .values(version=table.c.version + 1)
    )


_update_of = BuiltOnce(_updating)
"""A row's update by its id; what it sets is bound when it runs."""
_versioned_update_of = BuiltOnce(_updating_versioned)
"""The same, for a versioned row: only from the version expected, to the next."""


async def delete_record(
    session: Transaction,
    actor: Actor,
    kind: Kind,
    record: Mapping[str, Any],
    customers: Sequence[int],
) -> None:
    await session.execute(delete(kind.table).where(kind.table.c.id == record["id"]))
    gone = dict.fromkeys(_recorded(kind, record))
    changes = history.field_changes(record, gone, kind.paths)
    await history.record(
        session, actor, _events(kind, record["id"], HistoryAction.DELETED, changes, customers)
    )


def _counting_referrers(blockers: object) -> Select[Any]:
    assert isinstance(blockers, Sequence)
    return select(
        *(
            select(func.count())
            .where(blocker.column == bindparam("record_id"))
            .scalar_subquery()
            .label(f"referrers_{index}")
            for index, blocker in enumerate(blockers)
        )
    )


_referrers_counted = BuiltOnce(_counting_referrers)
"""How many records of each kind refer to a record, per list of blockers."""


async def refuse_if_referenced(
    session: Transaction,
    kind: Kind,
    record: Mapping[str, Any],
    blockers: Sequence[Blocker],
    hint: str | None = None,
) -> None:
    """Removing what others refer to would orphan them: say what refers to it (REFERENCED).
    One statement counts every kind of referrer."""
    if not blockers:
        return
    counts = (
        await session.execute(_referrers_counted(blockers), {"record_id": record["id"]})
    ).one()
    found = [
        (blocker, int(count)) for blocker, count in zip(blockers, counts, strict=True) if count
    ]
    if not found:
        return
    named = [blocker.counted(count) for blocker, count in found]
    listed = " and ".join(filter(None, (", ".join(named[:-1]), named[-1])))
    verb = "refers" if len(found) == 1 and found[0][1] == 1 else "refer"
    raise DomainError(
        ErrorCode.REFERENCED,
        " ".join(
            filter(
                None, (f"{kind.describe(record)} cannot be removed: {listed} {verb} to it.", hint)
            )
        ),
        "id",
    )


async def taken(
    session: Transaction,
    kind: Kind,
    conditions: Sequence[ColumnElement[bool]],
    except_id: int | None,
) -> bool:
    """Whether another record of ``kind`` already matches ``conditions``."""
    query = select(kind.model.id).where(*conditions)
    if except_id is not None:
        query = query.where(kind.model.id != except_id)
    return (await session.execute(query.limit(1))).first() is not None
