"""Every change writes a history event in the same transaction as the change itself."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.enums import HistoryAction
from customer_graph.db.models import HistoryEvent
from customer_graph.domain.permissions import Actor


def json_value(value: Any) -> Any:
    """A value as history stores it: plain JSON."""
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
    return [
        {
            "field": paths.get(key, key),
            "before": json_value(before.get(key)),
            "after": json_value(value),
        }
        for key, value in after.items()
        if json_value(before.get(key)) != json_value(value)
    ]


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


async def record(session: AsyncSession, actor: Actor, events: Sequence[Event]) -> None:
    if not events:
        return
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
