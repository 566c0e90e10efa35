"""Which customers a list shows: search, filters and the archive rule."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select
from sqlalchemy.sql.elements import ColumnElement

from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus
from customer_graph.db.models import Contact, Customer, CustomerTag


class ArchivedFilter(enum.Enum):
    EXCLUDE = "EXCLUDE"
    INCLUDE = "INCLUDE"
    ONLY = "ONLY"


@dataclass(frozen=True)
class CustomerListFilter:
    search: str | None = None
    kinds: Sequence[CustomerKind] = ()
    segments: Sequence[CustomerSegment] = ()
    statuses: Sequence[CustomerStatus] = ()
    tags: Sequence[str] = ()
    owner_ids: Sequence[int] | None = None
    """None: anyone's customers; empty: nobody's (no user has any of the ids asked for)."""
    manager_ids: Sequence[int] | None = None
    archived: ArchivedFilter | None = None
    """None means the default: archived customers are hidden, unless searched for by name."""
    ids: Sequence[int] = field(default=())


MAX_SEARCH_LENGTH = 200


def search_refusal(text: str | None, max_length: int = MAX_SEARCH_LENGTH) -> str | None:
    """Why the database cannot run this search (too long, a NUL character), or None.

    PostgreSQL refuses text with a NUL character and SQLite a LIKE pattern past 50,000
    bytes: such a search would fail in the database instead of finding nothing.
    """
    if text is None:
        return None
    if len(text) > max_length:
        return f"A search is at most {max_length} characters long; this one has {len(text)}."
    if "\x00" in text:
        return "A search cannot contain a NUL character."
    return None


def effective_archived_filter(list_filter: CustomerListFilter) -> ArchivedFilter:
    """Archived customers stay out of lists, but an explicit search still finds them."""
    if list_filter.archived is not None:
        return list_filter.archived
    if list_filter.search and list_filter.search.strip():
        return ArchivedFilter.INCLUDE
    return ArchivedFilter.EXCLUDE


def search_condition(text: str) -> ColumnElement[bool]:
    """Name, customer number, primary email, or the name or email of any contact."""
    needle = text.strip()
    contact_match = exists(
        select(Contact.id).where(
            Contact.customer_id == Customer.id,
            or_(
                Contact.name.icontains(needle, autoescape=True),
                Contact.email.icontains(needle, autoescape=True),
            ),
        )
    )
    return or_(
        Customer.name.icontains(needle, autoescape=True),
        Customer.customer_number.icontains(needle, autoescape=True),
        Customer.email.icontains(needle, autoescape=True),
        contact_match,
    )


def customer_list_conditions(list_filter: CustomerListFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if list_filter.search and list_filter.search.strip():
        conditions.append(search_condition(list_filter.search))
    if list_filter.kinds:
        conditions.append(Customer.kind.in_(list_filter.kinds))
    if list_filter.segments:
        conditions.append(Customer.segment.in_(list_filter.segments))
    if list_filter.statuses:
        conditions.append(Customer.status.in_(list_filter.statuses))
    if list_filter.tags:
        conditions.append(
            exists(
                select(CustomerTag.tag).where(
                    CustomerTag.customer_id == Customer.id, CustomerTag.tag.in_(list_filter.tags)
                )
            )
        )
    if list_filter.owner_ids is not None:
        conditions.append(Customer.owner_id.in_(list_filter.owner_ids))
    if list_filter.manager_ids is not None:
        conditions.append(Customer.manager_id.in_(list_filter.manager_ids))
    if list_filter.ids:
        conditions.append(Customer.id.in_(list_filter.ids))
    archived = effective_archived_filter(list_filter)
    if archived is ArchivedFilter.EXCLUDE:
        conditions.append(Customer.archived_at.is_(None))
    elif archived is ArchivedFilter.ONLY:
        conditions.append(Customer.archived_at.is_not(None))
    return conditions
