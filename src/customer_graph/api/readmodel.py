"""The read model: every GraphQL field of every type, mapped to SQL in one declarative place.

The resolver path (loaders) reads it, and so will the compiled read path. Keys are the
Python names of the Strawberry fields; a test checks that every field of every node type
is mapped here exactly once.

- ``columns``: scalar fields, and private keys the resolvers need (``owner_id``).
- ``composites``: object fields stored as columns of the same row (``address``);
  nested objects use ``__`` in their paths (``invoiced__amount``).
- ``references``: to-one links to another node, through a key column of this row.
- ``relations``: to-many links, served as cursor connections; a relation's ``search``
  columns are what its ``search`` argument looks in (``domain/search.py``).
- ``lists``: plain lists of scalars kept in a child table (``tags``).
- ``figures``: read-only aggregates, each a correlated scalar subquery per field.
- ``embedded``: lists of objects stored as a JSON document in a column (history changes).
- ``for_viewer``: answers that depend on who asks, with the viewer's part bound at
  execution (``domain/permissions``).
- ``computed``: answers the domain works out in Python from what it reads of a row (a
  new site's starting values); only the resolvers give them, so the compiled path leaves
  an operation that selects one to them.
- ``search``: the columns a top-level list's ``search`` argument looks in (``searching``),
  as a relation's ``search`` does for a connection.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    FromClause,
    Label,
    Select,
    SQLColumnExpression,
    Text,
    bindparam,
    cast,
    select,
)
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.util import find_tables
from sqlalchemy.sql.visitors import iterate

from customer_graph.api.naming import sql_graphql_path
from customer_graph.db.enums import ProjectPhase, SiteStatus
from customer_graph.db.fields import FieldSpec
from customer_graph.db.models import (
    Asset,
    Contact,
    Contract,
    Customer,
    CustomerTag,
    HistoryEvent,
    Invoice,
    Lease,
    Opportunity,
    Order,
    PriceSchedule,
    Project,
    Site,
    SupportTicket,
    Task,
    User,
    WorkOrder,
)
from customer_graph.domain import figures
from customer_graph.domain.customer_fields import FIELDS
from customer_graph.domain.history_fields import sql_field_label
from customer_graph.domain.keyset import SortKey
from customer_graph.domain.permissions import (
    VIEWER_DELETES,
    customer_editable_by_viewer,
    staff_detail_for_viewer,
)
from customer_graph.domain.projects import project_phase
from customer_graph.domain.record_names import record_name
from customer_graph.domain.search import contains_text, search_text
from customer_graph.domain.sites import NEW_SITE_READS, PRIMARY_CONTACT_NAME, new_site_values
from customer_graph.domain.sites import SITE as SITE_KIND

Expr = SQLColumnExpression[Any]

SCALAR = "value"
"""The one key of a figure that is a plain number rather than an object."""


def reads_own_row(expression: ColumnElement[Any], table: FromClause) -> bool:
    """Whether ``expression`` reads ``table``'s row alone (no other table, no parameter
    of a request): a write of the row can return it (RETURNING)."""
    tables = set(find_tables(expression, check_columns=True, include_selects=True))
    return tables - {None} <= {table} and not any(
        isinstance(element, BindParameter) and element.required for element in iterate(expression)
    )


@dataclass(frozen=True)
class Reference:
    target: str
    key: str
    """The column (of this entity's ``columns``) that holds the target's id; may be null."""


@dataclass(frozen=True)
class Relation:
    target: str
    partition: Expr
    """Expression over ``source`` that yields the parent's id for each target row."""
    source: FromClause | None = None
    """Where target rows are read from when reaching the parent needs a join."""
    search: tuple[Expr, ...] = ()
    """Text expressions over target rows that the connection's ``search`` argument looks in:
    a row is listed when any of them contains the text."""


@dataclass(frozen=True)
class ScalarList:
    value: Expr
    partition: Expr
    order: Expr


@dataclass(frozen=True)
class EmbeddedList:
    """Objects kept as a JSON array in ``column``; each part an expression of one element
    (PostgreSQL ``jsonb``), which may use the columns of the row that holds the array (a
    history change's words depend on the kind of record changed)."""

    column: Expr
    parts: Mapping[str, Callable[[Expr], Expr]]


@dataclass(frozen=True)
class Computed:
    """A value object worked out in Python by ``compute`` from ``reads`` (expressions over
    the entity's rows, read for every parent of a request in one statement); its parts
    labelled as a figure's are (``address__city``)."""

    reads: Mapping[str, Expr]
    compute: Callable[[Mapping[Any, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Entity:
    name: str
    table: FromClause
    key: Expr
    columns: Mapping[str, Expr]
    order: tuple[SortKey, ...]
    composites: Mapping[str, Mapping[str, Expr]] = field(default_factory=dict)
    references: Mapping[str, Reference] = field(default_factory=dict)
    relations: Mapping[str, Relation] = field(default_factory=dict)
    lists: Mapping[str, ScalarList] = field(default_factory=dict)
    figures: Mapping[str, Mapping[str, Expr]] = field(default_factory=dict)
    embedded: Mapping[str, EmbeddedList] = field(default_factory=dict)
    for_viewer: Mapping[str, Expr] = field(default_factory=dict)
    computed: Mapping[str, Computed] = field(default_factory=dict)
    search: tuple[Expr, ...] = ()

    def searching(self, text: str | None) -> tuple[ColumnElement[bool], ...]:
        """The condition of a top-level list's ``search``: one of the ``search`` columns
        contains the text, in any case (``domain/search.py``); none when it is blank."""
        needle = search_text(text)
        if needle is None or not self.search:
            return ()
        return (contains_text(self.search, needle),)

    def selected_columns(self) -> list[Label[Any]]:
        """Every column an object of this entity is built from, labelled by its path."""
        selected: list[Label[Any]] = [expr.label(name) for name, expr in self.columns.items()]
        for composite, parts in self.composites.items():
            selected.extend(expr.label(f"{composite}__{part}") for part, expr in parts.items())
        return selected

    @functools.cached_property
    def own_row_columns(self) -> tuple[Label[Any], ...] | None:
        """``selected_columns`` when every one reads this entity's own row alone (no other
        table, no parameter): then a write can return them with the row it writes; else
        None."""
        columns = tuple(self.selected_columns())
        if not all(reads_own_row(column, self.table) for column in columns):
            return None
        return columns

    @functools.cached_property
    def by_keys(self) -> Select[Any]:
        """Objects of this entity by key (the list ``keys``, bound when it runs). One
        statement object, so SQLAlchemy works out its cache key once, not per request."""
        return select(*self.selected_columns()).where(
            self.key.in_(bindparam("keys", expanding=True))
        )


def _address(table: Any, prefix: str = "") -> dict[str, Expr]:
    return {
        part: getattr(table, f"{prefix}{part}")
        for part in ("street1", "street2", "city", "region", "postal_code", "country")
    }


def _composites(fields: Sequence[tuple[Column[Any], FieldSpec]]) -> dict[str, dict[str, Expr]]:
    """Fields under a path (``billing_address.city``), by the object they belong to."""
    found: dict[str, dict[str, Expr]] = {}
    for column, spec in fields:
        if spec.path is not None:
            composite, part = spec.path.split(".")
            found.setdefault(composite, {})[part] = column
    return found


def _money(amount: Expr, currency: Expr) -> dict[str, Expr]:
    return {"amount": amount, "currency": currency}


def _ascending(*exprs: Expr) -> tuple[SortKey, ...]:
    return tuple(SortKey(expr) for expr in exprs)


SITE_SEARCH: tuple[Expr, ...] = (Site.name, Site.city, Site.country)
ASSET_SEARCH: tuple[Expr, ...] = (Asset.name, Asset.serial_number)
WORK_ORDER_SEARCH: tuple[Expr, ...] = (WorkOrder.number, WorkOrder.title)
INVOICE_SEARCH: tuple[Expr, ...] = (Invoice.number,)
LEASE_SEARCH: tuple[Expr, ...] = (
    select(Asset.name).where(Asset.id == Lease.asset_id).scalar_subquery(),
    select(Site.name).where(Site.id == Lease.site_id).scalar_subquery(),
)
"""A lease is found by the name of what it leases."""
HISTORY_ENTITY_NAME = record_name(HistoryEvent.entity_type, HistoryEvent.entity_id)
HISTORY_SEARCH: tuple[Expr, ...] = (
    HistoryEvent.actor_name,
    HistoryEvent.entity_type,
    HISTORY_ENTITY_NAME,
    cast(HistoryEvent.changes, Text),
)
"""An event is found by who made it, the kind and name of what changed, and the fields and
values it changed."""


def _new_site(customer: Mapping[Any, Any]) -> dict[str, Any]:
    """``Customer.newSite``: the domain's values under the paths of a site's fields
    (``address__city``)."""
    values = new_site_values(customer, customer[PRIMARY_CONTACT_NAME])
    return {
        SITE_KIND.paths.get(name, name).replace(".", "__"): value for name, value in values.items()
    }


USER = Entity(
    name="User",
    table=User.__table__,
    key=User.id,
    columns={
        "id": User.id,
        "name": User.name,
        "stored_email": User.email,
        "stored_role": User.role,
    },
    order=_ascending(User.name, User.id),
    search=(User.name,),
    for_viewer={
        "email": staff_detail_for_viewer(User.id, User.email),
        "role": staff_detail_for_viewer(User.id, User.role),
    },
)

CUSTOMER = Entity(
    name="Customer",
    table=Customer.__table__,
    key=Customer.id,
    columns={
        "id": Customer.id,
        **{column.name: column for column, spec in FIELDS if spec.path is None},
        "is_archived": Customer.archived_at.is_not(None),
        "version": Customer.version,
        "created_at": Customer.created_at,
        "updated_at": Customer.updated_at,
    },
    order=_ascending(Customer.name, Customer.id),
    composites=_composites(FIELDS),
    references={
        "owner": Reference("User", "owner_id"),
        "manager": Reference("User", "manager_id"),
    },
    relations={
        "contacts": Relation(
            "Contact",
            Contact.customer_id,
            search=(Contact.name, Contact.title, Contact.email, Contact.phone),
        ),
        "sites": Relation("Site", Site.customer_id, search=SITE_SEARCH),
        "projects": Relation("Project", Project.customer_id, search=(Project.name,)),
        "assets": Relation(
            "Asset",
            Site.customer_id,
            source=Asset.__table__.join(Site, Asset.site_id == Site.id),
            search=ASSET_SEARCH,
        ),
        "owned_assets": Relation("Asset", Asset.owner_customer_id, search=ASSET_SEARCH),
        "contracts": Relation("Contract", Contract.customer_id, search=(Contract.number,)),
        "work_orders": Relation("WorkOrder", WorkOrder.customer_id, search=WORK_ORDER_SEARCH),
        "leases": Relation("Lease", Lease.customer_id, search=LEASE_SEARCH),
        "opportunities": Relation(
            "Opportunity", Opportunity.customer_id, search=(Opportunity.name,)
        ),
        "orders": Relation("Order", Order.customer_id, search=(Order.number,)),
        "invoices": Relation("Invoice", Invoice.customer_id, search=INVOICE_SEARCH),
        "tickets": Relation(
            "SupportTicket", SupportTicket.customer_id, search=(SupportTicket.subject,)
        ),
        "price_schedules": Relation(
            "PriceSchedule",
            PriceSchedule.customer_id,
            search=(PriceSchedule.product_code, PriceSchedule.product_name),
        ),
        "history": Relation("HistoryEvent", HistoryEvent.customer_id, search=HISTORY_SEARCH),
    },
    lists={"tags": ScalarList(CustomerTag.tag, CustomerTag.customer_id, CustomerTag.tag)},
    figures={
        "total_revenue": _money(figures.lifetime_revenue(), Customer.currency),
        "customer_value": _money(figures.customer_value(), Customer.currency),
        "open_opportunity_count": {SCALAR: figures.open_opportunity_count()},
        "project_summary": {
            phase.name.lower(): figures.projects_in_phase(phase) for phase in ProjectPhase
        },
        "asset_summary": {
            "on_location": figures.assets_on_location(),
            "owned": figures.assets_owned(),
        },
        "site_summary": {
            "total": figures.sites_with_status(),
            "active": figures.sites_with_status(SiteStatus.ACTIVE),
            "inactive": figures.sites_with_status(SiteStatus.INACTIVE),
        },
        "deactivation_impact": figures.deactivation_would_touch(),
        "billing_summary": {
            "invoiced__amount": figures.invoiced_amount(),
            "invoiced__currency": Customer.currency,
            "paid__amount": figures.paid_amount(),
            "paid__currency": Customer.currency,
            "outstanding__amount": figures.outstanding_amount(),
            "outstanding__currency": Customer.currency,
            "overdue__amount": figures.overdue_amount(),
            "overdue__currency": Customer.currency,
        },
    },
    for_viewer={
        "viewer_can_edit": customer_editable_by_viewer(Customer.owner_id, Customer.manager_id),
        "viewer_can_delete": VIEWER_DELETES,
    },
    computed={"new_site": Computed(NEW_SITE_READS, _new_site)},
)

CONTACT = Entity(
    name="Contact",
    table=Contact.__table__,
    key=Contact.id,
    columns={
        "id": Contact.id,
        "name": Contact.name,
        "title": Contact.title,
        "email": Contact.email,
        "phone": Contact.phone,
        "is_primary": Contact.is_primary,
        "created_at": Contact.created_at,
        "customer_id": Contact.customer_id,
    },
    order=(SortKey(Contact.is_primary, descending=True), *_ascending(Contact.name, Contact.id)),
    references={"customer": Reference("Customer", "customer_id")},
)

SITE = Entity(
    name="Site",
    table=Site.__table__,
    key=Site.id,
    columns={
        "id": Site.id,
        "name": Site.name,
        "status": Site.status,
        "contact_name": Site.contact_name,
        "email": Site.email,
        "phone": Site.phone,
        "created_at": Site.created_at,
        "customer_id": Site.customer_id,
    },
    order=_ascending(Site.name, Site.id),
    composites={"address": _address(Site)},
    references={"customer": Reference("Customer", "customer_id")},
    relations={
        "assets": Relation("Asset", Asset.site_id, search=ASSET_SEARCH),
        "work_orders": Relation("WorkOrder", WorkOrder.site_id, search=WORK_ORDER_SEARCH),
    },
)

ASSET = Entity(
    name="Asset",
    table=Asset.__table__,
    key=Asset.id,
    columns={
        "id": Asset.id,
        "name": Asset.name,
        "serial_number": Asset.serial_number,
        "status": Asset.status,
        "created_at": Asset.created_at,
        "site_id": Asset.site_id,
        "owner_customer_id": Asset.owner_customer_id,
    },
    order=_ascending(Asset.name, Asset.id),
    references={
        "site": Reference("Site", "site_id"),
        "owner_customer": Reference("Customer", "owner_customer_id"),
    },
)

PROJECT = Entity(
    name="Project",
    table=Project.__table__,
    key=Project.id,
    columns={
        "id": Project.id,
        "name": Project.name,
        "status": Project.status,
        "phase": project_phase(),
        "start_date": Project.start_date,
        "end_date": Project.end_date,
        "created_at": Project.created_at,
        "customer_id": Project.customer_id,
    },
    order=(SortKey(Project.start_date, descending=True), SortKey(Project.id, descending=True)),
    references={"customer": Reference("Customer", "customer_id")},
    relations={"invoices": Relation("Invoice", Invoice.project_id, search=INVOICE_SEARCH)},
)

CONTRACT = Entity(
    name="Contract",
    table=Contract.__table__,
    key=Contract.id,
    columns={
        "id": Contract.id,
        "number": Contract.number,
        "start_date": Contract.start_date,
        "end_date": Contract.end_date,
        "status": Contract.status,
        "created_at": Contract.created_at,
        "customer_id": Contract.customer_id,
    },
    order=(SortKey(Contract.start_date, descending=True), SortKey(Contract.id, descending=True)),
    composites={"value": _money(Contract.value, Contract.currency)},
    references={"customer": Reference("Customer", "customer_id")},
)

WORK_ORDER = Entity(
    name="WorkOrder",
    table=WorkOrder.__table__,
    key=WorkOrder.id,
    columns={
        "id": WorkOrder.id,
        "number": WorkOrder.number,
        "title": WorkOrder.title,
        "description": WorkOrder.description,
        "status": WorkOrder.status,
        "scheduled_on": WorkOrder.scheduled_on,
        "created_at": WorkOrder.created_at,
        "customer_id": WorkOrder.customer_id,
        "site_id": WorkOrder.site_id,
    },
    order=(SortKey(WorkOrder.id, descending=True),),
    references={
        "customer": Reference("Customer", "customer_id"),
        "site": Reference("Site", "site_id"),
    },
    relations={"tasks": Relation("Task", Task.work_order_id, search=(Task.title,))},
)

TASK = Entity(
    name="Task",
    table=Task.__table__,
    key=Task.id,
    columns={
        "id": Task.id,
        "title": Task.title,
        "status": Task.status,
        "due_on": Task.due_on,
        "created_at": Task.created_at,
        "work_order_id": Task.work_order_id,
    },
    order=_ascending(Task.id),
    references={"work_order": Reference("WorkOrder", "work_order_id")},
)

LEASE = Entity(
    name="Lease",
    table=Lease.__table__,
    key=Lease.id,
    columns={
        "id": Lease.id,
        "start_date": Lease.start_date,
        "end_date": Lease.end_date,
        "rate_period": Lease.rate_period,
        "created_at": Lease.created_at,
        "customer_id": Lease.customer_id,
        "asset_id": Lease.asset_id,
        "site_id": Lease.site_id,
    },
    order=(SortKey(Lease.start_date, descending=True), SortKey(Lease.id, descending=True)),
    composites={"rate": _money(Lease.rate, Lease.currency)},
    references={
        "customer": Reference("Customer", "customer_id"),
        "asset": Reference("Asset", "asset_id"),
        "site": Reference("Site", "site_id"),
    },
)

OPPORTUNITY = Entity(
    name="Opportunity",
    table=Opportunity.__table__,
    key=Opportunity.id,
    columns={
        "id": Opportunity.id,
        "name": Opportunity.name,
        "stage": Opportunity.stage,
        "is_open": figures.opportunity_is_open(),
        "expected_close_on": Opportunity.expected_close_on,
        "created_at": Opportunity.created_at,
        "customer_id": Opportunity.customer_id,
    },
    order=(SortKey(Opportunity.id, descending=True),),
    composites={"amount": _money(Opportunity.amount, Opportunity.currency)},
    references={"customer": Reference("Customer", "customer_id")},
)

ORDER = Entity(
    name="Order",
    table=Order.__table__,
    key=Order.id,
    columns={
        "id": Order.id,
        "number": Order.number,
        "ordered_on": Order.ordered_on,
        "status": Order.status,
        "created_at": Order.created_at,
        "customer_id": Order.customer_id,
    },
    order=(SortKey(Order.ordered_on, descending=True), SortKey(Order.id, descending=True)),
    composites={"total": _money(Order.total, Order.currency)},
    references={"customer": Reference("Customer", "customer_id")},
)

INVOICE = Entity(
    name="Invoice",
    table=Invoice.__table__,
    key=Invoice.id,
    columns={
        "id": Invoice.id,
        "number": Invoice.number,
        "status": Invoice.status,
        "issued_on": Invoice.issued_on,
        "due_on": Invoice.due_on,
        "paid_on": Invoice.paid_on,
        "created_at": Invoice.created_at,
        "customer_id": Invoice.customer_id,
        "project_id": Invoice.project_id,
    },
    order=(SortKey(Invoice.id, descending=True),),
    composites={"amount": _money(Invoice.amount, Invoice.currency)},
    references={
        "customer": Reference("Customer", "customer_id"),
        "project": Reference("Project", "project_id"),
    },
)

SUPPORT_TICKET = Entity(
    name="SupportTicket",
    table=SupportTicket.__table__,
    key=SupportTicket.id,
    columns={
        "id": SupportTicket.id,
        "subject": SupportTicket.subject,
        "status": SupportTicket.status,
        "priority": SupportTicket.priority,
        "opened_at": SupportTicket.opened_at,
        "closed_at": SupportTicket.closed_at,
        "customer_id": SupportTicket.customer_id,
    },
    order=(SortKey(SupportTicket.opened_at, descending=True), SortKey(SupportTicket.id, True)),
    references={"customer": Reference("Customer", "customer_id")},
)

PRICE_SCHEDULE = Entity(
    name="PriceSchedule",
    table=PriceSchedule.__table__,
    key=PriceSchedule.id,
    columns={
        "id": PriceSchedule.id,
        "product_code": PriceSchedule.product_code,
        "product_name": PriceSchedule.product_name,
        "valid_from": PriceSchedule.valid_from,
        "valid_to": PriceSchedule.valid_to,
        "created_at": PriceSchedule.created_at,
        "customer_id": PriceSchedule.customer_id,
    },
    order=_ascending(PriceSchedule.product_code, PriceSchedule.valid_from, PriceSchedule.id),
    composites={"unit_price": _money(PriceSchedule.unit_price, PriceSchedule.currency)},
    references={"customer": Reference("Customer", "customer_id")},
)

HISTORY_EVENT = Entity(
    name="HistoryEvent",
    table=HistoryEvent.__table__,
    key=HistoryEvent.id,
    columns={
        "id": HistoryEvent.id,
        "occurred_at": HistoryEvent.occurred_at,
        "entity_type": HistoryEvent.entity_type,
        "entity_id": HistoryEvent.entity_id,
        "entity_name": HISTORY_ENTITY_NAME,
        "action": HistoryEvent.action,
        "actor_name": HistoryEvent.actor_name,
        "changes_data": HistoryEvent.changes,
        "actor_user_id": HistoryEvent.actor_user_id,
        "customer_id": HistoryEvent.customer_id,
    },
    order=(SortKey(HistoryEvent.id, descending=True),),
    references={
        "actor": Reference("User", "actor_user_id"),
        "customer": Reference("Customer", "customer_id"),
    },
    embedded={
        "changes": EmbeddedList(
            HistoryEvent.changes,
            {
                "field": lambda change: sql_graphql_path(change["field"].astext),
                "label": lambda change: sql_field_label(
                    HistoryEvent.entity_type, change["field"].astext
                ),
                "before": lambda change: change["before"],
                "after": lambda change: change["after"],
                "before_name": lambda change: change["before_name"].astext,
                "after_name": lambda change: change["after_name"].astext,
            },
        )
    },
)

ENTITIES: Mapping[str, Entity] = {
    entity.name: entity
    for entity in (
        USER,
        CUSTOMER,
        CONTACT,
        SITE,
        ASSET,
        PROJECT,
        CONTRACT,
        WORK_ORDER,
        TASK,
        LEASE,
        OPPORTUNITY,
        ORDER,
        INVOICE,
        SUPPORT_TICKET,
        PRICE_SCHEDULE,
        HISTORY_EVENT,
    )
}
