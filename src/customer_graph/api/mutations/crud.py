"""What the mutations of a customer's records share: ids, money, running, payloads.

A payload's first field holds the record reloaded through the loaders (or, for a
removal, its id); ``user_errors`` says why nothing was written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations.common import (
    InputError,
    UserError,
    database_id,
    given_fields,
    run_change,
)
from customer_graph.api.node import load_node
from customer_graph.domain import parts
from customer_graph.domain.parts import Part
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written

P = TypeVar("P")
UNSET: Any = strawberry.UNSET
Step = Callable[[AsyncSession, Actor], Awaitable[Written]]

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


def _payload(payload: type[P], value: Any, errors: list[UserError]) -> P:
    first = dataclasses.fields(cast(Any, payload))[0].name
    return cast("P", cast(Any, payload)(**{first: value, "user_errors": errors}))


async def _run(info: Info, prepare: Callable[[], Step]) -> Written | list[UserError]:
    try:
        step = prepare()
    except InputError as error:
        return [UserError.of(error)]

    async def work(session: AsyncSession) -> Written:
        return await step(session, info.context.actor)

    return await run_change(info, work)


async def saved(info: Info, payload: type[P], entity: str, prepare: Callable[[], Step]) -> P:
    """Run the step ``prepare`` makes from the input; the payload holds the record as now."""
    outcome = await _run(info, prepare)
    if isinstance(outcome, list):
        return _payload(payload, None, outcome)
    return _payload(payload, await load_node(info, entity, outcome.record_id), [])


async def removed(info: Info, payload: type[P], entity: str, prepare: Callable[[], Step]) -> P:
    outcome = await _run(info, prepare)
    if isinstance(outcome, list):
        return _payload(payload, None, outcome)
    return _payload(payload, relay.GlobalID(entity, str(outcome.record_id)), [])


async def create_part(info: Info, payload: type[P], part: Part, data: Any) -> P:
    """Create a record of ``part`` for the customer ``data.customer_id``."""

    def prepare() -> Step:
        customer_id = key(data.customer_id, "Customer", "customer_id")
        given = attributes(data, "customer_id")
        return lambda session, actor: parts.create(session, actor, part, customer_id, given)

    return await saved(info, payload, part.kind.entity_type, prepare)


async def update_part(info: Info, payload: type[P], part: Part, data: Any) -> P:
    def prepare() -> Step:
        record_id = key(data.id, part.kind.entity_type)
        given = attributes(data)
        return lambda session, actor: parts.update(session, actor, part, record_id, given)

    return await saved(info, payload, part.kind.entity_type, prepare)


async def remove_part(info: Info, payload: type[P], part: Part, data: Any) -> P:
    def prepare() -> Step:
        record_id = key(data.id, part.kind.entity_type)
        return lambda session, actor: parts.remove(session, actor, part, record_id)

    return await removed(info, payload, part.kind.entity_type, prepare)
