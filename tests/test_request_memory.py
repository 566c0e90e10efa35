"""What a request reads is freed when it is answered, not left for the garbage collector,
whose full collections would then free a request's worth of rows at once, mid-request."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.api.loaders import RelationPage
from customer_graph.domain.tokens import create_token
from customer_graph.web.app import create_app
from customer_graph.web.collections_log import CollectionsLog
from tests import factories as make
from tests.web_client import TEST_SETTINGS, app_client

NESTED = """{ customers(first: 10) { edges { node { name
  contacts(first: 5) { edges { node { name } } }
  sites(first: 5) { edges { node { name } } } } } } }"""


async def test_a_nested_read_frees_what_it_loaded_once_answered(engine: AsyncEngine) -> None:
    # Through the loaders on both databases (PostgreSQL would otherwise answer compiled).
    settings = TEST_SETTINGS.model_copy(update={"compiled_reads": False})
    async with engine.begin() as conn:
        owner = await make.user(conn)
        for i in range(3):
            customer = await make.customer(conn, owner, name=f"Nested {i}")
            await make.contact(conn, customer, name=f"Contact {i}")
            await make.site(conn, customer, name=f"Site {i}")
    async with AsyncSession(engine) as session:
        token = await create_token(session, name="memory", scopes=frozenset({"read"}))
        await session.commit()
    gc.collect()
    gc.disable()
    try:
        async with app_client(engine, settings, authorization=f"Bearer {token.secret}") as client:
            response = await client.post("/graphql", json={"query": NESTED})
            pages_left = sum(isinstance(o, RelationPage) for o in gc.get_objects())
    finally:
        gc.enable()
    assert response.status_code == 200
    nodes = [edge["node"] for edge in response.json()["data"]["customers"]["edges"]]
    assert [n["contacts"]["edges"][0]["node"]["name"] for n in nodes] == [
        "Contact 0",
        "Contact 1",
        "Contact 2",
    ]
    assert pages_left == 0


def test_the_collections_log_records_each_collection(tmp_path: Path) -> None:
    log = CollectionsLog()
    log.install()
    try:
        gc.collect()
        gc.collect(0)
    finally:
        log.uninstall()
    gc.collect()  # not recorded: uninstalled
    path = tmp_path / "gc.jsonl"
    log.write(path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["generation"] for line in lines[:-1]] == [2, 0]
    assert all(line["seconds"] >= 0 for line in lines[:-1])
    summary = lines[-1]["summary"]
    assert summary["collections"] == [1, 0, 1]
    assert summary["longest_ms"] >= 0


async def test_the_server_writes_the_collections_log_as_it_stops(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    path = tmp_path / "gc.jsonl"
    settings = TEST_SETTINGS.model_copy(update={"gc_log": path})
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, engine=engine), port=0, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    gc.collect()
    server.should_exit = True
    await task
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[-1]["summary"]["collections"][2] >= 1
    assert any(line.get("generation") == 2 for line in lines[:-1])
