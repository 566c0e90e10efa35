"""Every change writes a history event in the same transaction as the change itself."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import InstrumentedAttribute

from customer_graph.db.base import table_of
from customer_graph.db.change_feed import Along
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import HistoryAction
from customer_graph.db.models import (
    Asset,
    Customer,
    HistoryEvent,
    Project,
    Site,
    User,
    WorkOrder,
)
from customer_graph.domain.permissions import Actor

PLAIN = (str, int, bool, float)
"""Types stored as they are (exactly these: an enum deriving from one is not)."""


def json_value(value: Any) -> Any:
    """A value as history stores it: plain JSON."""
    if value is None or type(value) in PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], paths: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The fields whose values differ, each with its before and after value.

    ``paths`` renames stored columns to the names people see (``billing_city`` is
    ``billing_address.city``).
    """
    paths = paths or {}
    if not before:  # a new record: every value it has is a change
        return [
            {"field": paths.get(key, key), "before": None, "after": json_value(value)}
            for key, value in after.items()
            if value is not None
        ]
    changes = []
    for key, value in after.items():
        old, new = json_value(before.get(key)), json_value(value)
        if old != new:
            changes.append({"field": paths.get(key, key), "before": old, "after": new})
    return changes


@dataclass(frozen=True)
class Event:
    customer_id: int
    entity_type: str
    entity_id: int
    action: HistoryAction
    changes: Sequence[dict[str, Any]] = ()


NAMED_BY: Mapping[str, tuple[InstrumentedAttribute[int], InstrumentedAttribute[str]]] = {
    "owner_id": (User.id, User.name),
    "manager_id": (User.id, User.name),
    "site_id": (Site.id, Site.name),
    "asset_id": (Asset.id, Asset.name),
    "project_id": (Project.id, Project.name),
    "work_order_id": (WorkOrder.id, WorkOrder.number),
    "owner_customer_id": (Customer.id, Customer.name),
}
"""Fields that hold another record's id: that record's key, and what names it for a person."""


KNOWN_NAMES = "customer_graph.known_names"
"""Key, in a session's (or connection's) ``info``, of names read already (``knows_names``)."""


def knows_names(
    connection: Transaction,
    key: InstrumentedAttribute[int],
    name: InstrumentedAttribute[str],
    names: Mapping[int, str],
) -> None:
    """Names the transaction read anyway (the owner checked to be an active user): history
    names those records without reading them again."""
    known: dict[tuple[Any, Any], dict[int, str]] = connection.info.setdefault(KNOWN_NAMES, {})
    known.setdefault((key, name), {}).update(names)


async def with_names(
    connection: Transaction, change_lists: Sequence[Sequence[dict[str, Any]]]
) -> list[list[dict[str, Any]]]:
    """The changes with ``before_name`` and ``after_name`` beside each id of a record that
    ``NAMED_BY`` names, as the record was called when the change was made: history reads
    "Owner: Ray → Mia", not ids, even once the record is renamed or removed. At most one
    query per kind of record named (owner and manager are both people: one), however many
    changes, and none for names the transaction knows already (``knows_names``)."""
    wanted: dict[tuple[Any, Any], set[int]] = {}
    naming: list[bool] = []  # for each list, whether it names anything (most lists do not)
    for changes in change_lists:
        names_any = False
        for change in changes:
            named_by = NAMED_BY.get(change["field"])
            if named_by is not None:
                names_any = True
                ids = wanted.setdefault(named_by, set())
                ids.update(v for v in (change["before"], change["after"]) if isinstance(v, int))
        naming.append(names_any)
    known: dict[tuple[Any, Any], dict[int, str]] = connection.info.get(KNOWN_NAMES, {})
    names: dict[tuple[Any, Any], dict[int, str]] = {}
    for (key, name), ids in wanted.items():
        found = names[key, name] = dict(known.get((key, name), {}))
        unknown = ids - found.keys()
        if unknown:
            rows = await connection.execute(select(key, name).where(key.in_(unknown)))
            found.update({int(row_id): row_name for row_id, row_name in rows})

    def named(change: dict[str, Any]) -> dict[str, Any]:
        named_by = NAMED_BY.get(change["field"])
        if named_by is None:
            return change
        found = names[named_by]
        return change | {
            "before_name": found.get(change["before"]),
            "after_name": found.get(change["after"]),
        }

    return [
        [named(change) for change in changes] if names_any else list(changes)
        for changes, names_any in zip(change_lists, naming, strict=True)
    ]


NOTED = "customer_graph.noted_changes"
"""Key of the changes noted so far, in the session's (or connection's) ``info``."""


def note_changes(
    connection: Transaction,
    events: Iterable[tuple[int, str, HistoryAction | str]],
) -> None:
    """History was written for these ``(customer_id, entity_type, action)``: the unit of
    work announces them at commit."""
    noted: list[tuple[int, str, str]] = connection.info.setdefault(NOTED, [])
    noted.extend(
        (customer_id, entity_type, HistoryAction(action).value)
        for customer_id, entity_type, action in events
    )


@dataclass(frozen=True)
class _Recorded:
    event: Event
    actor: Actor
    occurred_at: datetime


PENDING = "customer_graph.pending_history"
"""Key, in a session's (or connection's) ``info``, of the events recorded in a unit of
work and not yet written: they are written at its end, in one statement with the
notification (``domain/unit_of_work.py``)."""


def defer_until_commit(connection: Transaction) -> None:
    """From now on, ``record`` keeps the events for ``take_pending`` instead of writing them."""
    connection.info[PENDING] = []


async def record(session: Transaction, actor: Actor, events: Sequence[Event]) -> None:
    """Record ``events`` as part of the caller's transaction: at once, or inside a unit of
    work at its end (``defer_until_commit``)."""
    if not events:
        return
    now = datetime.now(UTC)
    recorded = [_Recorded(event, actor, now) for event in events]
    pending: list[_Recorded] | None = session.info.get(PENDING)
    if pending is not None:
        pending.extend(recorded)
        return
    note_changes(session, ((e.customer_id, e.entity_type, e.action) for e in events))
    write = await _insert(session, recorded)
    await session.execute(write.statement, dict(write.values))


async def take_pending(
    connection: Transaction,
) -> Along | None:
    """The statement that writes the events recorded so far in this unit of work (None for
    none); they count as noted changes from then on (``note_changes``)."""
    pending: list[_Recorded] = connection.info.pop(PENDING, [])
    if not pending:
        return None
    note_changes(
        connection, ((r.event.customer_id, r.event.entity_type, r.event.action) for r in pending)
    )
    return await _insert(connection, pending)


_HISTORY = table_of(HistoryEvent)
_ONE_EVENT = insert(_HISTORY).values(
    {column.name: bindparam(column.name) for column in _HISTORY.columns if column.name != "id"}
)
"""The common case, one event: a statement built once, its values bound per run."""


async def _insert(connection: Transaction, recorded: Sequence[_Recorded]) -> Along:
    named = await with_names(connection, [r.event.changes for r in recorded])
    rows = [
        {
            "occurred_at": r.occurred_at,
            "customer_id": r.event.customer_id,
            "entity_type": r.event.entity_type,
            "entity_id": r.event.entity_id,
            "action": r.event.action,
            "actor_user_id": r.actor.user_id,
            "actor_name": r.actor.name,
            "changes": changes,
        }
        for r, changes in zip(recorded, named, strict=True)
    ]
    if len(rows) == 1:
        return Along(_ONE_EVENT, rows[0])
    return Along(insert(_HISTORY).values(rows))
