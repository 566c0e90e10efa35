"""Which customers a list shows, and in what order: search, filters, the archive rule and
the sort keys.

The API's ``customers(filter:, orderBy:)`` and the bulk export read lists by these, so both
select and order the same customers for the same filter.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus
from customer_graph.db.models import Contact, Customer, CustomerTag
from customer_graph.domain import figures
from customer_graph.domain.keyset import SortKey


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
    ids: Sequence[int] | None = None
    """Only these customers (None: any; empty: none). Customers named by id are found
    archived or not, as by a search, unless ``archived`` says otherwise."""


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
    if list_filter.ids is not None or (list_filter.search and list_filter.search.strip()):
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
    if list_filter.ids is not None:
        conditions.append(Customer.id.in_(list_filter.ids))
    archived = effective_archived_filter(list_filter)
    if archived is ArchivedFilter.EXCLUDE:
        conditions.append(Customer.archived_at.is_(None))
    elif archived is ArchivedFilter.ONLY:
        conditions.append(Customer.archived_at.is_not(None))
    return conditions


class CustomerOrderField(enum.Enum):
    NAME = "NAME"
    CUSTOMER_NUMBER = "CUSTOMER_NUMBER"
    CREATED_ON = "CREATED_ON"
    TOTAL_REVENUE = "TOTAL_REVENUE"


class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


SORT_EXPRESSIONS: dict[CustomerOrderField, Any] = {
    CustomerOrderField.NAME: Customer.name,
    CustomerOrderField.CUSTOMER_NUMBER: Customer.customer_number,
    CustomerOrderField.CREATED_ON: Customer.created_on,
    CustomerOrderField.TOTAL_REVENUE: figures.lifetime_revenue(),
}


@dataclass(frozen=True)
class CustomerListOrder:
    """How a list is ordered; ties are broken by creation order."""

    field: CustomerOrderField = CustomerOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC

    def keys(self) -> tuple[SortKey, SortKey]:
        descending = self.direction is OrderDirection.DESC
        return SortKey(SORT_EXPRESSIONS[self.field], descending), SortKey(Customer.id, descending)

    @property
    def name(self) -> str:
        """The ordering's name, which a cursor carries so it is not used with another."""
        return f"customers.{self.field.value}.{self.direction.value}"


CREATION_ORDER = (SortKey(Customer.id),)
"""The export's order when none is asked for."""


def tag_counts(list_filter: CustomerListFilter, search: str | None = None) -> Subquery:
    """Each tag the customers of ``list_filter`` carry, as ``name``, with how many of them
    carry it, as ``customer_count``; ``search`` keeps the tags that contain it, in any case.

    A tag carried only by customers the filter leaves out (archived ones, by default) is
    not among them: the counts are what filtering the same list by the tag would show.
    """
    conditions = customer_list_conditions(list_filter)
    if search and search.strip():
        conditions.append(CustomerTag.tag.icontains(search.strip(), autoescape=True))
    return (
        select(CustomerTag.tag.label("name"), func.count().label("customer_count"))
        .join(Customer, Customer.id == CustomerTag.customer_id)
        .where(*conditions)
        .group_by(CustomerTag.tag)
        .subquery("tag_counts")
    )
