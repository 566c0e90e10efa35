"""The customers and records the mutation tests of a customer's records start from,
and how those tests change and read them."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.domain.permissions import Actor
from tests import factories as make
from tests.graphql_client import execute, global_id

ERRORS = "userErrors { field code message }"
HISTORY = """query($id: ID!) { customer(id: $id) { history(first: 100) { edges { node {
  entityType entityId action changes { field before after } } } } } }"""


@dataclass
class World:
    """An active customer of the rep's with a site, a work order and a project; another
    rep's customer with a site; an inactive customer of the rep's."""

    manager: Actor
    rep: Actor
    support: Actor
    acme: int
    acme_site: int
    acme_work_order: int
    acme_project: int
    other: int
    other_site: int
    dormant: int
    ids: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = {
            "acme": global_id("Customer", self.acme),
            "acme_site": global_id("Site", self.acme_site),
            "acme_work_order": global_id("WorkOrder", self.acme_work_order),
            "acme_project": global_id("Project", self.acme_project),
            "other": global_id("Customer", self.other),
            "other_site": global_id("Site", self.other_site),
            "dormant": global_id("Customer", self.dormant),
        }


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    async with engine.begin() as conn:
        manager = await make.user(conn, name="Mia Manager", role=enums.Role.SALES_MANAGER)
        rep = await make.user(conn, name="Ray Rep", role=enums.Role.SALES_REP)
        support = await make.user(conn, name="Sue Support", role=enums.Role.SUPPORT)
        other_rep = await make.user(conn, name="Otto Other", role=enums.Role.SALES_REP)
        acme = await make.customer(
            conn,
            rep,
            name="Acme",
            email="hello@acme.test",
            phone="+33 1 23 45 67",
            street1="1 Rue Neuve",
            city="Lyon",
            postal_code="69001",
            country="FR",
            billing_name="Bea Billing",
        )
        acme_site = await make.site(conn, acme, name="Acme HQ")
        acme_work_order = await make.work_order(conn, acme, acme_site, title="Inspection")
        acme_project = await make.project(conn, acme, date(2025, 1, 1), name="Rollout")
        other = await make.customer(conn, other_rep, name="Other Co", email="hi@other.test")
        other_site = await make.site(conn, other, name="Other Yard")
        dormant = await make.customer(
            conn, rep, name="Dormant", status=enums.CustomerStatus.INACTIVE
        )
    return World(
        Actor.for_user(manager, "Mia Manager", enums.Role.SALES_MANAGER),
        Actor.for_user(rep, "Ray Rep", enums.Role.SALES_REP),
        Actor.for_user(support, "Sue Support", enums.Role.SUPPORT),
        acme,
        acme_site,
        acme_work_order,
        acme_project,
        other,
        other_site,
        dormant,
    )


async def mutate(
    engine: AsyncEngine, name: str, given: dict[str, Any], selection: str, actor: Actor
) -> dict[str, Any]:
    input_type = name[0].upper() + name[1:] + "Input"
    query = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
    )
    data = await execute(engine, query, {"input": given}, actor=actor)
    result: dict[str, Any] = data[name]
    return result


TOKENS = {
    "reader": Actor.for_token(1, "bi tool", frozenset({"read"})),
    "writer": Actor.for_token(2, "partner", frozenset({"read", "write"})),
    "deleter": Actor.for_token(3, "sync", frozenset({"read", "write", "delete"})),
    "blind writer": Actor.for_token(4, "web form", frozenset({"write"})),
    "blind deleter": Actor.for_token(5, "cleanup", frozenset({"write", "delete"})),
}
"""Integrations by their scopes; the blind ones cannot read."""


def refusals(result: dict[str, Any]) -> set[tuple[str | None, str]]:
    return {(error["field"], error["code"]) for error in result["userErrors"]}


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def history(engine: AsyncEngine, customer_id: str) -> list[dict[str, Any]]:
    """The customer's history as its page shows it, oldest first."""
    data = await execute(engine, HISTORY, {"id": customer_id})
    return [edge["node"] for edge in reversed(data["customer"]["history"]["edges"])]


def changes_of(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["before"], c["after"]) for c in event["changes"]}


def database_id(node_id: str) -> int:
    return int(base64.b64decode(node_id).decode().split(":")[1])


def resolve(value: Any, world: World) -> Any:
    """In a case, ``"$acme_site"`` stands for that record's global id, ``"#acme_site"`` for
    its database id (as history records it)."""
    if isinstance(value, str) and value.startswith("$"):
        return world.ids[value[1:]]
    if isinstance(value, str) and value.startswith("#"):
        return getattr(world, value[1:])
    if isinstance(value, dict):
        return {key: resolve(item, world) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(resolve(item, world) for item in value)
    return value
