"""Checking one row of an import by the rules, reading only: what it would write.

A row goes through the checks the mutations use (``check_new_customer``,
``check_customer_update``, the contact and site parts' ``check_create`` and
``check_update``) against what is stored, and becomes a ``PlannedRow``: the inserts and
updates it needs, with their history. Nothing is written and no lock is taken, so
checking a file, however long it takes, leaves other writers alone; ``import_write``
writes the planned rows afterwards, in a moment.

Contacts and sites are matched to stored ones (contacts by email, else by name; sites by
name); those in the file are added or updated, those not in it are left alone. A contact
made primary replaces the former primary, as ``contacts.unset_other_primaries`` does in a
mutation; a new site starts with the primary contact the row leaves.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.bulk import one_of
from customer_graph.db.counters import dialect_of
from customer_graph.db.enums import HistoryAction
from customer_graph.db.models import Customer, CustomerTag, HistoryEvent, User
from customer_graph.domain import parts
from customer_graph.domain.contacts import CONTACT, CONTACTS, PRIMARY_REPLACED, makes_primary
from customer_graph.domain.customer_numbers import KNOWN_NUMBERS
from customer_graph.domain.customers import (
    KNOWN_TAGS,
    CustomerUpdate,
    NewCustomer,
    check_customer_update,
    check_new_customer,
)
from customer_graph.domain.errors import DomainError
from customer_graph.domain.import_rows import (
    READ_ONLY_COLUMNS,
    FieldError,
    Outcome,
    RowInput,
    RowRefused,
    contact_input,
    contact_key,
    customer_errors,
    related_errors,
    rule_errors,
    site_input,
    site_key,
    without_blanks,
)
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import (
    Kind,
    changed_values,
    created_changes,
    updated_changes,
)
from customer_graph.domain.sites import PRIMARY_CONTACT_NAME, SITE, SITES
from customer_graph.domain.validation import ValidationFailed, normalized_email

RELATED: dict[str, tuple[Kind, parts.Part, Callable[[Mapping[Any, Any]], str]]] = {
    "contacts": (CONTACT, CONTACTS, contact_key),
    "sites": (SITE, SITES, site_key),
}
"""The lists of a row: what they hold, their rules, and how an item finds its stored record."""


@dataclass
class PlannedRecord:
    """A contact or site the row adds (``id`` None) or changes, as the row leaves it."""

    table: str
    """``contacts`` or ``sites``."""
    id: int | None
    stored: dict[str, Any]
    """The stored record (empty for a new one)."""
    current: dict[str, Any]
    """Its values once the row's items are applied."""

    def written(self) -> dict[str, Any]:
        """What to write: every column of a new record; the changed ones of a stored one."""
        if self.id is None:
            return dict(self.current)
        return changed_values(self.stored, self.current)


@dataclass(frozen=True)
class PlannedEvent:
    entity_type: str
    record: int | None
    """The index of the contact or site in the row's ``records``; None for the customer."""
    action: HistoryAction
    changes: list[dict[str, Any]]


@dataclass
class PlannedRow:
    """What one checked row writes, and what it was checked against."""

    line: int
    number: str | None
    cells: dict[str, str]
    outcome: Outcome
    new: NewCustomer | None = None
    customer_id: int | None = None
    stored: dict[str, Any] | None = None
    """The stored customer as the row was checked against it."""
    seen: tuple[int, int | None] | None = None
    """The stored customer's version and last history event when the row was checked."""
    update: CustomerUpdate | None = None
    records: list[PlannedRecord] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    """The row's history after the customer's own CREATED event (added when written)."""


def _last_event() -> Any:
    return (
        select(func.max(HistoryEvent.id))
        .where(HistoryEvent.customer_id == Customer.id)
        .scalar_subquery()
        .label("last_event_id")
    )


class _RowRecords:
    """A customer's contacts or sites as the row's items leave them."""

    def __init__(self, plan: PlannedRow, table: str, stored: list[dict[str, Any]]) -> None:
        self.plan = plan
        self.table = table
        self.kind, _, key_of = RELATED[table]
        self.unmatched: dict[str, list[int]] = {}
        for record in stored:
            index = self._add(int(record["id"]), record)
            self.unmatched.setdefault(key_of(record), []).append(index)
        self.changed = False

    def _add(self, record_id: int | None, stored: dict[str, Any]) -> int:
        self.plan.records.append(PlannedRecord(self.table, record_id, stored, dict(stored)))
        return len(self.plan.records) - 1

    def ours(self) -> list[int]:
        return [i for i, r in enumerate(self.plan.records) if r.table == self.table]

    def match(self, key: str) -> int | None:
        """The first stored record the key matches, used once per row."""
        matches = self.unmatched.get(key)
        return matches.pop(0) if matches else None

    def current(self, index: int) -> dict[str, Any]:
        return self.plan.records[index].current

    def create(self, values: Mapping[str, Any]) -> int:
        index = self._add(None, {})
        self.plan.records[index].current = dict(values)
        self.event(index, HistoryAction.CREATED, created_changes(self.kind, values))
        return index

    def change(self, index: int, values: Mapping[str, Any]) -> None:
        current = self.current(index)
        changed = changed_values(current, values)
        if changed:
            self.event(index, HistoryAction.UPDATED, updated_changes(self.kind, current, changed))
            current.update(changed)

    def event(self, index: int, action: HistoryAction, changes: list[dict[str, Any]]) -> None:
        self.plan.events.append(PlannedEvent(self.kind.entity_type, index, action, changes))
        self.changed = True


class Planner:
    """Checks rows one at a time in ``session``, which it only reads from."""

    def __init__(self, session: AsyncSession, actor: Actor, today: date) -> None:
        self.session = session
        self.actor = actor
        self.today = today
        self.users: dict[str, int | None] = {}
        self.looked_up: set[str] = set()
        """Numbers read ahead, stored or not."""
        self.customers: dict[str, dict[str, Any]] = {}
        """Stored customers read ahead, by number."""
        self.records: dict[str, dict[int, list[dict[str, Any]]]] = {}
        """Stored contacts and sites read ahead, by column and customer id."""

    async def user_id(self, row: RowInput, column: str) -> int | None:
        email = row.values.get(column, "").strip()
        if not email:
            return None
        key = normalized_email(email)
        if key not in self.users:
            self.users[key] = await self.session.scalar(
                select(User.id).where(User.email == key, User.is_active)
            )
        found = self.users[key]
        if found is None:
            row.fail(column, f"No active user has the email {email!r}.")
        return found

    async def read_ahead(self, numbers: Collection[str]) -> None:
        """Reads what the rows numbered ``numbers`` are checked against in four statements,
        not four a row: the stored customers with their last history event (and so which
        of the numbers are taken), their tags, contacts and sites (none of those when no
        number is stored). Good until the session's transaction ends."""
        dialect = dialect_of(self.session)
        found = (
            await self.session.execute(
                select(Customer.__table__, _last_event()).where(
                    one_of(Customer.customer_number, numbers, dialect)
                )
            )
        ).mappings()
        self.looked_up = set(numbers)
        self.customers = {row["customer_number"]: dict(row) for row in found}
        ids = [row["id"] for row in self.customers.values()]
        tags: dict[int, list[str]] = {customer_id: [] for customer_id in ids}
        self.records = {column: {i: [] for i in ids} for column in RELATED}
        self.session.info[KNOWN_TAGS] = tags
        self.session.info[KNOWN_NUMBERS] = {
            number: None if (stored := self.customers.get(number)) is None else stored["id"]
            for number in self.looked_up
        }
        if not ids:
            return
        for customer_id, tag in await self.session.execute(
            select(CustomerTag.customer_id, CustomerTag.tag)
            .where(one_of(CustomerTag.customer_id, ids, dialect))
            .order_by(CustomerTag.tag)
        ):
            tags[customer_id].append(tag)
        for column, (kind, _, _) in RELATED.items():
            model: Any = kind.model
            for record in (
                await self.session.execute(
                    select(model.__table__)
                    .where(one_of(model.customer_id, ids, dialect))
                    .order_by(model.id)
                )
            ).mappings():
                self.records[column][record["customer_id"]].append(dict(record))

    def forget_read_ahead(self) -> None:
        """The transaction ended: what was read ahead may have changed."""
        self.looked_up, self.customers, self.records = set(), {}, {}
        self.session.info.pop(KNOWN_TAGS, None)
        self.session.info.pop(KNOWN_NUMBERS, None)

    async def stored(self, number: str | None) -> dict[str, Any] | None:
        if number is None:
            return None
        if number in self.looked_up:
            found_ahead = self.customers.get(number)
            return None if found_ahead is None else dict(found_ahead)
        found = (
            (
                await self.session.execute(
                    select(Customer.__table__, _last_event()).where(
                        Customer.customer_number == number
                    )
                )
            )
            .mappings()
            .first()
        )
        return None if found is None else dict(found)

    async def plan(self, line: int, row: RowInput) -> PlannedRow:
        """What the row writes; ``RowRefused`` with every error found in it otherwise."""
        owner_id = await self.user_id(row, "owner_email")
        manager_id = await self.user_id(row, "manager_email")
        stored = await self.stored(row.number)
        check_read_only(row, stored)
        given = dict(row.customer)
        if row.tags is not None:
            given["tags"] = row.tags
        for key, user in (("owner_id", owner_id), ("manager_id", manager_id)):
            if user is not None:
                given[key] = user
        if row.errors:
            raise RowRefused([*row.errors, *rule_errors(given, creating=stored is None)])
        plan = PlannedRow(line, row.number, dict(row.values), Outcome.CREATED)
        try:
            customer = await self._customer(plan, stored, given)
        except (ValidationFailed, DomainError) as error:
            raise RowRefused(customer_errors(error)) from None
        changed = await self.related(plan, customer, "contacts", row.contacts)
        changed |= await self.related(plan, customer, "sites", row.sites)
        if stored is not None:
            update = plan.update
            touched = changed or (update is not None and update.changes_anything)
            plan.outcome = Outcome.UPDATED if touched else Outcome.UNCHANGED
        return plan

    async def _customer(
        self, plan: PlannedRow, stored: dict[str, Any] | None, given: dict[str, Any]
    ) -> dict[str, Any]:
        """The customer as the row leaves it, for the checks of its contacts and sites."""
        if stored is None:
            plan.new = await check_new_customer(
                self.session, self.actor, without_blanks(given), today=self.today
            )
            return plan.new.values | {"id": None, PRIMARY_CONTACT_NAME: None}
        plan.customer_id = int(stored["id"])
        plan.seen = (int(stored["version"]), stored.pop("last_event_id"))
        plan.stored = dict(stored)
        update = await check_customer_update(self.session, self.actor, stored, None, given)
        plan.update = update
        if update.changes_anything:
            plan.events.append(
                PlannedEvent("Customer", None, HistoryAction.UPDATED, update.changes)
            )
        return stored | update.columns

    async def related(
        self,
        plan: PlannedRow,
        customer: dict[str, Any],
        column: str,
        items: list[dict[str, Any]] | None,
    ) -> bool:
        """Add or update each contact or site of the row; whether any changed."""
        if not items:
            return False
        kind, part, key_of = RELATED[column]
        stored: list[dict[str, Any]] = []
        read_ahead = self.records.get(column, {})
        if customer["id"] in read_ahead:
            stored = [dict(record) for record in read_ahead[customer["id"]]]
        elif customer["id"] is not None:
            model: Any = kind.model
            stored = [
                dict(record)
                for record in (
                    await self.session.execute(
                        select(model.__table__)
                        .where(model.customer_id == customer["id"])
                        .order_by(model.id)
                    )
                ).mappings()
            ]
        records = _RowRecords(plan, column, stored)
        errors: list[FieldError] = []
        for position, item in enumerate(items, start=1):
            match = records.match(key_of(item))
            try:
                given = contact_input(item) if column == "contacts" else site_input(item)
                if match is None:
                    draft = await parts.check_create(
                        self.session, self.actor, part, customer, given, today=self.today
                    )
                else:
                    draft = await parts.check_update(
                        self.session, self.actor, part, customer, records.current(match), given
                    )
            except (ValidationFailed, DomainError) as error:
                errors.extend(related_errors(column, position, error))
                continue
            if column == "contacts" and makes_primary(draft):
                for index in records.ours():
                    if index != match and records.current(index).get("is_primary"):
                        records.event(index, HistoryAction.UPDATED, [PRIMARY_REPLACED])
                        records.current(index)["is_primary"] = False
            if match is None:
                records.create(draft.values)
            else:
                records.change(match, draft.values)
        if errors:
            raise RowRefused(errors)
        if column == "contacts":
            primaries = [records.current(i) for i in records.ours()]
            customer[PRIMARY_CONTACT_NAME] = next(
                (c["name"] for c in primaries if c.get("is_primary")), None
            )
        return records.changed


def check_read_only(row: RowInput, stored: Mapping[str, Any] | None) -> None:
    """``status`` and ``archived_at`` change by deactivating and archiving, not by import."""
    for column in READ_ONLY_COLUMNS:
        if column not in row.values:
            continue
        given = row.values[column].strip()
        if stored is None:
            expected = "ACTIVE" if column == "status" else ""
            allowed = (expected, "") if column == "status" else ("",)
        else:
            value = stored[column]
            expected = (
                value.value
                if isinstance(value, enum.Enum)
                else ""
                if value is None
                else value.isoformat()
            )
            allowed = (expected,)
        if given not in allowed:
            what = "deactivating and reactivating" if column == "status" else "archiving"
            row.fail(
                column,
                f"{column} is {expected or 'empty'}, not {given or 'empty'}: "
                f"it changes by {what} the customer, not by import.",
            )
