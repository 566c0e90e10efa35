"""Create, update and remove for the records that belong to one customer.

The flow is the same for each kind: lock the customer, check the actor may edit it,
check every field, write, record history on the customer. What differs per kind is
said by its ``Part``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.domain import record_writes
from customer_graph.domain.customers import customer_to_change
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import DomainError
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Blocker, Kind, Written

Hook = Callable[[Draft], Awaitable[None]]
Explainer = Callable[[Draft], Awaitable[DomainError | None]]


@dataclass(frozen=True)
class Part:
    kind: Kind
    clean: Hook
    """Fills ``draft.values`` from ``draft.given``; refusals go to ``draft.check``."""
    new_only_for_active_customers: str | None = None
    """What an inactive customer may not get (``"sites"``); None when it may."""
    blockers: tuple[Blocker, ...] = ()
    before_write: Hook | None = None
    """Runs once every check passed, in the same transaction, before the record is written."""
    before_remove: Hook | None = None
    explain_refusal: Explainer | None = None
    """When the database refuses the write (a constraint the checks above hold too, broken
    by a concurrent writer in between), the same refusal the checks would have given."""


@contextlib.asynccontextmanager
async def _explained(part: Part, draft: Draft) -> AsyncIterator[None]:
    try:
        yield
    except IntegrityError:
        refusal = await part.explain_refusal(draft) if part.explain_refusal else None
        if refusal is None:
            raise
        raise refusal from None


async def check_create(
    session: AsyncSession,
    actor: Actor,
    part: Part,
    customer: Mapping[str, Any],
    given: Mapping[str, Any],
) -> Draft:
    """A new record of ``customer`` checked field by field; reads only."""
    actor.require_edit_customer(customer["owner_id"], customer["manager_id"])
    if part.new_only_for_active_customers:
        record_writes.require_active(customer, part.new_only_for_active_customers)
    draft = Draft(session, actor, customer, given)
    await part.clean(draft)
    draft.check.raise_if_failed()
    return draft


async def check_update(
    session: AsyncSession,
    actor: Actor,
    part: Part,
    customer: Mapping[str, Any],
    record: Mapping[str, Any],
    given: Mapping[str, Any],
) -> Draft:
    """The given fields of a stored record of ``customer`` checked; reads only."""
    actor.require_edit_customer(customer["owner_id"], customer["manager_id"])
    draft = Draft(session, actor, customer, given, record)
    await part.clean(draft)
    draft.check.raise_if_failed()
    return draft


async def create(
    session: AsyncSession, actor: Actor, part: Part, customer_id: int, given: Mapping[str, Any]
) -> Written:
    customer = await customer_to_change(session, actor, customer_id, field="customer_id")
    draft = await check_create(session, actor, part, customer, given)
    if part.before_write:
        await part.before_write(draft)
    async with _explained(part, draft):
        record_id = await record_writes.insert_record(
            session, actor, part.kind, draft.values | {"customer_id": customer_id}, [customer_id]
        )
    return Written(record_id, (customer_id,))


async def _locked(
    session: AsyncSession, actor: Actor, kind: Kind, record_id: int, *, removing: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    customer_id = await record_writes.key_of(session, kind, record_id, "customer_id")
    customer = await customer_to_change(session, actor, customer_id, removing=removing)
    return customer, await record_writes.load_record(session, kind, record_id)


async def update(
    session: AsyncSession, actor: Actor, part: Part, record_id: int, given: Mapping[str, Any]
) -> Written:
    customer, record = await _locked(session, actor, part.kind, record_id)
    draft = await check_update(session, actor, part, customer, record, given)
    if part.before_write:
        await part.before_write(draft)
    async with _explained(part, draft):
        changed = await record_writes.update_record(
            session, actor, part.kind, record, draft.values, [customer["id"]]
        )
    return Written(record_id, (customer["id"],), changed)


async def remove(session: AsyncSession, actor: Actor, part: Part, record_id: int) -> Written:
    customer, record = await _locked(session, actor, part.kind, record_id, removing=True)
    await record_writes.refuse_if_referenced(session, part.kind, record, part.blockers)
    if part.before_remove:
        await part.before_remove(Draft(session, actor, customer, {}, record))
    await record_writes.delete_record(session, actor, part.kind, record, [customer["id"]])
    return Written(record_id, (customer["id"],))
