"""Every request costs a fixed, small number of SQL statements, whatever the page size."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.seed import seed_demo
from tests.graphql_client import TODAY, count_statements, execute

PARTNER_PAGE = """
query Partner($first: Int!) {
  customers(first: $first, filter: { archived: INCLUDE }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name customerNumber status tags
      address { city country } billingAddress { city }
      owner { name } manager { name }
      contacts(first: 10) { totalCount edges { node { name email isPrimary } } }
      sites(first: 10) { totalCount edges { node {
        name status
        assets(first: 10) { totalCount edges { node { name serialNumber ownerCustomer { name } } } }
      } } }
      projects(first: 10) { edges { node { name phase startDate } } }
      totalRevenue { amount currency }
      openOpportunityCount
      projectSummary { upcoming active past }
      assetSummary { onLocation owned }
      siteSummary { total active inactive }
      billingSummary {
        invoiced { amount } paid { amount } outstanding { amount } overdue { amount }
      }
    } }
  }
}
"""

EXPECTED_STATEMENTS = 18
"""customers page and its count (2); owner+manager users (1); tags (1); contacts page and
count (2); sites page and count (2); assets page and count, and their owners (3); projects (1);
six figures (6)."""


@pytest.fixture
async def seeded(engine: AsyncEngine) -> AsyncEngine:
    await seed_demo(engine, customers=60, seed=3, today=TODAY)
    return engine


async def statements_for(engine: AsyncEngine, first: int) -> tuple[int, int]:
    with count_statements(engine) as counter:
        data = await execute(engine, PARTNER_PAGE, {"first": first})
    return counter.count, len(data["customers"]["edges"])


async def test_a_page_of_50_costs_what_a_page_of_5_costs(seeded: AsyncEngine) -> None:
    small, small_rows = await statements_for(seeded, 5)
    large, large_rows = await statements_for(seeded, 50)
    assert (small_rows, large_rows) == (5, 50)
    assert small == large == EXPECTED_STATEMENTS


async def test_the_nested_data_is_really_there(seeded: AsyncEngine) -> None:
    data = await execute(seeded, PARTNER_PAGE, {"first": 50})
    customers = [edge["node"] for edge in data["customers"]["edges"]]
    assert sum(c["contacts"]["totalCount"] for c in customers) >= 50
    assets = [
        asset
        for c in customers
        for site in c["sites"]["edges"]
        for asset in site["node"]["assets"]["edges"]
    ]
    assert assets, "the seed puts assets at sites"
    assert all(c["owner"]["name"] for c in customers)
