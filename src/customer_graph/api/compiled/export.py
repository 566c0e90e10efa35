"""The bulk export (``domain/exports.py``) on the compiled path: PostgreSQL writes each
customer's JSON line, tags, contacts and sites included, with the compiler's formatting.

The records are the domain export's (same fields, same order of keys, of lists and of
customers); the Python side only streams text, a keyset batch (``key > last``) at a time,
so memory stays bounded and no value is converted in Python. CSV, and SQLite, keep the
domain's path.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Enum, Select, Table, Text, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from customer_graph.api.compiled.sql import EMPTY_ARRAY, Expr, iso_datetime, json_object
from customer_graph.db.base import UTCDateTime
from customer_graph.db.models import Contact, Customer, CustomerTag, Site, User
from customer_graph.domain.customer_list import (
    CustomerListFilter,
    CustomerListOrder,
    customer_list_conditions,
)
from customer_graph.domain.exports import (
    BATCH,
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    NESTED,
    SITE_FIELDS,
    after_last,
    export_keys,
)
from customer_graph.domain.keyset import SortKey, key_labels, key_values, order_clauses
from customer_graph.domain.permissions import Actor, Permission, staff_detail_for_viewer


def _value(table: Table, name: str) -> Expr:
    """A column as ``domain.history.json_value`` writes it."""
    column = table.c[name]
    if isinstance(column.type, UTCDateTime):
        return iso_datetime(column)
    if isinstance(column.type, Enum) and column.type.enum_class is not None:
        members: Sequence[enum.Enum] = list(column.type.enum_class)
        assert all(m.name == m.value for m in members), "stored names must be the values"
    return column


def _record(table: Table, fields: Sequence[str], *extra: tuple[str, Expr]) -> Expr:
    return json_object([*((name, _value(table, name)) for name in fields), *extra])


def _related(
    table: Table, fields: Sequence[str], parent: Any, order: Sequence[Any]
) -> ColumnElement[Any]:
    items = func.json_agg(aggregate_order_by(_record(table, fields), *order))
    return select(func.coalesce(items, EMPTY_ARRAY)).where(parent).scalar_subquery()


def batch_statement(
    conditions: Sequence[ColumnElement[bool]],
    keys: Sequence[SortKey],
    nested: Sequence[str] = NESTED,
) -> Select[Any]:
    """One batch of export lines, ordered by ``keys``, each with its key values; the
    caller adds where the batch starts."""
    customers = Customer.__table__
    assert isinstance(customers, Table)
    owner = User.__table__.alias("owner")
    manager = User.__table__.alias("manager")
    tags = func.json_agg(aggregate_order_by(CustomerTag.tag, CustomerTag.tag))
    lists: tuple[tuple[str, Expr], ...] = (
        (
            "tags",
            select(func.coalesce(tags, EMPTY_ARRAY))
            .where(CustomerTag.customer_id == Customer.id)
            .scalar_subquery(),
        ),
        (
            "contacts",
            _related(
                Contact.__table__,  # type: ignore[arg-type]
                CONTACT_FIELDS,
                Contact.customer_id == Customer.id,
                (Contact.is_primary.desc(), Contact.name, Contact.id),
            ),
        ),
        (
            "sites",
            _related(
                Site.__table__,  # type: ignore[arg-type]
                SITE_FIELDS,
                Site.customer_id == Customer.id,
                (Site.name, Site.id),
            ),
        ),
    )
    record = _record(
        customers,
        CUSTOMER_FIELDS,
        ("owner_email", staff_detail_for_viewer(owner.c.id, owner.c.email)),
        ("manager_email", staff_detail_for_viewer(manager.c.id, manager.c.email)),
        *(item for item in lists if item[0] in nested),
    )
    return (
        select(record.cast(Text).label("line"), *key_labels(keys))
        .join(owner, owner.c.id == Customer.owner_id)
        .join(manager, manager.c.id == Customer.manager_id)
        .where(*conditions)
        .order_by(*order_clauses(keys, reverse=False))
        .limit(BATCH)
    )


async def compiled_export_lines(
    connection: AsyncConnection,
    actor: Actor,
    list_filter: CustomerListFilter,
    nested: Sequence[str] = NESTED,
    order: CustomerListOrder | None = None,
) -> AsyncIterator[bytes]:
    """The JSON Lines export, a batch of lines at a time."""
    actor.require(Permission.VIEW_CUSTOMERS)
    keys = export_keys(order)
    statement = batch_statement(customer_list_conditions(list_filter), keys, nested)
    last: tuple[Any, ...] | None = None
    while True:
        batch = statement.where(*after_last(keys, last))
        rows = (await connection.execute(batch, actor.sql_parameters())).mappings().all()
        if not rows:
            return
        yield "".join(f"{row['line']}\n" for row in rows).encode()
        last = key_values(rows[-1], len(keys))
