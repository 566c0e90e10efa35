"""Contacts of a customer: one of them primary, on both databases."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests import customer_records
from tests.customer_records import World, changes_of, history, mutate
from tests.graphql_client import execute

world = customer_records.world


async def test_one_primary_contact_per_customer(engine: AsyncEngine, world: World) -> None:
    async def add(name: str, primary: bool) -> str:
        given = {"customerId": world.ids["acme"], "name": name, "isPrimary": primary}
        result = await mutate(engine, "createContact", given, "contact { id }", world.rep)
        assert result["userErrors"] == []
        contact_id: str = result["contact"]["id"]
        return contact_id

    async def primaries() -> list[str]:
        query = """query($id: ID!) { customer(id: $id) {
            contacts(first: 10) { edges { node { name isPrimary } } } } }"""
        data = await execute(engine, query, {"id": world.ids["acme"]})
        return [
            e["node"]["name"]
            for e in data["customer"]["contacts"]["edges"]
            if e["node"]["isPrimary"]
        ]

    first = await add("First", primary=True)
    await add("Second", primary=True)
    assert await primaries() == ["Second"]
    await add("Third", primary=False)
    assert await primaries() == ["Second"]
    promoted = await mutate(
        engine,
        "updateContact",
        {"id": first, "isPrimary": True},
        "contact { isPrimary }",
        world.rep,
    )
    assert promoted == {"contact": {"isPrimary": True}, "userErrors": []}
    assert await primaries() == ["First"]
    demotions = [
        changes_of(event)
        for event in await history(engine, world.ids["acme"])
        if event["entityType"] == "Contact" and event["action"] == "UPDATED"
    ]
    assert demotions == [{"isPrimary": (True, False)}] * 2 + [{"isPrimary": (False, True)}]
