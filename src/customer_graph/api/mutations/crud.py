"""What the mutations of a customer's records share: ids, money, and create, update and
remove for any ``Part``, each answering the ``Outcome`` its payload is made of."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from customer_graph.api.context import Info
from customer_graph.api.mutations.common import (
    Outcome,
    database_id,
    given_fields,
    hand_back_for,
    run_mutation,
)
from customer_graph.db.engine import Transaction
from customer_graph.domain import parts
from customer_graph.domain.parts import Part
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written

UNSET: Any = strawberry.UNSET

ID_TYPES = {
    "customer_id": "Customer",
    "owner_customer_id": "Customer",
    "site_id": "Site",
    "asset_id": "Asset",
    "project_id": "Project",
    "work_order_id": "WorkOrder",
}
"""Input fields holding global ids, and the type each must name."""


@strawberry.input(description="An exact amount of money.")
class MoneyInput:
    amount: Decimal
    currency: str | None = strawberry.field(
        default=UNSET,
        description="ISO 4217. Defaults to the customer's currency; no other is accepted.",
    )


def key(global_id: str, type_name: str, field: str = "id") -> int:
    found = database_id(global_id, type_name, field)
    assert found is not None
    return found


def attributes(data: Any, *parents: str) -> dict[str, Any]:
    """The fields the client set, with database ids; ``id`` and ``parents`` left out."""
    given = given_fields(data)
    for field in ("id", *parents):
        given.pop(field, None)
    for field, type_name in ID_TYPES.items():
        if field in given:
            given[field] = database_id(getattr(data, field), type_name, field)
    return given


async def create(info: Info, part: Part, data: Any) -> Outcome[Written]:
    """Create a record of ``part`` for the customer ``data.customer_id``."""

    hand_back = hand_back_for(info, part.kind.entity_type)

    async def command(session: Transaction, actor: Actor) -> Written:
        customer_id = key(data.customer_id, "Customer", "customer_id")
        given = attributes(data, "customer_id")
        return await parts.create(session, actor, part, customer_id, given, hand_back=hand_back)

    return await run_mutation(info, command, part.kind.entity_type, hand_back=hand_back)


async def update(info: Info, part: Part, data: Any) -> Outcome[Written]:
    hand_back = hand_back_for(info, part.kind.entity_type)

    async def command(session: Transaction, actor: Actor) -> Written:
        record_id = key(data.id, part.kind.entity_type)
        given = attributes(data)
        return await parts.update(session, actor, part, record_id, given, hand_back=hand_back)

    return await run_mutation(info, command, part.kind.entity_type, hand_back=hand_back)


async def remove(info: Info, part: Part, data: Any) -> Outcome[Written]:
    async def command(session: Transaction, actor: Actor) -> Written:
        record_id = key(data.id, part.kind.entity_type)
        return await parts.remove(session, actor, part, record_id)

    return await run_mutation(info, command, part.kind.entity_type, read_back=False)
