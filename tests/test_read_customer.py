"""One customer seen whole: nested connections, references and every read-only figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from tests import factories as make
from tests.graphql_client import TODAY, execute, execute_expecting_error, global_id


@dataclass
class World:
    acme: int
    globex: int
    owner: int
    manager: int
    acme_site: int


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    async with engine.begin() as conn:
        owner = await make.user(conn, name="Olive Owner", role=enums.Role.SALES_MANAGER)
        manager = await make.user(conn, name="Manny Manager")
        acme = await make.customer(
            conn,
            owner,
            manager_id=manager,
            name="Acme Corp",
            customer_number="C-1",
            city="Springfield",
            billing_name="Bill Payer",
            billing_city="Shelbyville",
            tags=["VIP", "Partner"],
        )
        globex = await make.customer(conn, owner, name="Globex", customer_number="C-2")
        await make.contact(conn, acme, name="Zed Primary", is_primary=True, email="zed@acme.test")
        await make.contact(conn, acme, name="Amy Second")
        await make.contact(conn, acme, name="Bob Third")
        acme_site = await make.site(conn, acme, name="Acme HQ")
        await make.site(conn, acme, name="Acme Old Depot", status=enums.SiteStatus.INACTIVE)
        globex_site = await make.site(conn, globex, name="Globex Plant")
        # At Acme's site: one Acme owns, one Globex owns. Acme also owns one at Globex.
        await make.asset(conn, name="Press", site_id=acme_site, owner_customer_id=acme)
        await make.asset(conn, name="Lathe", site_id=acme_site, owner_customer_id=globex)
        await make.asset(conn, name="Crane", site_id=globex_site, owner_customer_id=acme)
        await make.asset(conn, name="Spare", owner_customer_id=acme)
        await make.project(conn, acme, date(2026, 3, 1), name="Future")  # upcoming
        await make.project(conn, acme, date(2025, 12, 1), end_date=date(2026, 6, 1))  # active
        await make.project(conn, acme, date(2025, 1, 1), end_date=date(2025, 6, 1))  # past: ended
        done = await make.project(
            conn, acme, date(2026, 1, 1), status=enums.ProjectStatus.COMPLETED
        )  # past: closed
        await make.order(conn, acme, "100.10")
        await make.order(conn, acme, "200.25")
        await make.order(conn, acme, "999.99", status=enums.OrderStatus.CANCELLED)
        await make.order(conn, globex, "5000.00")
        await make.opportunity(conn, acme, enums.OpportunityStage.PROSPECTING)
        await make.opportunity(conn, acme, enums.OpportunityStage.NEGOTIATION)
        await make.opportunity(conn, acme, enums.OpportunityStage.WON)
        await make.opportunity(conn, acme, enums.OpportunityStage.LOST)
        await make.invoice(conn, acme, "300.00", enums.InvoiceStatus.PAID, project_id=done)
        await make.invoice(
            conn, acme, "150.50", enums.InvoiceStatus.ISSUED, due_on=date(2026, 1, 1)
        )
        await make.invoice(conn, acme, "80.00", enums.InvoiceStatus.ISSUED, due_on=date(2026, 2, 1))
        await make.invoice(conn, acme, "999.00", enums.InvoiceStatus.DRAFT)
        await make.invoice(conn, acme, "777.00", enums.InvoiceStatus.VOID)
        wo = await make.work_order(conn, acme, acme_site, title="Fix the press")
        await make.task(conn, wo, title="Order parts")
        await make.task(conn, wo, title="Replace belt")
        await make.contract(conn, acme, number="K-ACME")
        await make.lease(conn, acme, site_id=acme_site)
        await make.ticket(conn, acme, subject="Press is loud")
        await make.price_schedule(conn, acme, product_code="WIDGET")
        await make.history_event(conn, acme, actor_user_id=owner, actor_name="Olive Owner")
        await make.history_event(
            conn,
            acme,
            action=enums.HistoryAction.UPDATED,
            actor_name="Manny Manager",
            changes=[{"field": "name", "before": "Acme", "after": "Acme Corp"}],
        )
    return World(acme, globex, owner, manager, acme_site)


CUSTOMER_WHOLE = """
query Whole($id: ID!) {
  customer(id: $id) {
    id name customerNumber status isArchived tags
    address { city } billingContact { name } billingAddress { city }
    owner { name role } manager { name }
    contacts { totalCount edges { node { name isPrimary customer { name } } } }
    sites { totalCount edges { node { name status assets { totalCount } } } }
    assets { edges { node { name ownerCustomer { name } site { name } } } }
    ownedAssets { edges { node { name site { name } } } }
    projects { totalCount edges { node { name phase } } }
    workOrders { edges { node { title site { name } tasks { edges { node { title } } } } } }
    contracts { edges { node { number value { amount currency } } } }
    leases { edges { node { rate { amount } site { name } asset { name } } } }
    opportunities { totalCount edges { node { stage isOpen } } }
    orders { totalCount }
    invoices { totalCount edges { node { amount { amount } project { name } } } }
    tickets { edges { node { subject priority } } }
    priceSchedules { edges { node { productCode unitPrice { amount currency } } } }
    history { edges { node { action actorName actor { name } changes { field before after } } } }
    totalRevenue { amount currency }
    openOpportunityCount
    projectSummary { upcoming active past }
    assetSummary { onLocation owned }
    siteSummary { total active inactive }
    billingSummary {
      invoiced { amount } paid { amount } outstanding { amount } overdue { amount currency }
    }
  }
}
"""


def names(connection: dict[str, list[dict[str, dict[str, str]]]], key: str = "name") -> list[str]:
    return [edge["node"][key] for edge in connection["edges"]]


async def test_a_customer_with_everything_that_hangs_off_it(
    engine: AsyncEngine, world: World
) -> None:
    data = await execute(engine, CUSTOMER_WHOLE, {"id": global_id("Customer", world.acme)})
    acme = data["customer"]

    assert acme["name"] == "Acme Corp"
    assert acme["tags"] == ["Partner", "VIP"]
    assert acme["address"]["city"] == "Springfield"
    assert acme["billingContact"]["name"] == "Bill Payer"
    assert acme["billingAddress"]["city"] == "Shelbyville"
    assert acme["owner"] == {"name": "Olive Owner", "role": "SALES_MANAGER"}
    assert acme["manager"] == {"name": "Manny Manager"}

    assert names(acme["contacts"]) == ["Zed Primary", "Amy Second", "Bob Third"]
    assert acme["contacts"]["edges"][0]["node"]["customer"]["name"] == "Acme Corp"
    assert {
        e["node"]["name"]: e["node"]["assets"]["totalCount"] for e in acme["sites"]["edges"]
    } == {
        "Acme HQ": 2,
        "Acme Old Depot": 0,
    }
    on_location = {
        e["node"]["name"]: e["node"]["ownerCustomer"]["name"] for e in acme["assets"]["edges"]
    }
    assert on_location == {"Lathe": "Globex", "Press": "Acme Corp"}
    owned = {
        e["node"]["name"]: (e["node"]["site"] or {}).get("name")
        for e in acme["ownedAssets"]["edges"]
    }
    assert owned == {"Crane": "Globex Plant", "Press": "Acme HQ", "Spare": None}

    work_order = acme["workOrders"]["edges"][0]["node"]
    assert work_order["site"]["name"] == "Acme HQ"
    assert names(work_order["tasks"], "title") == ["Order parts", "Replace belt"]
    assert acme["contracts"]["edges"][0]["node"]["value"] == {
        "amount": "1000.00",
        "currency": "USD",
    }
    lease = acme["leases"]["edges"][0]["node"]
    assert lease == {"rate": {"amount": "99.50"}, "site": {"name": "Acme HQ"}, "asset": None}
    assert acme["tickets"]["edges"][0]["node"] == {"subject": "Press is loud", "priority": "NORMAL"}
    assert acme["priceSchedules"]["edges"][0]["node"]["unitPrice"]["amount"] == "12.34"

    history = [edge["node"] for edge in acme["history"]["edges"]]
    assert [event["action"] for event in history] == ["UPDATED", "CREATED"], "newest first"
    assert history[0]["changes"] == [{"field": "name", "before": "Acme", "after": "Acme Corp"}]
    assert history[1]["actor"] == {"name": "Olive Owner"}

    assert acme["totalRevenue"] == {"amount": "300.35", "currency": "USD"}
    assert acme["openOpportunityCount"] == 2
    assert [e["node"]["isOpen"] for e in acme["opportunities"]["edges"]].count(True) == 2
    assert acme["projectSummary"] == {"upcoming": 1, "active": 1, "past": 2}
    assert acme["assetSummary"] == {"onLocation": 2, "owned": 3}
    assert acme["siteSummary"] == {"total": 2, "active": 1, "inactive": 1}
    assert acme["billingSummary"] == {
        "invoiced": {"amount": "530.50"},
        "paid": {"amount": "300.00"},
        "outstanding": {"amount": "230.50"},
        "overdue": {"amount": "150.50", "currency": "USD"},
    }
    assert acme["invoices"]["totalCount"] == 5
    assert {e["node"]["project"]["name"] for e in acme["invoices"]["edges"] if e["node"]["project"]}


async def test_project_phase_follows_the_date(engine: AsyncEngine, world: World) -> None:
    query = "query($id: ID!) { customer(id: $id) { projectSummary { upcoming active past } } }"
    later = await execute(
        engine, query, {"id": global_id("Customer", world.acme)}, today=date(2026, 7, 1)
    )
    assert later["customer"]["projectSummary"] == {"upcoming": 0, "active": 1, "past": 3}
    assert date(2026, 7, 1) > TODAY


async def test_customer_without_related_rows_has_zero_figures(
    engine: AsyncEngine, world: World
) -> None:
    async with engine.begin() as conn:
        lonely = await make.customer(conn, world.owner, name="Lonely", currency="EUR")
    query = """query($id: ID!) { customer(id: $id) {
        contacts { totalCount edges { cursor } pageInfo { hasNextPage endCursor } }
        totalRevenue { amount currency } openOpportunityCount
        billingSummary { outstanding { amount currency } } tags } }"""
    data = await execute(engine, query, {"id": global_id("Customer", lonely)})
    assert data["customer"] == {
        "contacts": {
            "totalCount": 0,
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        },
        "totalRevenue": {"amount": "0.00", "currency": "EUR"},
        "openOpportunityCount": 0,
        "billingSummary": {"outstanding": {"amount": "0.00", "currency": "EUR"}},
        "tags": [],
    }


async def test_node_nodes_and_customer_by_number(engine: AsyncEngine, world: World) -> None:
    acme_id = global_id("Customer", world.acme)
    site_id = global_id("Site", world.acme_site)
    data = await execute(
        engine,
        """query($a: ID!, $ids: [ID!]!) {
            node(id: $a) { __typename id ... on Customer { name } }
            nodes(ids: $ids) { __typename ... on Site { name customer { customerNumber } } }
            customerByNumber(customerNumber: "C-2") { name }
            missing: customerByNumber(customerNumber: "nope") { name }
        }""",
        {"a": acme_id, "ids": [site_id, acme_id]},
    )
    assert data["node"] == {"__typename": "Customer", "id": acme_id, "name": "Acme Corp"}
    assert data["nodes"][0] == {
        "__typename": "Site",
        "name": "Acme HQ",
        "customer": {"customerNumber": "C-1"},
    }
    assert data["nodes"][1]["__typename"] == "Customer"
    assert data["customerByNumber"] == {"name": "Globex"}
    assert data["missing"] is None


async def test_unknown_or_wrong_ids(engine: AsyncEngine, world: World) -> None:
    query = "query($id: ID!) { customer(id: $id) { name } }"
    gone = await execute(engine, query, {"id": global_id("Customer", 987654)})
    assert gone["customer"] is None
    message = await execute_expecting_error(
        engine, query, {"id": global_id("Site", world.acme_site)}
    )
    assert "not the id of a customer" in message
    message = await execute_expecting_error(engine, query, {"id": "not-base64!"})
    assert message


async def test_nested_connection_pages_by_cursor(engine: AsyncEngine, world: World) -> None:
    query = """query($id: ID!, $after: String, $before: String, $first: Int, $last: Int) {
      customer(id: $id) { contacts(first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { cursor node { name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
    acme = global_id("Customer", world.acme)
    first = (await execute(engine, query, {"id": acme, "first": 2}))["customer"]["contacts"]
    assert names(first) == ["Zed Primary", "Amy Second"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    after = first["pageInfo"]["endCursor"]
    rest = (await execute(engine, query, {"id": acme, "first": 2, "after": after}))["customer"][
        "contacts"
    ]
    assert names(rest) == ["Bob Third"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["hasPreviousPage"] is True
    back = (
        await execute(
            engine, query, {"id": acme, "last": 2, "before": rest["pageInfo"]["startCursor"]}
        )
    )["customer"]["contacts"]
    assert names(back) == ["Zed Primary", "Amy Second"]
    last = (await execute(engine, query, {"id": acme, "last": 1}))["customer"]["contacts"]
    assert names(last) == ["Bob Third"]
    assert last["pageInfo"]["hasPreviousPage"] is True
