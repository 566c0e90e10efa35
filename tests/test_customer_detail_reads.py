"""What a customer's page reads: every related record reachable page by page and by a
search inside each list, the name of what each history event changed, and the customer's
value (what it ordered and what it paid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.db.models import Contact
from tests import factories as make
from tests.graphql_client import (
    count_statements,
    execute,
    execute_expecting_error,
    global_id,
    run,
)


@dataclass
class World:
    customer: int
    owner: int
    site: int
    contact: int
    asset: int


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    async with engine.begin() as conn:
        owner = await make.user(conn, name="Olive Owner")
        customer = await make.customer(conn, owner, name="Many Things Ltd")
        site = await make.site(conn, customer, name="North Depot", city="Leeds")
        await make.site(conn, customer, name="South Depot", city="Bristol")
        for n in range(1, 301):
            await make.asset(
                conn, name=f"Pump {n:03d}", serial_number=f"SN-{n:05d}", owner_customer_id=customer
            )
        valve = await make.asset(conn, name="Valve 100%", site_id=site, owner_customer_id=customer)
        contact = await make.contact(
            conn, customer, name="Jane Doe", email="jane@many.test", title="Buyer"
        )
        await make.contact(conn, customer, name="John Roe", email="john@other.test")
        await make.lease(conn, customer, asset_id=valve)
        await make.lease(conn, customer, site_id=site)
        wo = await make.work_order(conn, customer, site, title="Replace the seals")
        await make.task(conn, wo, title="Order seals")
        await make.ticket(conn, customer, subject="Pump 007 is loud")
        await make.price_schedule(conn, customer, product_code="SEAL", product_name="Seal kit")
        await make.history_event(
            conn,
            customer,
            entity_type="Site",
            entity_id=site,
            action=enums.HistoryAction.UPDATED,
            actor_name="Dana Whitfield",
            changes=[{"field": "status", "before": "ACTIVE", "after": "INACTIVE"}],
        )
        await make.history_event(
            conn,
            customer,
            entity_type="Contact",
            entity_id=contact,
            action=enums.HistoryAction.UPDATED,
            actor_name="Riley Carter",
            changes=[{"field": "title", "before": None, "after": "Buyer"}],
        )
        await make.history_event(conn, customer, actor_name="Olive Owner")
    return World(customer, owner, site, contact, valve)


OWNED_ASSETS = """
query Owned($id: ID!, $first: Int, $last: Int, $after: String, $before: String,
            $search: String) {
  customer(id: $id) {
    ownedAssets(first: $first, last: $last, after: $after, before: $before, search: $search) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { name } }
    }
  }
}
"""


async def owned(engine: AsyncEngine, world: World, **variables: Any) -> dict[str, Any]:
    data = await execute(
        engine, OWNED_ASSETS, {"id": global_id("Customer", world.customer)} | variables
    )
    found: dict[str, Any] = data["customer"]["ownedAssets"]
    return found


def names(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


async def test_300_assets_are_reached_first_next_previous_and_last(
    engine: AsyncEngine, world: World
) -> None:
    first = await owned(engine, world, first=10)
    assert first["totalCount"] == 301
    assert names(first) == [f"Pump {n:03d}" for n in range(1, 11)]
    assert first["pageInfo"]["hasNextPage"]
    assert not first["pageInfo"]["hasPreviousPage"]

    second = await owned(engine, world, first=10, after=first["pageInfo"]["endCursor"])
    assert names(second) == [f"Pump {n:03d}" for n in range(11, 21)]
    back = await owned(engine, world, last=10, before=second["pageInfo"]["startCursor"])
    assert names(back) == names(first)

    last = await owned(engine, world, last=10)
    assert names(last) == [f"Pump {n:03d}" for n in range(292, 301)] + ["Valve 100%"]
    assert last["pageInfo"]["hasPreviousPage"]
    assert not last["pageInfo"]["hasNextPage"]


async def test_a_search_inside_a_list_counts_and_pages_what_it_finds(
    engine: AsyncEngine, world: World
) -> None:
    found = await owned(engine, world, first=10, search="  pump 1 ")
    assert found["totalCount"] == 100, "Pump 100 to Pump 199, whatever the case and spaces"
    assert names(found)[0] == "Pump 100"
    rest = await owned(
        engine, world, first=100, search="pump 1", after=found["pageInfo"]["endCursor"]
    )
    assert names(rest)[-1] == "Pump 199"
    assert len(rest["edges"]) == 90
    assert not rest["pageInfo"]["hasNextPage"]

    by_serial = await owned(engine, world, first=10, search="sn-00042")
    assert names(by_serial) == ["Pump 042"]
    assert names(await owned(engine, world, first=10, search="100%")) == ["Valve 100%"]
    assert (await owned(engine, world, first=10, search="%"))["totalCount"] == 1, "% is literal"
    assert (await owned(engine, world, first=10, search="   "))["totalCount"] == 301
    assert (await owned(engine, world, first=10, search="nothing like it"))["edges"] == []


EVERY_LIST = """
query Every($id: ID!, $search: String) {
  customer(id: $id) {
    contacts(search: $search) { totalCount edges { node { name } } }
    sites(search: $search) { totalCount edges { node { name } } }
    leases(search: $search) { totalCount edges { node { asset { name } site { name } } } }
    workOrders(search: $search) { totalCount edges { node { title } } }
    tickets(search: $search) { totalCount edges { node { subject } } }
    priceSchedules(search: $search) { totalCount edges { node { productName } } }
    history(search: $search) { totalCount edges { node { actorName entityName } } }
  }
}
"""


async def every_list(engine: AsyncEngine, world: World, search: str) -> dict[str, Any]:
    data = await execute(
        engine, EVERY_LIST, {"id": global_id("Customer", world.customer), "search": search}
    )
    found: dict[str, Any] = data["customer"]
    return found


async def test_each_list_is_searched_by_what_people_know_its_items_by(
    engine: AsyncEngine, world: World
) -> None:
    jane = await every_list(engine, world, "JANE@many")
    assert names(jane["contacts"]) == ["Jane Doe"], "a contact by email"
    assert jane["sites"]["totalCount"] == jane["tickets"]["totalCount"] == 0

    leeds = await every_list(engine, world, "leeds")
    assert names(leeds["sites"]) == ["North Depot"], "a site by its city"

    valve = await every_list(engine, world, "valve")
    assert valve["leases"]["edges"] == [
        {"node": {"asset": {"name": "Valve 100%"}, "site": None}}
    ], "a lease by what it leases"

    seals = await every_list(engine, world, "seal")
    assert [e["node"]["title"] for e in seals["workOrders"]["edges"]] == ["Replace the seals"]
    assert [e["node"]["productName"] for e in seals["priceSchedules"]["edges"]] == ["Seal kit"]

    loud = await every_list(engine, world, "loud")
    assert [e["node"]["subject"] for e in loud["tickets"]["edges"]] == ["Pump 007 is loud"]

    by_actor = await every_list(engine, world, "dana")
    assert [e["node"] for e in by_actor["history"]["edges"]] == [
        {"actorName": "Dana Whitfield", "entityName": "North Depot"}
    ]
    by_record = await every_list(engine, world, "jane doe")
    assert [e["node"]["actorName"] for e in by_record["history"]["edges"]] == ["Riley Carter"]
    by_value = await every_list(engine, world, "inactive")
    assert by_value["history"]["totalCount"] == 1, "an event by a value it changed"


async def test_a_search_costs_the_statements_a_page_costs(
    engine: AsyncEngine, world: World
) -> None:
    variables = {"id": global_id("Customer", world.customer)}
    counts = []
    for search in (None, "pump", "valve"):
        with count_statements(engine) as counter:
            result, _ = await run(
                engine, OWNED_ASSETS, variables | {"first": 50, "search": search}, compiled=False
            )
        assert result.errors is None
        counts.append(counter.count)
    assert counts[0] == counts[1] == counts[2] == 3, "the customer, the page, the count"


async def test_a_search_too_long_is_refused_as_bad_input(engine: AsyncEngine, world: World) -> None:
    message = await execute_expecting_error(
        engine,
        OWNED_ASSETS,
        {"id": global_id("Customer", world.customer), "first": 5, "search": "x" * 201},
    )
    assert "longer than 200 characters" in message


HISTORY = """
query History($id: ID!) {
  customer(id: $id) {
    history { edges { node { entityType entityName actorName } } }
  }
}
"""


async def test_history_names_what_changed_as_it_is_now(engine: AsyncEngine, world: World) -> None:
    variables = {"id": global_id("Customer", world.customer)}
    events = (await execute(engine, HISTORY, variables))["customer"]["history"]["edges"]
    assert [(e["node"]["entityType"], e["node"]["entityName"]) for e in events] == [
        ("Customer", "Many Things Ltd"),
        ("Contact", "Jane Doe"),
        ("Site", "North Depot"),
    ]
    async with engine.begin() as conn:
        await conn.execute(delete(Contact).where(Contact.id == world.contact))
    events = (await execute(engine, HISTORY, variables))["customer"]["history"]["edges"]
    assert events[1]["node"] == {
        "entityType": "Contact",
        "entityName": None,
        "actorName": "Riley Carter",
    }, "a removed record has no name any more"


VALUE = """
query Value($id: ID!) {
  customer(id: $id) {
    customerValue { amount currency }
    totalRevenue { amount currency }
    billingSummary { paid { amount } }
  }
}
"""


async def test_customer_value_counts_what_was_ordered_and_what_was_paid(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        billed = await make.customer(conn, owner, name="Adams & Müller", currency="EUR")
        await make.invoice(conn, billed, "224318.00", enums.InvoiceStatus.PAID, currency="EUR")
        await make.invoice(conn, billed, "1000.00", enums.InvoiceStatus.ISSUED, currency="EUR")
        await make.invoice(conn, billed, "50.00", enums.InvoiceStatus.VOID, currency="EUR")
        both = await make.customer(conn, owner, name="Both Ways")
        await make.order(conn, both, "100.10")
        await make.order(conn, both, "999.99", status=enums.OrderStatus.CANCELLED)
        await make.invoice(conn, both, "300.00", enums.InvoiceStatus.PAID)
        nothing = await make.customer(conn, owner, name="Nothing Yet", currency="GBP")

    only_invoices = await execute(engine, VALUE, {"id": global_id("Customer", billed)})
    assert only_invoices["customer"] == {
        "customerValue": {"amount": "224318.00", "currency": "EUR"},
        "totalRevenue": {"amount": "0.00", "currency": "EUR"},
        "billingSummary": {"paid": {"amount": "224318.00"}},
    }
    ordered_and_paid = await execute(engine, VALUE, {"id": global_id("Customer", both)})
    assert ordered_and_paid["customer"]["customerValue"] == {"amount": "400.10", "currency": "USD"}
    empty = await execute(engine, VALUE, {"id": global_id("Customer", nothing)})
    assert empty["customer"]["customerValue"] == {"amount": "0.00", "currency": "GBP"}
