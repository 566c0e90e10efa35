"""The JSON Lines export on the compiled path writes the records the domain's path writes."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.compiled.export import compiled_export_lines
from customer_graph.db.seed import seed_demo
from customer_graph.domain.customer_list import ArchivedFilter, CustomerListFilter
from customer_graph.domain.exports import export_lines
from tests.graphql_client import ADMIN, TODAY, count_statements


@pytest.mark.backends("postgresql")
@pytest.mark.parametrize(
    "list_filter",
    [
        CustomerListFilter(),
        CustomerListFilter(archived=ArchivedFilter.INCLUDE),
        CustomerListFilter(archived=ArchivedFilter.ONLY),
        CustomerListFilter(search="a"),
    ],
)
async def test_the_same_records_in_batches(
    engine: AsyncEngine, list_filter: CustomerListFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_demo(engine, customers=25, seed=4, today=TODAY)
    monkeypatch.setattr("customer_graph.api.compiled.export.BATCH", 10)
    async with engine.connect() as connection:
        with count_statements(engine) as counter:
            chunks = [c async for c in compiled_export_lines(connection, ADMIN, list_filter)]
        expected = [c async for c in export_lines(connection, ADMIN, list_filter, "jsonl")]
    compiled = [orjson.loads(line) for chunk in chunks for line in chunk.splitlines()]
    assert compiled == [orjson.loads(line) for line in expected]
    assert all(len(chunk.splitlines()) <= 10 for chunk in chunks)
    assert counter.count == len(chunks) + 1, "one statement a batch, and the empty last one"
