"""Bulk export of customers with their tags, contacts and sites, streamed in batches.

Memory stays bounded by the batch size whatever the number of customers: rows are read
by keyset (``key > last``, in the list's order or else in creation order), each batch with
one statement per kind of related row. One
record per customer; in CSV the lists are JSON in their own columns, so nothing is lost.
Which lists come along (tags, contacts, sites) is the caller's choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from customer_graph.db.models import Contact, Customer, CustomerTag, Site, User
from customer_graph.domain.csv_cells import csv_line
from customer_graph.domain.customer_fields import EXPORTED_COLUMNS
from customer_graph.domain.customer_list import (
    CREATION_ORDER,
    ArchivedFilter,
    CustomerListFilter,
    CustomerListOrder,
    customer_list_conditions,
)
from customer_graph.domain.history import json_value
from customer_graph.domain.keyset import (
    SortKey,
    key_labels,
    key_values,
    keyset_condition,
    order_clauses,
)
from customer_graph.domain.permissions import Actor, Permission

BATCH = 500

CUSTOMER_FIELDS = EXPORTED_COLUMNS
CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")
SITE_FIELDS = (
    "name",
    "status",
    "street1",
    "street2",
    "city",
    "region",
    "postal_code",
    "country",
    "contact_name",
    "email",
    "phone",
)
NESTED = ("tags", "contacts", "sites")
"""What an export can bring along with each customer; all of it unless asked otherwise."""
COLUMNS = (*CUSTOMER_FIELDS, "owner_email", "manager_email", *NESTED)


EXPORT_ARCHIVED_DEFAULT = ArchivedFilter.INCLUDE
"""An export is everything unless asked otherwise: archived customers too, unlike a list."""


def export_filter(archived: str | None, search: str | None = None) -> CustomerListFilter:
    """Which customers an export holds: ``archived`` EXCLUDE, INCLUDE or ONLY (any case),
    INCLUDE when not given; ``search`` as in the list. ValueError for another ``archived``."""
    try:
        chosen = ArchivedFilter(archived.strip().upper()) if archived else EXPORT_ARCHIVED_DEFAULT
    except ValueError:
        choices = ", ".join(choice.value for choice in ArchivedFilter)
        raise ValueError(f"archived is one of {choices}.") from None
    return CustomerListFilter(search=search, archived=chosen)


def parse_nested(text: str | None) -> tuple[str, ...]:
    """``"contacts,sites"`` as the nested lists to export; None or empty means all of them."""
    if text is None or not text.strip():
        return NESTED
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in NESTED]
    if unknown:
        raise ValueError(f"{unknown[0]!r} cannot be exported; choose from {', '.join(NESTED)}.")
    return tuple(name for name in NESTED if name in asked)


def columns_for(nested: Sequence[str]) -> tuple[str, ...]:
    return tuple(column for column in COLUMNS if column not in NESTED or column in nested)


def _plain(row: Mapping[Any, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {field: json_value(row[field]) for field in fields}


async def _related(
    connection: AsyncConnection, ids: list[int], nested: Sequence[str]
) -> dict[str, dict[int, list[Any]]]:
    """Each nested list asked for, by customer id: one statement per kind of list."""
    found: dict[str, dict[int, list[Any]]] = {}
    if "tags" in nested:
        tags: dict[int, list[Any]] = found.setdefault("tags", defaultdict(list))
        for tag_row in await connection.execute(
            select(CustomerTag.customer_id, CustomerTag.tag)
            .where(CustomerTag.customer_id.in_(ids))
            .order_by(CustomerTag.customer_id, CustomerTag.tag)
        ):
            tags[tag_row.customer_id].append(tag_row.tag)
    if "contacts" in nested:
        contacts: dict[int, list[Any]] = found.setdefault("contacts", defaultdict(list))
        for contact in (
            await connection.execute(
                select(Contact.__table__)
                .where(Contact.customer_id.in_(ids))
                .order_by(Contact.customer_id, Contact.is_primary.desc(), Contact.name, Contact.id)
            )
        ).mappings():
            contacts[contact["customer_id"]].append(_plain(contact, CONTACT_FIELDS))
    if "sites" in nested:
        sites: dict[int, list[Any]] = found.setdefault("sites", defaultdict(list))
        for site in (
            await connection.execute(
                select(Site.__table__)
                .where(Site.customer_id.in_(ids))
                .order_by(Site.customer_id, Site.name, Site.id)
            )
        ).mappings():
            sites[site["customer_id"]].append(_plain(site, SITE_FIELDS))
    return found


def _staff_email(actor: Actor, user_id: int, email: str) -> str | None:
    """Owners' and managers' emails go only to whoever sees staff details."""
    return email if actor.sees_staff_details(user_id) else None


def export_keys(order: CustomerListOrder | None) -> tuple[SortKey, ...]:
    """The keys an export is read by: the list's order, or creation order."""
    return CREATION_ORDER if order is None else order.keys()


def after_last(keys: Sequence[SortKey], last: tuple[Any, ...] | None) -> list[Any]:
    """The condition of the batch after the row whose key values are ``last``."""
    return [] if last is None else [keyset_condition(keys, last, following=True)]


async def export_records(
    connection: AsyncConnection,
    actor: Actor,
    list_filter: CustomerListFilter,
    nested: Sequence[str] = NESTED,
    order: CustomerListOrder | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Every customer the filter selects, in ``order`` (default: creation order), one
    record at a time."""
    actor.require(Permission.VIEW_CUSTOMERS)
    owner, manager = aliased(User), aliased(User)
    conditions = customer_list_conditions(list_filter)
    keys = export_keys(order)
    last: tuple[Any, ...] | None = None
    while True:
        batch = (
            (
                await connection.execute(
                    select(
                        Customer.__table__,
                        owner.email.label("owner_email"),
                        manager.email.label("manager_email"),
                        *key_labels(keys),
                    )
                    .join(owner, owner.id == Customer.owner_id)
                    .join(manager, manager.id == Customer.manager_id)
                    .where(*conditions, *after_last(keys, last))
                    .order_by(*order_clauses(keys, reverse=False))
                    .limit(BATCH)
                )
            )
            .mappings()
            .all()
        )
        if not batch:
            return
        ids = [row["id"] for row in batch]
        related = await _related(connection, ids, nested)
        for row in batch:
            yield {
                **_plain(row, CUSTOMER_FIELDS),
                "owner_email": _staff_email(actor, row["owner_id"], row["owner_email"]),
                "manager_email": _staff_email(actor, row["manager_id"], row["manager_email"]),
                **{name: lists.get(row["id"], []) for name, lists in related.items()},
            }
        last = key_values(batch[-1], len(keys))


async def export_lines(
    connection: AsyncConnection,
    actor: Actor,
    list_filter: CustomerListFilter,
    fmt: str,
    nested: Sequence[str] = NESTED,
    order: CustomerListOrder | None = None,
) -> AsyncIterator[bytes]:
    """The export as ``jsonl`` (one JSON object a line) or ``csv`` (a header, then rows).

    CSV cells that a spreadsheet would run as a formula are written with a leading quote
    (``domain/csv_cells.py``); import takes it off again.
    """
    records = export_records(connection, actor, list_filter, nested, order)
    if fmt == "jsonl":
        async for record in records:
            yield orjson.dumps(record) + b"\n"
        return
    columns = columns_for(nested)
    yield csv_line(columns).encode()
    async for record in records:
        yield csv_line(
            orjson.dumps(record[column]).decode()
            if isinstance(record[column], list)
            else record[column]
            for column in columns
        ).encode()
