"""What the mutations of a customer's records share: ids, money, and create, update and
remove for any ``Part``, each answering the ``Outcome`` its payload is made of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import strawberry

from customer_graph.api.context import Info
from customer_graph.api.mutations.common import (
    Command,
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
from customer_graph.domain.record_writes import HandBack, Written

UNSET: Any = strawberry.UNSET

ID_TYPES = {
    "customer_id": "Customer",
    "owner_customer_id": "Customer",
    "site_id": "Site",
    "asset_id": "Asset",
    "project_id": "Project",
    "work_order_id": "WorkOrder",
    "owner_id": "User",
    "manager_id": "User",
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


@dataclass(frozen=True)
class RecordWrite:
    """A mutation that creates or updates one record of ``part`` from its input object and
    answers the record: declared on the input type (``creates``, ``updates``), so that both
    the resolver (``write``) and a prepared mutation (``api/compiled/prepared_writes.py``)
    find the same command."""

    part: Part
    creates: bool

    @property
    def entity(self) -> str:
        return self.part.kind.entity_type

    def command(self, data: Any, today: date, hand_back: HandBack | None) -> Command[Written]:
        """The domain's create or update for this input; its global ids are decoded when it
        runs, so a malformed one is a userError of its field."""
        part = self.part

        async def creating(session: Transaction, actor: Actor) -> Written:
            customer_id = (
                key(data.customer_id, "Customer", "customer_id")
                if part.belongs_to_customer
                else None
            )
            given = attributes(data, "customer_id")
            return await parts.create(
                session, actor, part, customer_id, given, today=today, hand_back=hand_back
            )

        async def updating(session: Transaction, actor: Actor) -> Written:
            record_id = key(data.id, self.entity)
            version = getattr(data, "expected_version", None)
            given = attributes(data, "expected_version")
            return await parts.update(
                session,
                actor,
                part,
                record_id,
                given,
                expected_version=version,
                hand_back=hand_back,
            )

        return creating if self.creates else updating


RECORD_WRITES: dict[type, RecordWrite] = {}
"""The write each input type asks for."""

InputType = TypeVar("InputType", bound=type)


def _declares(write: RecordWrite) -> Callable[[InputType], InputType]:
    def declare(input_type: InputType) -> InputType:
        RECORD_WRITES[input_type] = write
        return input_type

    return declare


def creates(part: Part) -> Callable[[InputType], InputType]:
    """Declares that an input type creates a record of ``part`` (for ``write``)."""
    return _declares(RecordWrite(part, creates=True))


def updates(part: Part) -> Callable[[InputType], InputType]:
    """Declares that an input type updates a record of ``part`` (for ``write``)."""
    return _declares(RecordWrite(part, creates=False))


async def write(info: Info, data: Any) -> Outcome[Written]:
    """Create or update the record the input type declares (``creates``, ``updates``)."""
    record_write = RECORD_WRITES[type(data)]
    entity = record_write.entity
    hand_back = hand_back_for(info, entity)
    command = record_write.command(data, info.context.today, hand_back)
    return await run_mutation(info, command, entity, hand_back=hand_back)


async def remove(info: Info, part: Part, data: Any) -> Outcome[Written]:
    async def command(session: Transaction, actor: Actor) -> Written:
        record_id = key(data.id, part.kind.entity_type)
        return await parts.remove(session, actor, part, record_id)

    return await run_mutation(info, command, part.kind.entity_type, read_back=False)
