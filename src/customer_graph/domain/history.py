"""Every change writes a history event in the same transaction as the change itself."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

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
from customer_graph.domain.unit_of_work import note_changes

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


def customer_event(
    customer_id: int, action: HistoryAction, changes: Sequence[dict[str, Any]] = ()
) -> Event:
    """A change to the customer record itself."""
    return Event(customer_id, "Customer", customer_id, action, changes)


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


async def with_names(
    connection: AsyncSession | AsyncConnection, change_lists: Sequence[Sequence[dict[str, Any]]]
) -> list[list[dict[str, Any]]]:
    """The changes with ``before_name`` and ``after_name`` beside each id of a record that
    ``NAMED_BY`` names, as the record was called when the change was made: history reads
    "Owner: Ray → Mia", not ids, even once the record is renamed or removed. One query
    per kind of record named, however many changes."""
    wanted: dict[str, set[int]] = {}
    for changes in change_lists:
        for change in changes:
            if change["field"] in NAMED_BY:
                ids = wanted.setdefault(change["field"], set())
                ids.update(v for v in (change["before"], change["after"]) if isinstance(v, int))
    names: dict[str, dict[int, str]] = {}
    for field, ids in wanted.items():
        key, name = NAMED_BY[field]
        rows = await connection.execute(select(key, name).where(key.in_(ids)))
        names[field] = {int(row_id): name for row_id, name in rows}

    def named(change: dict[str, Any]) -> dict[str, Any]:
        found = names.get(change["field"])
        if found is None:
            return change
        return change | {
            "before_name": found.get(change["before"]),
            "after_name": found.get(change["after"]),
        }

    return [[named(change) for change in changes] for changes in change_lists]


async def record(session: AsyncSession, actor: Actor, events: Sequence[Event]) -> None:
    if not events:
        return
    named = await with_names(session, [event.changes for event in events])
    events = [
        dataclasses.replace(event, changes=changes)
        for event, changes in zip(events, named, strict=True)
    ]
    note_changes(session, ((e.customer_id, e.entity_type, e.action) for e in events))
    now = datetime.now(UTC)
    await session.execute(
        insert(HistoryEvent),
        [
            {
                "occurred_at": now,
                "customer_id": event.customer_id,
                "entity_type": event.entity_type,
                "entity_id": event.entity_id,
                "action": event.action,
                "actor_user_id": actor.user_id,
                "actor_name": actor.name,
                "changes": list(event.changes),
            }
            for event in events
        ],
    )
