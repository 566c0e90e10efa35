"""A customer has one price per product on any day: checked by the rules, held by the database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.migrate import alembic_config
from customer_graph.domain import commercial
from tests import customer_records
from tests import factories as make
from tests.customer_records import World, mutate
from tests.graphql_client import global_id

world = customer_records.world

PRICE = "priceSchedule { productCode validFrom validTo }"
FIRST_HALF = (
    "Acme has a price for P-1 from 2026-01-01 to 2026-06-30 (9.99 USD): a product has one "
    "price a day. End that price before this one starts, or change it instead."
)


def price(valid_from: str, valid_to: str | None = None, code: str = "P-1") -> dict[str, Any]:
    return {
        "productCode": code,
        "productName": "Widget",
        "unitPrice": {"amount": "10.00"},
        "validFrom": valid_from,
        "validTo": valid_to,
    }


async def create(
    engine: AsyncEngine, world: World, given: dict[str, Any], customer: str = "acme"
) -> dict[str, Any]:
    return await mutate(
        engine,
        "createPriceSchedule",
        {"customerId": world.ids[customer]} | given,
        PRICE,
        world.manager,
    )


@pytest.fixture
async def first_half(engine: AsyncEngine, world: World) -> int:
    async with engine.begin() as conn:
        return await make.price_schedule(
            conn,
            world.acme,
            product_code="P-1",
            unit_price="9.99",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 6, 30),
        )


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        ("2026-06-30", None),
        ("2025-01-01", "2026-01-01"),
        ("2026-03-01", "2026-03-31"),
        ("2025-01-01", None),
    ],
)
async def test_a_price_that_shares_a_day_with_another_is_refused_naming_it(
    engine: AsyncEngine, world: World, first_half: int, valid_from: str, valid_to: str | None
) -> None:
    result = await create(engine, world, price(valid_from, valid_to))
    assert result["priceSchedule"] is None
    assert result["userErrors"] == [
        {"field": "validFrom", "code": "DUPLICATE", "message": FIRST_HALF}
    ]


async def test_prices_that_follow_each_other_or_differ_in_product_or_customer_are_kept(
    engine: AsyncEngine, world: World, first_half: int
) -> None:
    for given, customer in (
        (price("2026-07-01"), "acme"),
        (price("2025-01-01", "2025-12-31"), "acme"),
        (price("2026-03-01", code="P-2"), "acme"),
        (price("2026-03-01"), "other"),
    ):
        assert (await create(engine, world, given, customer))["userErrors"] == []


async def test_an_update_that_would_overlap_is_refused(
    engine: AsyncEngine, world: World, first_half: int
) -> None:
    second = await create(engine, world, price("2026-07-01"))
    assert second["userErrors"] == []
    longer = await mutate(
        engine,
        "updatePriceSchedule",
        {"id": global_id("PriceSchedule", first_half), "validTo": "2026-07-01"},
        PRICE,
        world.manager,
    )
    assert longer["userErrors"] == [
        {
            "field": "validFrom",
            "code": "DUPLICATE",
            "message": "Acme has a price for P-1 from 2026-07-01 on, with no end (10.00 USD): "
            "a product has one price a day. End that price before this one starts, or "
            "change it instead.",
        }
    ]
    shorter = await mutate(
        engine,
        "updatePriceSchedule",
        {"id": global_id("PriceSchedule", first_half), "validTo": "2026-05-31"},
        PRICE,
        world.manager,
    )
    assert shorter["userErrors"] == []


async def test_the_database_refuses_an_overlap_the_rules_missed_with_the_same_error(
    engine: AsyncEngine, world: World, first_half: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent writer stores its price between another's check and write: the
    constraint refuses the second, and the writer hears which price it clashes with."""

    async def checked_too_early(draft: Any) -> None:
        return None

    monkeypatch.setattr(commercial, "_check_period_free", checked_too_early)
    result = await create(engine, world, price("2026-03-01", "2026-03-31"))
    assert result["userErrors"] == [
        {"field": "validFrom", "code": "DUPLICATE", "message": FIRST_HALF}
    ]
    moved = await mutate(
        engine,
        "updatePriceSchedule",
        {"id": global_id("PriceSchedule", first_half), "productCode": "P-2"},
        PRICE,
        world.manager,
    )
    assert moved["userErrors"] == []


async def test_the_database_holds_the_rule_whoever_writes(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        acme = await make.customer(conn, owner)
        await make.price_schedule(
            conn, acme, product_code="P", valid_from=date(2026, 1, 1), valid_to=date(2026, 1, 31)
        )
        await make.price_schedule(conn, acme, product_code="P", valid_from=date(2026, 2, 1))
    for valid_from, valid_to in ((date(2025, 12, 1), date(2026, 1, 1)), (date(2027, 1, 1), None)):
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await make.price_schedule(
                    conn, acme, product_code="P", valid_from=valid_from, valid_to=valid_to
                )
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE price_schedules SET valid_to = '2026-02-01' WHERE valid_to IS NOT NULL"
                )
            )


def test_the_migration_names_overlaps_stored_before_it(database_url: str) -> None:
    sync_url = database_url.replace("+aiosqlite", "+pysqlite")
    config = alembic_config(sync_url)
    command.downgrade(config, "0004")
    engine = create_engine(sync_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (email, name, role, is_active, created_at) "
                "VALUES ('o@example.com', 'O', 'ADMIN', true, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO customers (customer_number, name, kind, segment, status, "
                "payment_terms, currency, created_on, owner_id, manager_id, version, "
                "created_at, updated_at) SELECT 'C-000007', 'Acme', 'COMPANY', 'SMB', 'ACTIVE', "
                "'NET_30', 'USD', '2026-01-01', id, id, 1, '2026-01-01', '2026-01-01' FROM users"
            )
        )
        for valid_from, valid_to in (("2026-01-01", "2026-03-31"), ("2026-03-01", None)):
            conn.execute(
                text(
                    "INSERT INTO price_schedules (customer_id, product_code, product_name, "
                    "unit_price, currency, valid_from, valid_to, created_at) "
                    "SELECT id, 'P-1', 'Widget', 100, 'USD', :f, :t, '2026-01-01' FROM customers"
                ),
                {"f": valid_from, "t": valid_to},
            )
    engine.dispose()
    with pytest.raises(RuntimeError, match="C-000007 P-1: 2026-01-01 to 2026-03-31 and 2026-03-01"):
        command.upgrade(config, "head")
