"""Every request costs a fixed, small number of SQL statements, whatever the page size."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.enums import Role
from customer_graph.db.seed import seed_demo
from customer_graph.domain.permissions import Actor
from tests.graphql_client import TODAY, count_statements, execute, global_id, run

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


async def statements_for(engine: AsyncEngine, first: int, *, compiled: bool) -> tuple[int, int]:
    with count_statements(engine) as counter:
        result, context = await run(engine, PARTNER_PAGE, {"first": first}, compiled=compiled)
    assert result.errors is None
    assert result.data is not None
    assert context.answered_compiled == (compiled and engine.dialect.name == "postgresql")
    return counter.count, len(result.data["customers"]["edges"])


async def test_a_page_of_50_costs_what_a_page_of_5_costs(seeded: AsyncEngine) -> None:
    small, small_rows = await statements_for(seeded, 5, compiled=False)
    large, large_rows = await statements_for(seeded, 50, compiled=False)
    assert (small_rows, large_rows) == (5, 50)
    assert small == large == EXPECTED_STATEMENTS


@pytest.mark.backends("postgresql")
async def test_a_compiled_read_is_one_statement_whatever_its_root_fields(
    seeded: AsyncEngine,
) -> None:
    for first in (0, 1, 5, 50):
        statements, rows = await statements_for(seeded, first, compiled=True)
        assert (statements, rows) == (1, first)
    two_roots = """
      query($id: ID!) {
        customers(first: 20) { edges { node { name sites { edges { node { name } } } } } }
        customer(id: $id) { name contacts(first: 3) { totalCount } }
        __typename
      }
    """
    variables = {"id": global_id("Customer", 1)}
    with count_statements(seeded) as counter:
        result, context = await run(seeded, two_roots, variables)
    assert context.answered_compiled
    assert result.data is not None
    assert result.data["__typename"] == "Query"
    assert len(result.data["customers"]["edges"]) == 20
    assert result.data["customer"]["contacts"]["totalCount"] >= 0
    assert counter.count == 1


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


NEW_SITES = """
query($first: Int!) {
  customers(first: $first) { edges { node { name newSite { contactName address { city } } } } }
}
"""


async def test_new_site_values_of_a_page_cost_one_statement(seeded: AsyncEngine) -> None:
    """Worked out in Python, they are read for every customer of the page at once; the
    resolvers answer on either database."""
    for first in (5, 50):
        with count_statements(seeded) as counter:
            result, context = await run(seeded, NEW_SITES, {"first": first})
        assert result.errors is None
        assert result.data is not None
        assert not context.answered_compiled
        assert len(result.data["customers"]["edges"]) == first
        assert counter.count == 2, "the page, and every customer's new-site values"


WRITES_STATEMENTS = {"postgresql": 3, "sqlite": 4}
"""The check or lock that comes first (the owner and manager for a new customer, the
customer for a change to it or a new site, with the site's primary contact), the write,
and history with the announcement. On PostgreSQL the write returns the payload's record
too; SQLite reads it back (a statement there costs no round trip)."""


def _written(statements: list[str]) -> list[str]:
    """Without the transaction's own BEGIN and COMMIT (SQLite's BEGIN is a statement)."""
    return [s for s in statements if s.split()[0].upper() not in {"BEGIN", "COMMIT"}]


async def test_a_checked_write_costs_a_fixed_handful_of_statements(seeded: AsyncEngine) -> None:
    owner = global_id("User", 1)
    actor = Actor.for_user(1, "Seeded admin", Role.ADMIN)
    expected = WRITES_STATEMENTS[seeded.dialect.name]
    with count_statements(seeded) as counter:
        created = await execute(
            seeded,
            """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
                customer { id name version } userErrors { code } } }""",
            {"input": {"name": "Counted", "customerNumber": "CNT-1", "ownerId": owner,
                       "managerId": owner}},
            actor=actor,
        )  # fmt: skip
    assert created["createCustomer"]["userErrors"] == []
    assert len(_written(counter.statements)) == expected, counter.statements
    customer = created["createCustomer"]["customer"]

    with count_statements(seeded) as counter:
        updated = await execute(
            seeded,
            """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
                customer { name version } userErrors { code } } }""",
            {"input": {"id": customer["id"], "expectedVersion": customer["version"],
                       "name": "Counted again"}},
            actor=actor,
        )  # fmt: skip
    assert updated["updateCustomer"] == {
        "customer": {"name": "Counted again", "version": customer["version"] + 1},
        "userErrors": [],
    }
    assert len(_written(counter.statements)) == expected, counter.statements

    with count_statements(seeded) as counter:
        site = await execute(
            seeded,
            """mutation($input: CreateSiteInput!) { createSite(input: $input) {
                site { name contactName } userErrors { code } } }""",
            {"input": {"customerId": customer["id"], "name": "Counted site"}},
            actor=actor,
        )
    assert site["createSite"]["userErrors"] == []
    assert len(_written(counter.statements)) == expected, counter.statements
