"""The customer list: search, filters, the archive rule, ordering and keyset paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from tests import factories as make
from tests.graphql_client import execute, execute_expecting_error, global_id

LIST = """
query List($first: Int, $after: String, $last: Int, $before: String,
           $filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, last: $last, before: $before,
            filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { name isArchived } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@dataclass
class Users:
    alice: int
    bob: int


@pytest.fixture
async def users(engine: AsyncEngine) -> Users:
    async with engine.begin() as conn:
        alice = await make.user(conn, name="Alice")
        bob = await make.user(conn, name="Bob")
        archived = datetime(2026, 1, 1, tzinfo=UTC)
        aurora = await make.customer(
            conn,
            alice,
            name="Aurora Labs",
            customer_number="C-003",
            segment=enums.CustomerSegment.STARTUP,
            created_on=date(2024, 5, 1),
            tags=["VIP"],
        )
        await make.contact(conn, aurora, name="Grace Hopper", email="grace@aurora.test")
        await make.order(conn, aurora, "50.00")
        borealis = await make.customer(
            conn,
            bob,
            manager_id=alice,
            name="Borealis 100% Inc",
            customer_number="C-001",
            segment=enums.CustomerSegment.ENTERPRISE,
            created_on=date(2025, 2, 1),
            email="hello@borealis.test",
            tags=["Partner", "VIP"],
        )
        await make.order(conn, borealis, "900.00")
        await make.customer(
            conn,
            bob,
            name="Cirrus Solo",
            kind=enums.CustomerKind.INDIVIDUAL,
            customer_number="C-002",
            status=enums.CustomerStatus.INACTIVE,
            created_on=date(2023, 1, 1),
        )
        await make.customer(
            conn, alice, name="Dusk Archived", customer_number="C-004", archived_at=archived
        )
    return Users(alice, bob)


async def listed(engine: AsyncEngine, **variables: Any) -> list[str]:
    data = await execute(engine, LIST, variables)
    return [edge["node"]["name"] for edge in data["customers"]["edges"]]


async def test_default_list_hides_archived_and_orders_by_name(
    engine: AsyncEngine, users: Users
) -> None:
    data = await execute(engine, LIST, {})
    assert [e["node"]["name"] for e in data["customers"]["edges"]] == [
        "Aurora Labs",
        "Borealis 100% Inc",
        "Cirrus Solo",
    ]
    assert data["customers"]["totalCount"] == 3


async def test_archived_filter_and_search_finds_archived(engine: AsyncEngine, users: Users) -> None:
    assert await listed(engine, filter={"archived": "ONLY"}) == ["Dusk Archived"]
    assert len(await listed(engine, filter={"archived": "INCLUDE"})) == 4
    assert await listed(engine, filter={"search": "dusk"}) == ["Dusk Archived"]
    assert await listed(engine, filter={"search": "dusk", "archived": "EXCLUDE"}) == []


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("aurora", ["Aurora Labs"]),
        ("GRACE", ["Aurora Labs"]),
        ("grace@aurora", ["Aurora Labs"]),
        ("hello@borealis", ["Borealis 100% Inc"]),
        ("C-002", ["Cirrus Solo"]),
        ("100%", ["Borealis 100% Inc"]),
        ("%", ["Borealis 100% Inc"]),
        ("  labs ", ["Aurora Labs"]),
        ("nothing like it", []),
    ],
)
async def test_search_by_name_number_email_or_contact(
    engine: AsyncEngine, users: Users, search: str, expected: list[str]
) -> None:
    assert await listed(engine, filter={"search": search}) == expected


async def test_filters_combine(engine: AsyncEngine, users: Users) -> None:
    alice = global_id("User", users.alice)
    bob = global_id("User", users.bob)
    assert await listed(engine, filter={"kinds": ["INDIVIDUAL"]}) == ["Cirrus Solo"]
    assert await listed(engine, filter={"segments": ["STARTUP", "ENTERPRISE"]}) == [
        "Aurora Labs",
        "Borealis 100% Inc",
    ]
    assert await listed(engine, filter={"statuses": ["INACTIVE"]}) == ["Cirrus Solo"]
    assert await listed(engine, filter={"tags": ["VIP"]}) == ["Aurora Labs", "Borealis 100% Inc"]
    assert await listed(engine, filter={"tags": ["Partner"]}) == ["Borealis 100% Inc"]
    assert await listed(engine, filter={"ownerIds": [bob]}) == ["Borealis 100% Inc", "Cirrus Solo"]
    assert await listed(engine, filter={"managerIds": [alice]}) == [
        "Aurora Labs",
        "Borealis 100% Inc",
    ]
    assert await listed(engine, filter={"ownerIds": [bob], "statuses": ["ACTIVE"]}) == [
        "Borealis 100% Inc"
    ]


async def test_filter_rejects_ids_of_other_types(engine: AsyncEngine, users: Users) -> None:
    message = await execute_expecting_error(
        engine, LIST, {"filter": {"ownerIds": [global_id("Customer", 1)]}}
    )
    assert "ownerIds" in message


@pytest.mark.parametrize(
    ("field", "direction", "expected"),
    [
        ("NAME", "DESC", ["Cirrus Solo", "Borealis 100% Inc", "Aurora Labs"]),
        ("CUSTOMER_NUMBER", "ASC", ["Borealis 100% Inc", "Cirrus Solo", "Aurora Labs"]),
        ("CREATED_ON", "ASC", ["Cirrus Solo", "Aurora Labs", "Borealis 100% Inc"]),
        ("TOTAL_REVENUE", "DESC", ["Borealis 100% Inc", "Aurora Labs", "Cirrus Solo"]),
    ],
)
async def test_order_by(
    engine: AsyncEngine, users: Users, field: str, direction: str, expected: list[str]
) -> None:
    assert await listed(engine, orderBy={"field": field, "direction": direction}) == expected


@pytest.mark.parametrize("field", ["NAME", "CUSTOMER_NUMBER", "CREATED_ON", "TOTAL_REVENUE"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_paging_forwards_and_backwards_visits_each_once(
    engine: AsyncEngine, users: Users, field: str, direction: str
) -> None:
    order = {"field": field, "direction": direction}
    filter_ = {"archived": "INCLUDE"}
    everything = await listed(engine, first=10, orderBy=order, filter=filter_)
    assert len(everything) == 4

    forwards: list[str] = []
    after = None
    while True:
        data = await execute(
            engine, LIST, {"first": 3, "after": after, "orderBy": order, "filter": filter_}
        )
        page = data["customers"]
        forwards += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert forwards == everything

    backwards: list[str] = []
    before = None
    while True:
        data = await execute(
            engine, LIST, {"last": 3, "before": before, "orderBy": order, "filter": filter_}
        )
        page = data["customers"]
        backwards = [edge["node"]["name"] for edge in page["edges"]] + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backwards == everything


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ({"first": 101}, "between 0 and 100"),
        ({"last": -1}, "between 0 and 100"),
        ({"first": 1, "last": 1}, "either `first` or `last`"),
        ({"after": "garbage"}, "not valid"),
    ],
)
async def test_bad_page_arguments_are_clear_errors(
    engine: AsyncEngine, users: Users, variables: dict[str, Any], fragment: str
) -> None:
    assert fragment in await execute_expecting_error(engine, LIST, variables)


async def test_cursor_of_another_ordering_is_rejected(engine: AsyncEngine, users: Users) -> None:
    data = await execute(engine, LIST, {"first": 1})
    cursor = data["customers"]["pageInfo"]["endCursor"]
    message = await execute_expecting_error(
        engine, LIST, {"after": cursor, "orderBy": {"field": "CREATED_ON"}}
    )
    assert "another ordering" in message


async def test_first_zero_counts_without_rows(engine: AsyncEngine, users: Users) -> None:
    data = await execute(engine, LIST, {"first": 0})
    assert data["customers"]["edges"] == []
    assert data["customers"]["totalCount"] == 3
    assert data["customers"]["pageInfo"]["hasNextPage"] is True
