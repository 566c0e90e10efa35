"""``customerTags``: every tag in use with its count, searched as the user types, most used
first, counted over the customers the list's filter selects, in a fixed number of statements."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from tests import factories as make
from tests.graphql_client import count_statements, execute, execute_expecting_error

TAGS = """
query Tags($first: Int, $after: String, $last: Int, $before: String, $search: String,
           $filter: CustomerFilter) {
  customerTags(first: $first, after: $after, last: $last, before: $before, search: $search,
               filter: $filter) {
    totalCount
    edges { cursor node { name customerCount } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CARRIED = {
    "VIP": 5,
    "Partner": 3,
    "Public": 3,
    "Reseller": 1,
    "Key account": 1,
    "Referral": 2,
    "Churn risk": 4,
    "Newsletter": 1,
    "50% off": 1,
}
"""How many active, unarchived customers carry each tag."""


@pytest.fixture
async def tagged(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        for n in range(6):
            tags = [tag for tag, count in CARRIED.items() if n < count]
            await make.customer(conn, owner, name=f"Tagged {n}", tags=tags)
        await make.customer(
            conn, owner, name="Archived", tags=["Churn risk", "Gone"], archived_at=make.NOW
        )
        await make.customer(
            conn, owner, name="Asleep", tags=["Churn risk"], status=enums.CustomerStatus.INACTIVE
        )


def counts(data: Any) -> list[tuple[str, int]]:
    return [
        (edge["node"]["name"], edge["node"]["customerCount"])
        for edge in data["customerTags"]["edges"]
    ]


async def test_every_tag_most_used_first_then_by_name(engine: AsyncEngine, tagged: None) -> None:
    data = await execute(engine, TAGS, {"first": 20})
    assert counts(data) == [
        ("Churn risk", 5),
        ("VIP", 5),
        ("Partner", 3),
        ("Public", 3),
        ("Referral", 2),
        ("50% off", 1),
        ("Key account", 1),
        ("Newsletter", 1),
        ("Reseller", 1),
    ]
    assert data["customerTags"]["totalCount"] == 9, "the archived customer's 'Gone' is left out"


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("chu", [("Churn risk", 5)]),
        ("  RISK ", [("Churn risk", 5)]),
        ("%", [("50% off", 1)]),
        ("e", [("Partner", 3), ("Referral", 2), ("Key account", 1), ("Newsletter", 1),
               ("Reseller", 1)]),
        ("nothing", []),
    ],
)  # fmt: skip
async def test_search_keeps_the_tags_that_contain_it(
    engine: AsyncEngine, tagged: None, search: str, expected: list[tuple[str, int]]
) -> None:
    assert counts(await execute(engine, TAGS, {"search": search})) == expected


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"archived": "INCLUDE"}, [("Churn risk", 6), ("Gone", 1)]),
        ({"archived": "ONLY"}, [("Churn risk", 1), ("Gone", 1)]),
        ({"statuses": ["ACTIVE"]}, [("Churn risk", 4)]),
        ({"search": "asleep"}, [("Churn risk", 1)]),
    ],
)
async def test_counts_are_over_the_customers_the_filter_selects(
    engine: AsyncEngine,
    tagged: None,
    filter_: dict[str, Any],
    expected: list[tuple[str, int]],
) -> None:
    data = await execute(engine, TAGS, {"filter": filter_})
    assert [item for item in counts(data) if item[0] in ("Churn risk", "Gone")] == expected


async def test_pages_forwards_and_backwards_visit_each_tag_once(
    engine: AsyncEngine, tagged: None
) -> None:
    everything = counts(await execute(engine, TAGS, {"first": 100}))
    forwards: list[tuple[str, int]] = []
    after = None
    while True:
        data = await execute(engine, TAGS, {"first": 2, "after": after})
        forwards += counts(data)
        if not data["customerTags"]["pageInfo"]["hasNextPage"]:
            break
        after = data["customerTags"]["pageInfo"]["endCursor"]
    assert forwards == everything
    backwards: list[tuple[str, int]] = []
    before = None
    while True:
        data = await execute(engine, TAGS, {"last": 4, "before": before})
        backwards = counts(data) + backwards
        if not data["customerTags"]["pageInfo"]["hasPreviousPage"]:
            break
        before = data["customerTags"]["pageInfo"]["startCursor"]
    assert backwards == everything


async def test_a_page_and_its_total_take_two_statements_however_many_tags(
    engine: AsyncEngine, tagged: None
) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn)
        for n in range(30):
            await make.customer(conn, owner, name=f"Many {n}", tags=[f"Tag {n}", f"Other {n}"])
    with count_statements(engine) as counter:
        data = await execute(engine, TAGS, {"first": 50})
    assert len(data["customerTags"]["edges"]) == 50
    assert counter.count == 4, "a page and its total, on each of the two read paths"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 101}, "`first` must be between 0 and 100; it was 101."),
        ({"search": "x" * 201}, "`search` is longer than 200 characters."),
        ({"after": "bm90IGEgY3Vyc29y"}, "The cursor 'bm90IGEgY3Vyc29y' is not valid."),
    ],
)
async def test_bad_arguments_are_refused(
    engine: AsyncEngine, tagged: None, variables: dict[str, Any], message: str
) -> None:
    assert await execute_expecting_error(engine, TAGS, variables) == message
