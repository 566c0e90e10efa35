"""Customers: the record everything else belongs to, written as a ``Part`` like them.

What is a customer's own: its number (from the counter unless given), its owner and
manager (active people), its tags (kept beside its row, recorded in its history like a
field) and its deletion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import (
    CustomerStatus,
)
from customer_graph.db.models import (
    Asset,
    Contact,
    Contract,
    Customer,
    CustomerTag,
    Invoice,
    Lease,
    Opportunity,
    Order,
    PriceSchedule,
    Project,
    Site,
    SupportTicket,
    User,
    WorkOrder,
)
from customer_graph.domain import history, parts, record_writes
from customer_graph.domain.customer_fields import (
    COLUMN_PATHS,
    HISTORY_COLUMNS,
    LABELS,
    clean_fields,
    label_of,
)
from customer_graph.domain.customer_numbers import (
    count_given_number,
    insert_numbered,
    number_taken,
)
from customer_graph.domain.drafts import Draft, Fields
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.parts import Part
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import (
    Blocker,
    HandBack,
    Kind,
    Written,
    check_version,
)
from customer_graph.domain.validation import NUL, Checker

MAX_TAGS = 20

CUSTOMER = Kind(
    Customer, "Customer", "customer", HISTORY_COLUMNS, COLUMN_PATHS, field_labels=LABELS
)


REFERENCES = (
    Blocker("site", "sites", Site.customer_id),
    Blocker("project", "projects", Project.customer_id),
    Blocker("owned asset", "owned assets", Asset.owner_customer_id),
    Blocker("contract", "contracts", Contract.customer_id),
    Blocker("work order", "work orders", WorkOrder.customer_id),
    Blocker("lease", "leases", Lease.customer_id),
    Blocker("opportunity", "opportunities", Opportunity.customer_id),
    Blocker("order", "orders", Order.customer_id),
    Blocker("invoice", "invoices", Invoice.customer_id),
    Blocker("support ticket", "support tickets", SupportTicket.customer_id),
    Blocker("price schedule", "price schedules", PriceSchedule.customer_id),
)
"""What keeps a customer from being deleted. Contacts and tags are part of the record."""


def clean_customer_input(
    check: Checker, given: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Validated column values for the fields given (``clean_fields``); errors are
    collected in ``check``."""
    fields = Fields(given, None if creating else {}, check)
    clean_fields(fields)
    return fields.values


def clean_tags(check: Checker, tags: list[str] | None) -> list[str]:
    cleaned: list[str] = []
    for tag in tags or []:
        text = tag.strip()
        if not text:
            continue
        if len(text) > 50:
            check.fail(
                ErrorCode.INVALID, "tags", f"The tag {text[:20]!r}… is longer than 50 characters."
            )
        elif NUL in text:
            check.fail(ErrorCode.INVALID, "tags", f"The tag {text!r} contains a NUL character.")
        elif text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_TAGS:
        check.fail(ErrorCode.INVALID, "tags", f"A customer has at most {MAX_TAGS} tags.")
    return sorted(cleaned)


ACTIVE_USERS = "customer_graph.active_users"
"""Key, in a session's ``info``, of the users it found active or not, by id."""


_USERS = select(User.id, User.name, User.is_active).where(
    User.id.in_(bindparam("user_ids", expanding=True))
)


async def _check_users(
    session: Transaction,
    check: Checker,
    users: Mapping[str, int | None],
    defaulted: frozenset[str] = frozenset(),
) -> None:
    """Owner and manager (by field) must be active users; one query for both, and none for
    people the session looked up already (an import checks thousands of rows against the
    same few people).

    ``defaulted``: the fields not given, filled in with the actor's default owner."""
    wanted = {user_id for user_id in users.values() if user_id is not None}
    known: dict[int, bool] = session.info.setdefault(ACTIVE_USERS, {})
    unknown = wanted - known.keys()
    if unknown:
        rows = (await session.execute(_USERS, {"user_ids": sorted(unknown)})).all()
        history.knows_names(session, User.id, User.name, {row.id: row.name for row in rows})
        found = {row.id for row in rows if row.is_active}
        known.update({user_id: user_id in found for user_id in unknown})
    active = {user_id for user_id in wanted if known[user_id]}
    for field, user_id in users.items():
        label = label_of(field)
        if user_id is None and field in defaulted:
            check.fail(
                ErrorCode.REQUIRED,
                field,
                f"{label} is required: this integration has no default owner to fill in.",
            )
        elif user_id is None:
            check.fail(ErrorCode.REQUIRED, field, f"{label} is required.")
        elif user_id not in active and field in defaulted:
            check.fail(
                ErrorCode.NOT_FOUND,
                field,
                f"{label} is required: this integration's default owner is no longer an "
                "active user.",
            )
        elif user_id not in active:
            check.fail(ErrorCode.NOT_FOUND, field, f"{label} must be an active user.")


def owner_and_manager(actor: Actor, given: Mapping[str, Any]) -> dict[str, int | None]:
    """Owner and manager of a new customer: as given, else the actor's default owner (a
    person themselves, a token the user it names)."""
    return {
        field: given.get(field) or actor.default_owner_id for field in ("owner_id", "manager_id")
    }


KNOWN_TAGS = "customer_graph.known_tags"
"""Key, in a session's ``info``, of customers' tags read ahead (by a bulk check), by id."""


async def _tags_of(session: Transaction, customer_id: int) -> list[str]:
    known: dict[int, list[str]] = session.info.get(KNOWN_TAGS, {})
    if customer_id in known:
        return list(known[customer_id])
    rows = await session.scalars(
        select(CustomerTag.tag)
        .where(CustomerTag.customer_id == customer_id)
        .order_by(CustomerTag.tag)
    )
    return list(rows)


async def _insert_tags(session: Transaction, customer_id: int, tags: list[str]) -> None:
    if tags:
        await session.execute(
            insert(CustomerTag), [{"customer_id": customer_id, "tag": tag} for tag in tags]
        )


async def _clean(draft: Draft) -> None:
    clean_fields(draft)
    if draft.creating:
        draft.values.setdefault("created_on", draft.today)
        draft.values["status"] = CustomerStatus.ACTIVE
    await _clean_tags(draft)
    await _owner_and_manager(draft)
    await _number_free(draft)
    if not draft.creating:
        await _currency_kept_once_money_recorded(draft)


async def _clean_tags(draft: Draft) -> None:
    if draft.creating:
        draft.related["tags"] = clean_tags(draft.check, draft.given.get("tags"))
    elif "tags" in draft.given:
        tags = clean_tags(draft.check, draft.given["tags"])
        stored = await _tags_of(draft.session, int(draft.customer["id"]))
        if tags != stored:
            draft.related["tags"], draft.related_before["tags"] = tags, stored


async def _owner_and_manager(draft: Draft) -> None:
    if draft.creating:
        users = owner_and_manager(draft.actor, draft.given)
        defaulted = frozenset(field for field in users if not draft.given.get(field))
    else:
        users = {
            field: draft.given[field]
            for field in ("owner_id", "manager_id")
            if field in draft.given
        }
        defaulted = frozenset()
    if users:
        await _check_users(draft.session, draft.check, users, defaulted)
        draft.values |= users


async def _number_free(draft: Draft) -> None:
    """A new customer's insert finds its given number taken by itself (``insert_numbered``):
    the number is looked up first only to be reported beside the input's other errors."""
    number = draft.values.get("customer_number")
    if draft.creating and not draft.check.errors:
        return
    if (
        number
        and draft.changes("customer_number")
        and await number_taken(draft.session, str(number), except_id=draft.record_id)
    ):
        draft.fail(ErrorCode.DUPLICATE, "customer_number", f"Customer number {number} is taken.")


async def _currency_kept_once_money_recorded(draft: Draft) -> None:
    if draft.changes("currency") and await _money_recorded(
        draft.session, int(draft.customer["id"])
    ):
        draft.fail(
            ErrorCode.INVALID,
            "currency",
            "The currency cannot change once amounts are recorded for the customer.",
        )


async def _count_given_number(draft: Draft) -> None:
    """A number given in the counter's own format moves the counter past it (a new
    customer's insert does that itself)."""
    if not draft.creating and draft.changes("customer_number"):
        await count_given_number(draft.session, draft.values["customer_number"])


async def _insert_numbered(
    session: Transaction, row: dict[str, Any], hand_back: HandBack | None
) -> int:
    customer_id = await insert_numbered(session, row, hand_back)
    if customer_id is None:
        number = row["customer_number"]
        raise DomainError(
            ErrorCode.DUPLICATE, f"Customer number {number} is taken.", "customer_number"
        )
    return customer_id


async def _write_tags(draft: Draft, customer_id: int) -> None:
    if "tags" not in draft.related:
        return
    if not draft.creating:
        await draft.session.execute(
            delete(CustomerTag).where(CustomerTag.customer_id == customer_id)
        )
    await _insert_tags(draft.session, customer_id, draft.related["tags"])


async def _remove_its_own(draft: Draft) -> None:
    """A customer's contacts and tags are part of it: they go with it."""
    customer_id = draft.customer["id"]
    await draft.session.execute(delete(Contact).where(Contact.customer_id == customer_id))
    await draft.session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer_id))


CUSTOMERS = Part(
    CUSTOMER,
    _clean,
    blockers=REFERENCES,
    before_remove=_remove_its_own,
    removal_hint="Archive it instead.",
    belongs_to_customer=False,
    before_write=_count_given_number,
    inserter=_insert_numbered,
    after_write=_write_tags,
)


async def create_customer(
    session: Transaction,
    actor: Actor,
    given: Mapping[str, Any],
    *,
    today: date,
    hand_back: HandBack | None = None,
) -> Written:
    """A new ACTIVE customer; only the name must be given.

    The number defaults to the next from the counter, owner and manager to the actor's
    default owner (``owner_and_manager``), the creation date to today."""
    return await parts.create(
        session, actor, CUSTOMERS, None, given, today=today, hand_back=hand_back
    )


@dataclass(frozen=True)
class NewCustomer:
    """A customer that passed every check, ready to be inserted (by an import)."""

    values: dict[str, Any]
    """Every column but ``id``; ``customer_number`` None when the next free one is due."""
    tags: list[str]


INSERTED_COLUMNS = tuple(
    column.name for column in Customer.__table__.columns if column.name != "id"
)


async def check_new_customer(
    session: Transaction, actor: Actor, given: Mapping[str, Any], *, today: date
) -> NewCustomer:
    """What ``create_customer`` would insert, checked the same way; reads only."""
    draft = await parts.check_create(session, actor, CUSTOMERS, {}, given, today=today)
    now = datetime.now(UTC)
    values = dict.fromkeys(INSERTED_COLUMNS) | draft.values
    values |= {"version": 1, "created_at": now, "updated_at": now}
    return NewCustomer(values, draft.related["tags"])


def created_changes(new: NewCustomer) -> list[dict[str, Any]]:
    """The history of a customer's creation: every field given a value, under its path."""
    return record_writes.created_changes(CUSTOMER, new.values, {"tags": new.tags})


@dataclass(frozen=True)
class CustomerUpdate:
    """What an update that passed every check writes: nothing when ``changes`` is empty."""

    customer_id: int
    columns: dict[str, Any]
    """The stored columns whose values change."""
    tags: list[str] | None
    """The tags, when they change."""
    changes: list[dict[str, Any]]
    """The history of the update: each field changed, before and after."""

    @property
    def changes_anything(self) -> bool:
        return bool(self.columns) or self.tags is not None


async def check_customer_update(
    session: Transaction,
    actor: Actor,
    row: Mapping[str, Any],
    expected_version: int | None,
    given: Mapping[str, Any],
) -> CustomerUpdate:
    """What ``parts.update`` would write to the stored customer ``row``, checked the
    same way; reads only. A stale ``expected_version`` is a CONFLICT; none (a bulk
    import) skips that check."""
    check_version(row, expected_version)
    draft = await parts.check_update(session, actor, CUSTOMERS, row, row, given)
    changed = record_writes.changed_values(row, draft.values)
    changes = record_writes.updated_changes(
        CUSTOMER, row, changed, draft.related_before, draft.related
    )
    return CustomerUpdate(int(row["id"]), changed, draft.related.get("tags"), changes)


async def _money_recorded(session: Transaction, customer_id: int) -> bool:
    for table_column in (
        Order.customer_id,
        Invoice.customer_id,
        Contract.customer_id,
        Opportunity.customer_id,
        Lease.customer_id,
        PriceSchedule.customer_id,
    ):
        if await session.scalar(select(table_column).where(table_column == customer_id).limit(1)):
            return True
    return False


async def delete_customer(session: Transaction, actor: Actor, customer_id: int) -> Written:
    """Delete a customer nothing references; otherwise say what does."""
    return await parts.remove(session, actor, CUSTOMERS, customer_id)
