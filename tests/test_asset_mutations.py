"""Assets: placed at a site or owned by a customer, moved between customers, kept while
leased; on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.models import Asset, HistoryEvent
from tests import customer_records
from tests import factories as make
from tests.customer_records import World, changes_of, count, history, mutate, refusals
from tests.graphql_client import execute, global_id

world = customer_records.world


async def test_moving_an_asset_shows_in_both_customers_history(
    engine: AsyncEngine, world: World
) -> None:
    created = await mutate(
        engine,
        "createAsset",
        {"name": "Crane", "siteId": world.ids["acme_site"], "ownerCustomerId": world.ids["acme"]},
        "asset { id }",
        world.manager,
    )
    asset_id = created["asset"]["id"]
    moved = await mutate(
        engine,
        "updateAsset",
        {"id": asset_id, "siteId": world.ids["other_site"]},
        "asset { site { name customer { name } } ownerCustomer { name } }",
        world.manager,
    )
    assert moved == {
        "asset": {
            "site": {"name": "Other Yard", "customer": {"name": "Other Co"}},
            "ownerCustomer": {"name": "Acme"},
        },
        "userErrors": [],
    }
    sold = await mutate(
        engine,
        "updateAsset",
        {"id": asset_id, "ownerCustomerId": world.ids["other"]},
        "asset { ownerCustomer { name } }",
        world.manager,
    )
    assert sold == {"asset": {"ownerCustomer": {"name": "Other Co"}}, "userErrors": []}

    def asset_events(events: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
        return [(e["action"], changes_of(e)) for e in events if e["entityType"] == "Asset"]

    moved_away = {"siteId": (world.acme_site, world.other_site)}
    sold_away = {"ownerCustomerId": (world.acme, world.other)}
    acme_sees = asset_events(await history(engine, world.ids["acme"]))
    other_sees = asset_events(await history(engine, world.ids["other"]))
    assert [action for action, _ in acme_sees] == ["CREATED", "UPDATED", "UPDATED"]
    assert acme_sees[1:] == [("UPDATED", moved_away), ("UPDATED", sold_away)]
    assert other_sees == [("UPDATED", moved_away), ("UPDATED", sold_away)]
    query = """query($id: ID!) { customer(id: $id) {
        assets(first: 5) { totalCount } ownedAssets(first: 5) { totalCount } } }"""
    other = await execute(engine, query, {"id": world.ids["other"]})
    assert other["customer"] == {"assets": {"totalCount": 1}, "ownedAssets": {"totalCount": 1}}


async def test_moving_an_asset_to_another_owner_needs_rights_on_both(
    engine: AsyncEngine, world: World
) -> None:
    async with engine.begin() as conn:
        asset = await make.asset(conn, site_id=world.acme_site, owner_customer_id=world.acme)
    asset_id = global_id("Asset", asset)
    before = await count(engine, HistoryEvent)
    refused = await mutate(
        engine,
        "updateAsset",
        {"id": asset_id, "ownerCustomerId": world.ids["other"], "name": "Mine"},
        "asset { name }",
        world.rep,
    )
    assert refusals(refused) == {(None, "FORBIDDEN")}
    async with engine.connect() as conn:
        row = (await conn.execute(select(Asset.name, Asset.owner_customer_id))).one()
    assert row.owner_customer_id == world.acme
    assert row.name != "Mine"
    assert await count(engine, HistoryEvent) == before

    to_other_site = await mutate(
        engine,
        "updateAsset",
        {"id": asset_id, "siteId": world.ids["other_site"]},
        "asset { site { name } }",
        world.rep,
    )
    assert to_other_site == {"asset": {"site": {"name": "Other Yard"}}, "userErrors": []}, (
        "the owner decides where its asset stands"
    )


async def test_an_asset_needs_a_site_or_an_owner(engine: AsyncEngine, world: World) -> None:
    nowhere = await mutate(engine, "createAsset", {"name": "Ghost"}, "asset { id }", world.manager)
    assert refusals(nowhere) == {("siteId", "REQUIRED")}
    created = await mutate(
        engine,
        "createAsset",
        {"name": "Drill", "siteId": world.ids["acme_site"]},
        "asset { id ownerCustomer { name } }",
        world.manager,
    )
    assert created["asset"]["ownerCustomer"] is None
    asset_id = created["asset"]["id"]
    unplaced = await mutate(
        engine, "updateAsset", {"id": asset_id, "siteId": None}, "asset { id }", world.manager
    )
    assert refusals(unplaced) == {("siteId", "REQUIRED")}
    owned = await mutate(
        engine,
        "updateAsset",
        {"id": asset_id, "siteId": None, "ownerCustomerId": world.ids["acme"]},
        "asset { site { name } ownerCustomer { name } }",
        world.manager,
    )
    assert owned == {"asset": {"site": None, "ownerCustomer": {"name": "Acme"}}, "userErrors": []}
    assert await count(engine, Asset) == 1


async def test_removing_a_leased_asset_is_refused(engine: AsyncEngine, world: World) -> None:
    async with engine.begin() as conn:
        asset = await make.asset(conn, name="Forklift", owner_customer_id=world.acme)
        await make.lease(conn, world.other, asset_id=asset)
    result = await mutate(
        engine, "removeAsset", {"id": global_id("Asset", asset)}, "removedAssetId", world.rep
    )
    assert refusals(result) == {("id", "REFERENCED")}
    assert result["userErrors"][0]["message"] == (
        'Asset "Forklift" cannot be removed: 1 lease refers to it.'
    )
    assert await count(engine, Asset) == 1
