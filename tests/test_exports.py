"""Bulk export: every customer with its tags, contacts and sites, streamed, by token or CLI."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from typer.testing import CliRunner

from customer_graph.api.compiled import export as compiled_export
from customer_graph.api.compiled.export import compiled_export_lines
from customer_graph.cli import COMMAND_LINE, app
from customer_graph.db import enums
from customer_graph.domain import exports
from customer_graph.domain.customer_list import CustomerListFilter
from customer_graph.domain.permissions import Actor
from customer_graph.domain.tokens import create_token
from customer_graph.settings import get_settings
from tests import factories as make
from tests.web_client import app_client, served


@pytest.fixture
async def stocked(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn, email="owner@example.com")
        acme = await make.customer(conn, owner, name='Acme, "the" best', tags=["VIP", "a;b"])
        await make.contact(conn, acme, name="Zed", is_primary=True, email="zed@acme.test")
        await make.contact(conn, acme, name="Amy")
        await make.site(conn, acme, name="HQ", city="Lyon", country="FR")
        for n in range(7):
            await make.customer(conn, owner, name=f"Filler {n}")
        await make.customer(conn, owner, name="Old Archive", archived_at=make.NOW)


async def token(engine: AsyncEngine, scopes: str) -> str:
    async with AsyncSession(engine) as session:
        issued = await create_token(session, name=scopes, scopes=frozenset(scopes.split(",")))
        await session.commit()
    return issued.secret


async def test_jsonl_export_streams_everything_with_a_token(
    engine: AsyncEngine, stocked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "BATCH", 3)
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.get("/export/customers.jsonl")
        unarchived = await client.get("/export/customers.jsonl", params={"archived": "exclude"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 9, "an export holds archived customers unless asked otherwise"
    assert len(unarchived.text.splitlines()) == 8
    acme = records[0]
    assert acme["name"] == 'Acme, "the" best'
    assert acme["tags"] == ["VIP", "a;b"]
    assert acme["owner_email"] is None, "no token sees staff emails"
    assert [c["name"] for c in acme["contacts"]] == ["Zed", "Amy"]
    assert acme["contacts"][0]["is_primary"] is True
    assert acme["sites"] == [
        {
            "name": "HQ",
            "status": "ACTIVE",
            "street1": None,
            "street2": None,
            "city": "Lyon",
            "region": None,
            "postal_code": None,
            "country": "FR",
            "contact_name": None,
            "email": None,
            "phone": None,
        }
    ]
    assert acme["status"] == enums.CustomerStatus.ACTIVE.value


async def test_csv_export_keeps_lists_as_json(engine: AsyncEngine, stocked: None) -> None:
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.get("/export/customers.csv", params={"search": "acme"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    assert rows[0]["name"] == 'Acme, "the" best'
    assert json.loads(rows[0]["tags"]) == ["VIP", "a;b"]
    assert [c["email"] for c in json.loads(rows[0]["contacts"])] == ["zed@acme.test", None]


@pytest.mark.parametrize(
    ("headers", "path", "status"),
    [
        ({}, "/export/customers.csv", 401),
        ({"write-only": "yes"}, "/export/customers.csv", 403),
        ({"read": "yes"}, "/export/customers.xml", 404),
        ({"read": "yes"}, "/export/customers.csv?archived=maybe", 400),
    ],
)
async def test_export_refusals(
    engine: AsyncEngine, stocked: None, headers: dict[str, Any], path: str, status: int
) -> None:
    auth = {}
    if headers:
        secret = await token(engine, "write" if "write-only" in headers else "read")
        auth = {"Authorization": f"Bearer {secret}"}
    async with app_client(engine, **auth) as client:
        response = await client.get(path)
    assert response.status_code == status
    assert response.json()["error"]


def test_cli_export_writes_a_file(database_url: str, tmp_path: Any) -> None:

    from customer_graph.db.engine import make_engine

    async def stock() -> None:
        engine = make_engine(database_url)
        async with engine.begin() as conn:
            owner = await make.user(conn)
            for n in range(3):
                await make.customer(conn, owner, name=f"Cli {n}")
        await engine.dispose()

    asyncio.run(stock())
    target = tmp_path / "out.jsonl"
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            ["export", "--format", "jsonl", "--output", str(target)],
            env={"CUSTOMER_GRAPH_DATABASE_URL": database_url},
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Exported 3 customers." in result.output
    assert [json.loads(line)["name"] for line in target.read_text().splitlines()] == [
        "Cli 0",
        "Cli 1",
        "Cli 2",
    ]


@pytest.mark.parametrize(
    ("archived", "expected"),
    [(None, 9), ("EXCLUDE", 8), ("include", 9), ("only", 1)],
)
async def test_the_cli_and_http_exports_hold_the_same_customers(
    engine: AsyncEngine,
    database_url: str,
    stocked: None,
    archived: str | None,
    expected: int,
) -> None:
    """Both default to every customer, archived ones included; both take the same choices."""
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        params = {"archived": archived} if archived else {}
        response = await client.get("/export/customers.jsonl", params=params)
    over_http = [json.loads(line)["name"] for line in response.text.splitlines()]

    get_settings.cache_clear()
    try:
        options = ["--archived", archived] if archived else []
        result = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["export", "--format", "jsonl", *options],
            env={"CUSTOMER_GRAPH_DATABASE_URL": database_url},
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    by_cli = [json.loads(line)["name"] for line in result.stdout.splitlines()]

    assert len(over_http) == expected
    assert by_cli == over_http
    assert ("Old Archive" in by_cli) is (archived != "EXCLUDE")


async def test_the_export_brings_only_the_lists_asked_for(
    engine: AsyncEngine, stocked: None
) -> None:
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        contacts_only = await client.get(
            "/export/customers.jsonl", params={"include": "contacts", "search": "acme"}
        )
        header_only = await client.get("/export/customers.csv", params={"include": "tags"})
        unknown = await client.get("/export/customers.csv", params={"include": "invoices"})
    [acme] = [json.loads(line) for line in contacts_only.text.splitlines()]
    assert [c["name"] for c in acme["contacts"]] == ["Zed", "Amy"]
    assert "sites" not in acme
    assert "tags" not in acme
    header = next(csv.reader(io.StringIO(header_only.text)))
    assert header[-3:] == ["owner_email", "manager_email", "tags"]
    assert unknown.status_code == 400
    assert unknown.json()["error"] == (
        "'invoices' cannot be exported; choose from tags, contacts, sites."
    )


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("read token", (None, None)),
        ("support, as the owner", ("olive@example.com", None)),
        ("rep", (None, None)),
        ("sales manager", ("olive@example.com", "manny@example.com")),
        ("command line", ("olive@example.com", "manny@example.com")),
    ],
)
async def test_owner_and_manager_emails_go_to_whoever_sees_staff_details(
    engine: AsyncEngine, who: str, shown: tuple[str | None, str | None]
) -> None:
    """On both paths (the compiled one on PostgreSQL): the rule of ``User.email``."""
    async with engine.begin() as conn:
        owner = await make.user(conn, email="olive@example.com", role=enums.Role.SUPPORT)
        manager = await make.user(conn, email="manny@example.com", role=enums.Role.SALES_MANAGER)
        await make.customer(conn, owner, manager_id=manager, name="Acme")
    actor = {
        "read token": Actor.for_token(1, "bi", frozenset({"read"})),
        "support, as the owner": Actor.for_user(owner, "Olive", enums.Role.SUPPORT),
        "rep": Actor.for_user(owner + 100, "Ray", enums.Role.SALES_REP),
        "sales manager": Actor.for_user(owner + 101, "Mia", enums.Role.SALES_MANAGER),
        "command line": COMMAND_LINE,
    }[who]
    async with engine.connect() as connection:
        lines = [
            line
            async for line in exports.export_lines(connection, actor, CustomerListFilter(), "jsonl")
        ]
        [record] = [json.loads(line) for line in lines]
        assert (record["owner_email"], record["manager_email"]) == shown
        if engine.dialect.name == "postgresql":
            compiled = [
                chunk
                async for chunk in compiled_export_lines(connection, actor, CustomerListFilter())
            ]
            assert [json.loads(line) for c in compiled for line in c.splitlines()] == [record]


async def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(engine: AsyncEngine) -> None:
    """OWASP's CSV injection: a formula in a name must reach the spreadsheet as text."""
    async with engine.begin() as conn:
        owner = await make.user(conn, email="owner@example.com")
        await make.customer(
            conn,
            owner,
            customer_number="C-000001",
            name='=HYPERLINK("http://evil.example","Click")',
            notes="@SUM(1+1)",
            city="-2+3",
            phone="+33 1 23 45 67",
            description="'=already quoted",
            tags=["=tag"],
        )
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        csv_response = await client.get("/export/customers.csv")
        jsonl_response = await client.get("/export/customers.jsonl")
    [row] = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["notes"] == "'@SUM(1+1)"
    assert row["city"] == "'-2+3"
    assert row["phone"] == "'+33 1 23 45 67"
    assert row["description"] == "''=already quoted"
    assert row["customer_number"] == "C-000001"
    assert json.loads(row["tags"]) == ["=tag"], "a JSON list starts with [: left as it is"
    [record] = [json.loads(line) for line in jsonl_response.text.splitlines()]
    assert record["name"] == '=HYPERLINK("http://evil.example","Click")', "JSON Lines: as stored"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("x" * 60_000, "A search is at most 200 characters long; this one has 60000."),
        ("Acme\x00", "A search cannot contain a NUL character."),
    ],
)
async def test_a_search_the_database_cannot_run_is_refused_before_the_export_begins(
    engine: AsyncEngine, stocked: None, fmt: str, search: str, message: str
) -> None:
    secret = await token(engine, "read")
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.get(f"/export/customers.{fmt}", params={"search": search})
    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.fixture
def database_fails_after_the_first_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    """The export's connection works once, then the database is gone."""
    monkeypatch.setattr(exports, "BATCH", 3)
    monkeypatch.setattr(compiled_export, "BATCH", 3)
    real_execute = AsyncConnection.execute
    calls = 0

    async def execute(self: AsyncConnection, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OperationalError("SELECT ...", {}, Exception("server closed the connection"))
        return await real_execute(self, *args, **kwargs)

    monkeypatch.setattr(AsyncConnection, "execute", execute)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
async def test_an_export_that_fails_once_begun_is_cut_short_and_logged(
    engine: AsyncEngine,
    stocked: None,
    fmt: str,
    database_fails_after_the_first_statement: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The 200 went out with the first line: the transfer must not end as if complete."""
    secret = await token(engine, "read")
    received: list[str] = []

    async def read_all(response: httpx.Response) -> None:
        async for line in response.aiter_lines():
            received.append(line)

    async with (
        served(engine) as url,
        httpx.AsyncClient(base_url=url) as client,
        client.stream(
            "GET", f"/export/customers.{fmt}", headers={"Authorization": f"Bearer {secret}"}
        ) as response,
    ):
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            await read_all(response)
    [logged] = [r for r in caplog.records if r.name == "customer_graph.web.exports"]
    assert logged.levelname == "ERROR"
    error_id = logged.getMessage().removeprefix("export failed after it began (error id ")[:-1]
    assert len(error_id) == 12
    if fmt == "csv":
        assert received[0].startswith("customer_number,name,")
    else:
        last = json.loads(received[-1])
        assert last == {
            "error": {
                "message": f"The export failed before it was complete (error id {error_id}).",
                "errorId": error_id,
            }
        }
