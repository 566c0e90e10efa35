"""Creating, editing and deleting customers: required fields, numbers, owners, deletion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.enums import (
    CustomerKind,
    CustomerSegment,
    CustomerStatus,
    HistoryAction,
    PaymentTerms,
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
from customer_graph.domain import history
from customer_graph.domain.customer_numbers import (
    count_given_number,
    insert_numbered,
    number_taken,
)
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.record_writes import Written
from customer_graph.domain.validation import NUL, Checker

ADDRESS_PARTS = ("street1", "street2", "city", "region", "postal_code", "country")
MAX_TAGS = 20

COLUMN_PATHS: dict[str, str] = {
    **{part: f"address.{part}" for part in ADDRESS_PARTS},
    **{f"billing_{part}": f"billing_address.{part}" for part in ADDRESS_PARTS},
    "billing_name": "billing_contact.name",
    "billing_email": "billing_contact.email",
    "billing_phone": "billing_contact.phone",
}
"""Stored columns under the names people see in forms, errors and history."""

HISTORY_COLUMNS = (
    "customer_number",
    "name",
    "kind",
    "segment",
    "description",
    "status",
    "email",
    "phone",
    "contact_title",
    *ADDRESS_PARTS,
    *(f"billing_{part}" for part in ADDRESS_PARTS),
    "billing_name",
    "billing_email",
    "billing_phone",
    "payment_terms",
    "currency",
    "shared_folder_url",
    "notes",
    "vat_id",
    "tax_id",
    "created_on",
    "owner_id",
    "manager_id",
)

REFERENCES: tuple[tuple[str, Any], ...] = (
    ("sites", Site.customer_id),
    ("projects", Project.customer_id),
    ("owned assets", Asset.owner_customer_id),
    ("contracts", Contract.customer_id),
    ("work orders", WorkOrder.customer_id),
    ("leases", Lease.customer_id),
    ("opportunities", Opportunity.customer_id),
    ("orders", Order.customer_id),
    ("invoices", Invoice.customer_id),
    ("support tickets", SupportTicket.customer_id),
    ("price schedules", PriceSchedule.customer_id),
)
"""What keeps a customer from being deleted. Contacts and tags are part of the record."""


def _address(
    check: Checker, prefix: str, given: Mapping[str, Any], column_prefix: str
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for part in ADDRESS_PARTS:
        if part not in given:
            continue
        field = f"{prefix}.{part}"
        value = given[part]
        if part == "country":
            columns[f"{column_prefix}{part}"] = check.country(field, value)
        else:
            limit = 20 if part == "postal_code" else 200 if part.startswith("street") else 100
            columns[f"{column_prefix}{part}"] = check.text(field, value, max_length=limit)
    return columns


def clean_customer_input(
    check: Checker, given: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Validated column values for the fields given; errors are collected in ``check``."""
    columns: dict[str, Any] = {}
    if creating or "name" in given:
        columns["name"] = check.text("name", given.get("name"), max_length=200, required=True)
    if "customer_number" in given and (given["customer_number"] or not creating):
        columns["customer_number"] = check.text(
            "customer_number", given["customer_number"], max_length=32, required=True
        )
    for field, limit in (
        ("description", 4000),
        ("contact_title", 100),
        ("notes", 10000),
        ("vat_id", 40),
        ("tax_id", 40),
    ):
        if field in given:
            columns[field] = check.text(field, given[field], max_length=limit)
    if "email" in given:
        columns["email"] = check.email("email", given["email"])
    if "phone" in given:
        columns["phone"] = check.phone("phone", given["phone"])
    if "shared_folder_url" in given:
        columns["shared_folder_url"] = check.url("shared_folder_url", given["shared_folder_url"])
    if "address" in given:
        columns |= _address(check, "address", given["address"], "")
    if "billing_address" in given:
        columns |= _address(check, "billing_address", given["billing_address"], "billing_")
    billing = given.get("billing_contact", {})
    if "name" in billing:
        columns["billing_name"] = check.text(
            "billing_contact.name", billing["name"], max_length=200
        )
    if "email" in billing:
        columns["billing_email"] = check.email("billing_contact.email", billing["email"])
    if "phone" in billing:
        columns["billing_phone"] = check.phone("billing_contact.phone", billing["phone"])
    for field, kind in (
        ("kind", CustomerKind),
        ("segment", CustomerSegment),
        ("payment_terms", PaymentTerms),
    ):
        if field in given:
            if given[field] is None:
                check.fail(
                    ErrorCode.REQUIRED,
                    field,
                    f"{field.replace('_', ' ').capitalize()} is required.",
                )
            else:
                columns[field] = kind(given[field])
    if "currency" in given:
        columns["currency"] = check.currency("currency", given["currency"])
    if "created_on" in given:
        if given["created_on"] is None:
            check.fail(ErrorCode.REQUIRED, "created_on", "Date created is required.")
        else:
            columns["created_on"] = given["created_on"]
    return columns


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


async def _check_users(
    session: AsyncSession,
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
        rows = (
            await session.execute(
                select(User.id, User.name, User.is_active).where(User.id.in_(unknown))
            )
        ).all()
        history.knows_names(session, User.id, User.name, {row.id: row.name for row in rows})
        found = {row.id for row in rows if row.is_active}
        known.update({user_id: user_id in found for user_id in unknown})
    active = {user_id for user_id in wanted if known[user_id]}
    for field, user_id in users.items():
        label = "Owner" if field == "owner_id" else "Manager"
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


async def _tags_of(session: AsyncSession, customer_id: int) -> list[str]:
    known: dict[int, list[str]] = session.info.get(KNOWN_TAGS, {})
    if customer_id in known:
        return list(known[customer_id])
    rows = await session.scalars(
        select(CustomerTag.tag)
        .where(CustomerTag.customer_id == customer_id)
        .order_by(CustomerTag.tag)
    )
    return list(rows)


async def _insert_tags(session: AsyncSession, customer_id: int, tags: list[str]) -> None:
    if tags:
        await session.execute(
            insert(CustomerTag), [{"customer_id": customer_id, "tag": tag} for tag in tags]
        )


async def _replace_tags(session: AsyncSession, customer_id: int, tags: list[str]) -> None:
    await session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer_id))
    await _insert_tags(session, customer_id, tags)


@dataclass(frozen=True)
class NewCustomer:
    """A customer that passed every check, ready to be inserted."""

    values: dict[str, Any]
    """Every column but ``id``; ``customer_number`` None when the next free one is due."""
    tags: list[str]


INSERTED_COLUMNS = tuple(
    column.name for column in Customer.__table__.columns if column.name != "id"
)


async def check_new_customer(
    session: AsyncSession, actor: Actor, given: Mapping[str, Any], *, today: date
) -> NewCustomer:
    """A new ACTIVE customer; only the name must be given.

    The number defaults to the next free one (assigned when inserted), owner and manager to
    the actor's default owner (``owner_and_manager``), the creation date to today. Reads only.
    """
    actor.require(Permission.CREATE_CUSTOMERS)
    check = Checker()
    columns = clean_customer_input(check, given, creating=True)
    tags = clean_tags(check, given.get("tags"))
    users = owner_and_manager(actor, given)
    defaulted = frozenset(field for field in users if not given.get(field))
    await _check_users(session, check, users, defaulted)
    number = columns.get("customer_number")
    if number and await number_taken(session, number):
        check.fail(ErrorCode.DUPLICATE, "customer_number", f"Customer number {number} is taken.")
    check.raise_if_failed()

    now = datetime.now(UTC)
    values = dict.fromkeys(INSERTED_COLUMNS) | {
        "kind": CustomerKind.COMPANY,
        "segment": CustomerSegment.SMB,
        "payment_terms": PaymentTerms.NET_30,
        "currency": "USD",
        "created_on": today,
    }
    values |= columns
    values |= {
        "customer_number": number,
        "status": CustomerStatus.ACTIVE,
        **users,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return NewCustomer(values, tags)


def created_changes(new: NewCustomer) -> list[dict[str, Any]]:
    """The history of a customer's creation: every field given a value, under its path."""
    created = {key: new.values.get(key) for key in HISTORY_COLUMNS} | {"tags": new.tags}
    return history.field_changes(
        {}, {k: v for k, v in created.items() if v not in (None, [])}, COLUMN_PATHS
    )


async def create_customer(
    session: AsyncSession, actor: Actor, given: Mapping[str, Any], *, today: date
) -> Written:
    """Check and insert a new customer (``check_new_customer``), with its tags and history."""
    new = await check_new_customer(session, actor, given, today=today)
    row = dict(new.values)
    customer_id = await insert_numbered(session, row)
    if customer_id is None:
        number = row["customer_number"]
        raise DomainError(
            ErrorCode.DUPLICATE, f"Customer number {number} is taken.", "customer_number"
        )
    await _insert_tags(session, customer_id, new.tags)
    numbered = NewCustomer(row, new.tags)
    await history.record(
        session,
        actor,
        [history.customer_event(customer_id, HistoryAction.CREATED, created_changes(numbered))],
    )
    return Written(customer_id, (customer_id,))


async def customer_to_change(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    expected_version: int | None = None,
    field: str = "id",
    removing: bool = False,
) -> dict[str, Any]:
    """The customer's row, locked, once the actor may edit it (``removing``: remove records
    from it) and nobody saved it since ``expected_version`` (CONFLICT); none skips that
    check. Every change to a customer or its records starts here, so changes to one
    customer queue up in the order they came."""
    found = (
        (
            await session.execute(
                select(Customer.__table__).where(Customer.id == customer_id).with_for_update()
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such customer.", field)
    row = dict(found)
    if removing:
        actor.require_remove_records(row["owner_id"], row["manager_id"])
    else:
        actor.require_edit_customer(row["owner_id"], row["manager_id"])
    check_version(row, expected_version)
    return row


def _conflict(expected_version: int) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"Someone else saved this customer after version {expected_version}. "
        "Reload to see their changes, then make yours again.",
        "expected_version",
    )


def check_version(row: Mapping[str, Any], expected_version: int | None) -> None:
    if expected_version is not None and row["version"] != expected_version:
        raise _conflict(expected_version)


async def write_customer(
    session: AsyncSession,
    row: Mapping[str, Any],
    expected_version: int | None,
    values: Mapping[str, Any],
) -> None:
    """Write ``values`` and bump the version, unless someone else saved in between."""
    version = expected_version if expected_version is not None else row["version"]
    result = await session.execute(
        update(Customer)
        .where(Customer.id == row["id"], Customer.version == version)
        .values(**values, version=Customer.version + 1, updated_at=datetime.now(UTC))
        .returning(Customer.version)
    )
    if result.first() is None:
        raise _conflict(version)
    if values.get("customer_number"):
        await count_given_number(session, values["customer_number"])


async def _money_recorded(session: AsyncSession, customer_id: int) -> bool:
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
    session: AsyncSession,
    actor: Actor,
    row: Mapping[str, Any],
    expected_version: int | None,
    given: Mapping[str, Any],
) -> CustomerUpdate:
    """The given fields of the stored customer ``row`` checked and compared; reads only.

    A stale ``expected_version`` is a CONFLICT; none (a bulk import) skips that check.
    """
    customer_id = int(row["id"])
    actor.require_edit_customer(row["owner_id"], row["manager_id"])
    check_version(row, expected_version)
    check = Checker()
    columns = clean_customer_input(check, given, creating=False)
    tags = clean_tags(check, given["tags"]) if "tags" in given else None
    users = {field: given[field] for field in ("owner_id", "manager_id") if field in given}
    if users:
        await _check_users(session, check, users)
        columns |= users
    number = columns.get("customer_number")
    renumbered = number and number != row["customer_number"]
    if renumbered and await number_taken(session, str(number), except_id=customer_id):
        check.fail(ErrorCode.DUPLICATE, "customer_number", f"Customer number {number} is taken.")
    currency = columns.get("currency")
    if currency and currency != row["currency"] and await _money_recorded(session, customer_id):
        check.fail(
            ErrorCode.INVALID,
            "currency",
            "The currency cannot change once amounts are recorded for the customer.",
        )
    check.raise_if_failed()

    changed = {key: value for key, value in columns.items() if value != row[key]}
    before: dict[str, Any] = dict(row)
    after: dict[str, Any] = dict(changed)
    new_tags = None
    if tags is not None:
        old_tags = await _tags_of(session, customer_id)
        if tags != old_tags:
            before["tags"], after["tags"] = old_tags, tags
            new_tags = tags
    return CustomerUpdate(
        customer_id, changed, new_tags, history.field_changes(before, after, COLUMN_PATHS)
    )


async def update_customer(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    expected_version: int | None,
    given: Mapping[str, Any],
) -> Written:
    """Change the given fields; a stale ``expected_version`` changes nothing (CONFLICT).

    Values already as given write nothing, not even history, and keep the version.
    """
    row = await customer_to_change(session, actor, customer_id, expected_version=expected_version)
    update = await check_customer_update(session, actor, row, expected_version, given)
    if not update.changes_anything:
        return Written(customer_id, (customer_id,), changed=False)
    if update.tags is not None:
        await _replace_tags(session, customer_id, update.tags)
    await write_customer(session, row, expected_version, update.columns)
    await history.record(
        session,
        actor,
        [history.customer_event(customer_id, HistoryAction.UPDATED, update.changes)],
    )
    return Written(customer_id, (customer_id,))


async def references_to(session: AsyncSession, customer_id: int) -> dict[str, int]:
    found = {}
    for label, column in REFERENCES:
        count = await session.scalar(select(func.count()).where(column == customer_id))
        if count:
            found[label] = int(count)
    return found


async def delete_customer(session: AsyncSession, actor: Actor, customer_id: int) -> Written:
    """Delete a customer nothing references; otherwise say what does."""
    actor.require(Permission.DELETE_CUSTOMERS)
    row = await customer_to_change(session, actor, customer_id)
    found = await references_to(session, customer_id)
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in found.items())
        raise DomainError(
            ErrorCode.REFERENCED,
            f"{row['name']} cannot be deleted: {listed} refer to it. Archive it instead.",
            "id",
        )
    await session.execute(delete(Contact).where(Contact.customer_id == customer_id))
    await session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer_id))
    await session.execute(delete(Customer).where(Customer.id == customer_id))
    await history.record(
        session,
        actor,
        [
            history.customer_event(
                customer_id,
                HistoryAction.DELETED,
                [{"field": "name", "before": row["name"], "after": None}],
            )
        ],
    )
    return Written(customer_id, (customer_id,))
