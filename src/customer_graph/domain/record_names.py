"""The name of the record a history event is about, for people reading the history.

Each kind of record is named by its ``Kind.title`` column (a contact by its name, a contract
by its number, a task by its title); a lease, which has no name, by what it leases. The name
is the record's as it is now: a removed record has none (its removal lists its fields).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.sql.elements import ColumnElement

from customer_graph.db.models import Asset, Customer, Lease, Site
from customer_graph.domain.assets import ASSET
from customer_graph.domain.commercial import (
    CONTRACT,
    INVOICE,
    OPPORTUNITY,
    ORDER,
    PRICE_SCHEDULE,
    SUPPORT_TICKET,
)
from customer_graph.domain.contacts import CONTACT
from customer_graph.domain.leases import LEASE
from customer_graph.domain.project_changes import PROJECT
from customer_graph.domain.record_writes import Kind
from customer_graph.domain.sites import SITE
from customer_graph.domain.work import TASK, WORK_ORDER

NAMED_KINDS: tuple[Kind, ...] = (
    CONTACT,
    SITE,
    PROJECT,
    ASSET,
    CONTRACT,
    WORK_ORDER,
    TASK,
    OPPORTUNITY,
    ORDER,
    INVOICE,
    SUPPORT_TICKET,
    PRICE_SCHEDULE,
)


def _lease_name(lease_id: Any) -> ColumnElement[Any]:
    """What a lease leases: its asset's name, else its site's."""
    asset = select(Asset.name).where(Asset.id == Lease.asset_id).scalar_subquery()
    site = select(Site.name).where(Site.id == Lease.site_id).scalar_subquery()
    return select(func.coalesce(asset, site)).where(Lease.id == lease_id).scalar_subquery()


def record_name(entity_type: Any, entity_id: Any) -> ColumnElement[str | None]:
    """The current name of the record of ``entity_type`` (``Site``, ...) with ``entity_id``;
    null when it no longer exists."""
    branches: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [
        (
            entity_type == "Customer",
            select(Customer.name).where(Customer.id == entity_id).scalar_subquery(),
        ),
        (entity_type == LEASE.entity_type, _lease_name(entity_id)),
    ]
    for kind in NAMED_KINDS:
        assert kind.title is not None
        title = getattr(kind.model, kind.title)
        branches.append(
            (
                entity_type == kind.entity_type,
                select(title).where(kind.model.id == entity_id).scalar_subquery(),
            )
        )
    return case(*branches, else_=None)
