"""Sites of a customer: prefilled from it, kept inactive with it, kept while referred to;
on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.db.models import HistoryEvent, Site
from tests import customer_records
from tests import factories as make
from tests.customer_records import World, count, mutate, refusals
from tests.graphql_client import execute, global_id

world = customer_records.world


SITE_CONTACT = "site { contactName email phone address { street1 city postalCode country } }"


async def test_a_new_site_is_prefilled_from_its_customer(engine: AsyncEngine, world: World) -> None:
    acme = world.ids["acme"]
    plain = await mutate(
        engine, "createSite", {"customerId": acme, "name": "A"}, SITE_CONTACT, world.rep
    )
    assert plain["site"] == {
        "contactName": "Bea Billing",
        "email": "hello@acme.test",
        "phone": "+33 1 23 45 67",
        "address": {
            "street1": "1 Rue Neuve",
            "city": "Lyon",
            "postalCode": "69001",
            "country": "FR",
        },
    }, "without a primary contact, the billing contact"

    await mutate(
        engine,
        "createContact",
        {"customerId": acme, "name": "Pia Primary", "isPrimary": True},
        "contact { id }",
        world.rep,
    )
    given = {
        "customerId": acme,
        "name": "B",
        "phone": None,
        "address": {"city": "Nantes"},
    }
    mixed = await mutate(engine, "createSite", given, SITE_CONTACT, world.rep)
    assert mixed["site"] == {
        "contactName": "Pia Primary",
        "email": "hello@acme.test",
        "phone": None,
        "address": {"street1": None, "city": "Nantes", "postalCode": None, "country": None},
    }, "what is given wins, and an address part given replaces the whole address"


SITE_VALUES = "contactName email phone address { street1 street2 city region postalCode country }"
NEW_SITE = f"query($id: ID!) {{ customer(id: $id) {{ newSite {{ {SITE_VALUES} }} }} }}"
STORED_SITE = f"query($id: ID!) {{ node(id: $id) {{ ... on Site {{ {SITE_VALUES} }} }} }}"


async def test_a_new_site_is_stored_as_its_customer_says_it_starts(
    engine: AsyncEngine, world: World
) -> None:
    """``Customer.newSite`` is what ``createSite`` fills in: the primary contact, even when
    another contact comes first by name; the billing contact while there is none."""
    acme = world.ids["acme"]

    async def new_site() -> dict[str, Any]:
        data = await execute(engine, NEW_SITE, {"id": acme}, actor=world.rep)
        values: dict[str, Any] = data["customer"]["newSite"]
        return values

    async def created_site(name: str) -> dict[str, Any]:
        given = {"customerId": acme, "name": name}
        created = await mutate(engine, "createSite", given, "site { id }", world.rep)
        data = await execute(engine, STORED_SITE, {"id": created["site"]["id"]})
        stored: dict[str, Any] = data["node"]
        return stored

    async with engine.begin() as conn:
        await make.contact(conn, world.acme, name="Aaron Early")
    billing = await new_site()
    assert billing == {
        "contactName": "Bea Billing",
        "email": "hello@acme.test",
        "phone": "+33 1 23 45 67",
        "address": {
            "street1": "1 Rue Neuve",
            "street2": None,
            "city": "Lyon",
            "region": None,
            "postalCode": "69001",
            "country": "FR",
        },
    }
    assert await created_site("Depot") == billing

    async with engine.begin() as conn:
        await make.contact(conn, world.acme, name="Zoe Primary", is_primary=True)
    primary = await new_site()
    assert primary == billing | {"contactName": "Zoe Primary"}
    assert await created_site("Annex") == primary


async def test_an_inactive_customers_sites_stay_inactive(engine: AsyncEngine, world: World) -> None:
    async with engine.begin() as conn:
        site = await make.site(conn, world.dormant, status=enums.SiteStatus.INACTIVE)
    site_id = global_id("Site", site)
    refused = await mutate(
        engine, "updateSite", {"id": site_id, "status": "ACTIVE"}, "site { status }", world.rep
    )
    assert refusals(refused) == {("status", "NOT_ACTIVE")}
    renamed = await mutate(
        engine,
        "updateSite",
        {"id": site_id, "name": "Still here"},
        "site { name status }",
        world.rep,
    )
    assert renamed == {"site": {"name": "Still here", "status": "INACTIVE"}, "userErrors": []}


async def test_removing_a_site_something_refers_to_is_refused(
    engine: AsyncEngine, world: World
) -> None:
    async with engine.begin() as conn:
        await make.asset(conn, site_id=world.acme_site)
        await make.asset(conn, site_id=world.acme_site)
        await make.lease(conn, world.other, site_id=world.acme_site)
    before = await count(engine, Site), await count(engine, HistoryEvent)
    result = await mutate(
        engine, "removeSite", {"id": world.ids["acme_site"]}, "removedSiteId", world.rep
    )
    assert result["removedSiteId"] is None
    assert refusals(result) == {("id", "REFERENCED")}
    assert result["userErrors"][0]["message"] == (
        'Site "Acme HQ" cannot be removed: 2 assets, 1 work order and 1 lease refer to it.'
    )
    assert (await count(engine, Site), await count(engine, HistoryEvent)) == before
