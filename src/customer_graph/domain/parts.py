"""Create, update and remove for the records that belong to one customer.

The flow is the same for each kind: lock the customer, check the actor may edit it,
check every field, write, record history on the customer. What differs per kind is
said by its ``Part``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError

from customer_graph.db.engine import Transaction
from customer_graph.domain import record_writes
from customer_graph.domain.drafts import Draft
from customer_graph.domain.errors import DomainError
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.record_writes import (
    Blocker,
    HandBack,
    Kind,
    Written,
    customer_to_change,
)

Hook = Callable[[Draft], Awaitable[None]]
AfterWrite = Callable[[Draft, int], Awaitable[None]]
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
    removal_hint: str | None = None
    """What to do instead, when others refer to a record that is to be removed."""
    belongs_to_customer: bool = True
    """False for the customer itself: created with the permission to create customers,
    and its own customer when changed."""
    inserter: record_writes.Inserter | None = None
    after_write: AfterWrite | None = None
    """Writes what is kept beside the record's row (``draft.related``), given its id."""
    read_with_customer: Mapping[str, ColumnElement[Any]] = field(default_factory=dict)
    """What a new record needs of its customer besides its row (by key in
    ``draft.customer``), read in the statement that locks the customer."""


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
    session: Transaction,
    actor: Actor,
    part: Part,
    customer: Mapping[str, Any],
    given: Mapping[str, Any],
    *,
    today: date | None = None,
) -> Draft:
    """A new record of ``customer`` (or a new customer) checked field by field; reads only."""
    if not part.belongs_to_customer:
        actor.require(Permission.CREATE_CUSTOMERS)
    else:
        actor.require_edit_customer(customer["owner_id"], customer["manager_id"])
        if part.new_only_for_active_customers:
            record_writes.require_active(customer, part.new_only_for_active_customers)
    draft = Draft(
        given, session=session, actor=actor, customer=customer, today=today or date.today()
    )
    await part.clean(draft)
    draft.check.raise_if_failed()
    return draft


async def check_update(
    session: Transaction,
    actor: Actor,
    part: Part,
    customer: Mapping[str, Any],
    record: Mapping[str, Any],
    given: Mapping[str, Any],
) -> Draft:
    """The given fields of a stored record of ``customer`` checked; reads only."""
    actor.require_edit_customer(customer["owner_id"], customer["manager_id"])
    draft = Draft(given, record, session=session, actor=actor, customer=customer)
    await part.clean(draft)
    draft.check.raise_if_failed()
    return draft


async def create(
    session: Transaction,
    actor: Actor,
    part: Part,
    customer_id: int | None,
    given: Mapping[str, Any],
    *,
    today: date | None = None,
    hand_back: HandBack | None = None,
) -> Written:
    """A new record of the customer ``customer_id`` (None for a new customer)."""
    values: dict[str, Any] = {}
    customer: Mapping[str, Any] = {}
    if part.belongs_to_customer:
        assert customer_id is not None
        customer = await customer_to_change(
            session, actor, customer_id, field="customer_id", read_along=part.read_with_customer
        )
        values["customer_id"] = customer_id
    draft = await check_create(session, actor, part, customer, given, today=today)
    if part.before_write:
        await part.before_write(draft)
    async with _explained(part, draft):
        record_id = await record_writes.insert_record(
            session,
            actor,
            part.kind,
            draft.values | values,
            [customer_id] if customer_id is not None else None,
            related=draft.related,
            inserter=part.inserter,
            hand_back=hand_back,
        )
    if part.after_write:
        await part.after_write(draft, record_id)
    return Written(record_id, (customer_id if customer_id is not None else record_id,))


async def _locked(
    session: Transaction, actor: Actor, kind: Kind, record_id: int, *, removing: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    customer_id = await record_writes.key_of(session, kind, record_id, "customer_id")
    customer = await customer_to_change(session, actor, customer_id, removing=removing)
    return customer, await record_writes.load_record(session, kind, record_id)


async def update(
    session: Transaction,
    actor: Actor,
    part: Part,
    record_id: int,
    given: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    hand_back: HandBack | None = None,
) -> Written:
    """The given fields of a record; nobody may have saved it since ``expected_version``
    (for a kind with versions)."""
    if part.belongs_to_customer:
        customer, record = await _locked(session, actor, part.kind, record_id)
    else:
        customer = record = await customer_to_change(
            session, actor, record_id, expected_version=expected_version
        )
    draft = await check_update(session, actor, part, customer, record, given)
    if part.before_write:
        await part.before_write(draft)
    async with _explained(part, draft):
        changed = await record_writes.update_record(
            session,
            actor,
            part.kind,
            record,
            draft.values,
            [customer["id"]],
            expected_version=expected_version,
            related_before=draft.related_before,
            related=draft.related,
            hand_back=hand_back,
        )
    if changed and part.after_write:
        await part.after_write(draft, record_id)
    return Written(record_id, (customer["id"],), changed)


async def remove(session: Transaction, actor: Actor, part: Part, record_id: int) -> Written:
    """Remove a record nothing refers to (REFERENCED says what does); a customer goes with
    what is part of it (``before_remove``), and only for those who may delete customers."""
    if part.belongs_to_customer:
        customer, record = await _locked(session, actor, part.kind, record_id, removing=True)
    else:
        actor.require(Permission.DELETE_CUSTOMERS)
        customer = record = await customer_to_change(session, actor, record_id)
    await record_writes.refuse_if_referenced(
        session, part.kind, record, part.blockers, part.removal_hint
    )
    if part.before_remove:
        await part.before_remove(Draft({}, record, session=session, actor=actor, customer=customer))
    await record_writes.delete_record(session, actor, part.kind, record, [customer["id"]])
    return Written(record_id, (customer["id"],))
