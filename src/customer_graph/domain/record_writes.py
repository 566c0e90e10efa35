"""Writing one record of a customer, with its history, in the caller's transaction.

Locks are always taken customer first, then the record, so that two changes to records
of the same customer queue up instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import CustomerStatus, HistoryAction
from customer_graph.db.models import Customer
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

    @property
    def versioned(self) -> bool:
        """Whether its rows carry a version that every write moves on (a customer's do):
        a write given an older one changes nothing (CONFLICT)."""
        return "version" in self.model.__table__.c

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


async def customer_to_change(
    session: Transaction,
    actor: Actor,
    customer_id: int,
    *,
    expected_version: int | None = None,
    field: str = "id",
    removing: bool = False,
) -> dict[str, Any]:
    """The customer's row, locked, once the actor may edit it (``removing``: remove records
    from it) and nobody saved it since ``expected_version`` (CONFLICT); none skips that
    check. Every change to a customer or its records starts here, so changes to one
    customer queue up in the order they came."""
    found = (
        (
            await session.execute(
                select(Customer.__table__).where(Customer.id == customer_id).with_for_update()
            )
        )
        .mappings()
        .first()
    )
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


Inserter = Callable[[Transaction, dict[str, Any]], Awaitable[int]]
"""Inserts a row and answers its id; a kind may have its own (a customer's number)."""


async def insert_row(session: Transaction, kind: Kind, row: dict[str, Any]) -> int:
    return int(
        (
            await session.execute(insert(kind.model).values(**row).returning(kind.model.id))
        ).scalar_one()
    )


async def insert_record(
    session: Transaction,
    actor: Actor,
    kind: Kind,
    values: Mapping[str, Any],
    customers: Sequence[int] | None,
    *,
    related: Mapping[str, Any] | None = None,
    inserter: Inserter | None = None,
) -> int:
    """Insert a record and record its creation in the history of ``customers`` (None: the
    record is a customer, its own)."""
    row = dict(values)
    now = datetime.now(UTC)
    if "created_at" in kind.model.__table__.c:
        row.setdefault("created_at", now)
    if kind.versioned:
        row |= {"version": 1, "updated_at": now}
    if inserter is None:
        record_id = await insert_row(session, kind, row)
    else:
        record_id = await inserter(session, row)
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
) -> bool:
    """Write the values that differ; nothing changed writes nothing, not even history (and
    keeps the version). A versioned kind's row moves to its next version, unless someone
    else moved it past ``expected_version`` (or the version read) meanwhile: CONFLICT."""
    changed = changed_values(record, values)
    if not changed and not related:
        return False
    if changed or kind.versioned:
        await _write(session, kind, record, changed, expected_version)
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
) -> None:
    statement = update(kind.model).where(kind.model.id == record["id"]).values(**changed)
    if not kind.versioned:
        await session.execute(statement)
        return
    version = expected_version if expected_version is not None else record["version"]
    moved = await session.execute(
        statement.where(kind.model.version == version)
        .values(version=kind.model.version + 1, updated_at=datetime.now(UTC))
        .returning(kind.model.version)
    )
    if moved.first() is None:
        raise _conflict(version)


async def delete_record(
    session: Transaction,
    actor: Actor,
    kind: Kind,
    record: Mapping[str, Any],
    customers: Sequence[int],
) -> None:
    await session.execute(delete(kind.model).where(kind.model.id == record["id"]))
    gone = dict.fromkeys(_recorded(kind, record))
    changes = history.field_changes(record, gone, kind.paths)
    await history.record(
        session, actor, _events(kind, record["id"], HistoryAction.DELETED, changes, customers)
    )


async def refuse_if_referenced(
    session: Transaction,
    kind: Kind,
    record: Mapping[str, Any],
    blockers: Sequence[Blocker],
    hint: str | None = None,
) -> None:
    """Removing what others refer to would orphan them: say what refers to it (REFERENCED)."""
    found: list[tuple[Blocker, int]] = []
    for blocker in blockers:
        count = await session.scalar(select(func.count()).where(blocker.column == record["id"]))
        if count:
            found.append((blocker, int(count)))
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
