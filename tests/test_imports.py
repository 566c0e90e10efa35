"""CSV import: the same rules as the app, upsert by number, all or nothing, exact reports."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from typer.testing import CliRunner

from customer_graph.cli import app
from customer_graph.db import enums
from customer_graph.db.engine import make_engine
from customer_graph.db.models import Contact, Customer, CustomerTag, HistoryEvent, Site
from customer_graph.domain import import_write
from customer_graph.domain.customer_list import ArchivedFilter, CustomerListFilter
from customer_graph.domain.customers import create_customer
from customer_graph.domain.exports import COLUMNS, export_lines
from customer_graph.domain.imports import ImportReport, import_customers
from customer_graph.domain.permissions import Actor
from customer_graph.domain.tokens import create_token
from customer_graph.domain.users import set_password
from customer_graph.settings import get_settings
from customer_graph.web import imports as web_imports
from tests import factories as make
from tests.graphql_client import count_statements
from tests.web_client import app_client, sign_in

TODAY = date(2026, 3, 1)
EVERYTHING = CustomerListFilter(archived=ArchivedFilter.INCLUDE)


def csv_text(header: Sequence[str], *rows: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    async with engine.begin() as conn:
        admin = await make.user(conn, email="admin@example.com", role=enums.Role.ADMIN)
        rep = await make.user(conn, email="rep@example.com", role=enums.Role.SALES_REP)
        acme = await make.customer(
            conn, rep, customer_number="C-000001", name="Acme", tags=["VIP"], city="Lyon"
        )
        await make.contact(conn, acme, name="Zed", email="zed@acme.test", is_primary=True)
        await make.site(conn, acme, name="HQ", city="Lyon", country="FR")
        await make.customer(
            conn, rep, customer_number="C-000002", name="Archived Co", archived_at=make.NOW
        )
    return {"admin": admin, "rep": rep, "acme": acme}


def admin(people: dict[str, int]) -> Actor:
    return Actor.for_user(people["admin"], "Ada Admin", enums.Role.ADMIN)


async def run_import(engine: AsyncEngine, actor: Actor, text: str, **options: Any) -> ImportReport:
    async with AsyncSession(engine) as session:
        return await import_customers(
            session, actor, io.StringIO(text, newline=""), today=TODAY, **options
        )


async def snapshot(engine: AsyncEngine) -> tuple[list[bytes], int]:
    """Every customer as exported, and the number of history events."""
    async with engine.connect() as connection:
        lines = [line async for line in export_lines(connection, _reader(), EVERYTHING, "jsonl")]
        events = (
            await connection.execute(select(func.count()).select_from(HistoryEvent))
        ).scalar_one()
    return lines, events


def _reader() -> Actor:
    return Actor.for_user(0, "Reader", enums.Role.SUPPORT)


MIXED_HEADER = ("customer_number", "name", "email", "country", "owner_email", "tags", "contacts")


def mixed_file() -> str:
    return csv_text(
        MIXED_HEADER,
        ("", "Borealis Inc", "hello@borealis.test", "ca", "rep@example.com", "new;north", ""),
        ("C-000001", "Acme Renamed", "", "FR", "", '["VIP", "key"]', ""),
        ("C-000009", "", "not-an-email", "XX", "ghost@example.com", "", ""),
        (
            "",
            "Multi\nLine Ltd",
            "",
            "",
            "",
            "",
            '[{"name": "Bo", "email": "bo@", "is_primary": true}]',
        ),
    )


async def test_one_bad_row_changes_nothing_and_says_exactly_what_is_wrong(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    before = await snapshot(engine)
    report = await run_import(engine, admin(people), mixed_file())

    assert (report.rows, report.created, report.updated, report.rejected) == (4, 1, 1, 2)
    assert report.applied is False
    assert await snapshot(engine) == before
    third, fourth = report.rejected_rows
    assert third.line == 4
    assert third.customer_number == "C-000009"
    assert [(e.column, e.message) for e in third.errors] == [
        ("owner_email", "No active user has the email 'ghost@example.com'."),
        ("name", "Name is required."),
        ("email", "'not-an-email' is not an email address."),
        ("country", "'XX' is not an ISO 3166 country code."),
    ]
    assert fourth.line == 5, "a quoted cell over two lines: the row starts on line 5"
    assert [(e.column, e.message) for e in fourth.errors] == [
        ("contacts", "Contact 1: 'bo@' is not an email address."),
    ]
    assert fourth.values["name"] == "Multi\nLine Ltd"


async def test_every_field_error_of_a_row_is_reported_together(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    text = csv_text(
        ("name", "email", "country", "kind", "created_on", "shared_folder_url"),
        ("Faulty", "not-an-email", "XX", "ROBOT", "yesterday", "ftp://x"),
    )
    report = await run_import(engine, admin(people), text)
    [row] = report.rejected_rows
    assert row.line == 2
    assert [(e.column, e.message) for e in row.errors] == [
        ("kind", "'ROBOT' is not one of COMPANY, INDIVIDUAL."),
        ("created_on", "'yesterday' is not a date (YYYY-MM-DD)."),
        ("email", "'not-an-email' is not an email address."),
        ("country", "'XX' is not an ISO 3166 country code."),
        ("shared_folder_url", "'ftp://x' is not an http(s) link."),
    ]


async def test_partial_import_keeps_the_good_rows(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    report = await run_import(engine, admin(people), mixed_file(), partial=True)
    assert report.applied is True
    assert (report.created, report.updated, report.rejected) == (1, 1, 2)
    async with AsyncSession(engine) as session:
        borealis = (
            await session.execute(select(Customer).where(Customer.name == "Borealis Inc"))
        ).scalar_one()
        assert borealis.customer_number == "C-000003", "the next free number"
        assert borealis.country == "CA"
        assert borealis.owner_id == people["rep"]
        assert borealis.manager_id == people["admin"], "defaults to whoever imports"
        tags = await session.scalars(
            select(CustomerTag.tag).where(CustomerTag.customer_id == borealis.id)
        )
        assert sorted(tags) == ["new", "north"]
        acme = await session.get(Customer, people["acme"])
        assert acme is not None
        assert acme.name == "Acme Renamed"
        assert acme.email is None
        assert acme.version == 2
        changes = (
            await session.scalars(
                select(HistoryEvent.changes).where(
                    HistoryEvent.customer_id == people["acme"],
                    HistoryEvent.action == enums.HistoryAction.UPDATED,
                )
            )
        ).one()
        assert {c["field"] for c in changes} == {"name", "address.country", "tags"}
        assert (
            await session.scalar(select(func.count()).where(Customer.name == "Multi\nLine Ltd"))
            == 0
        )


async def test_dry_run_reports_what_would_happen_and_changes_nothing(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    before = await snapshot(engine)
    text = csv_text(
        ("customer_number", "name", "sites"),
        ("C-000001", "Acme", '[{"name": "HQ", "city": "Paris"}, {"name": "Depot"}]'),
        ("", "Newco", ""),
    )
    report = await run_import(engine, admin(people), text, dry_run=True)
    assert (report.rows, report.created, report.updated, report.rejected) == (2, 1, 1, 0)
    assert report.applied is False
    assert await snapshot(engine) == before


async def test_contacts_and_sites_are_matched_updated_and_added(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    text = csv_text(
        ("customer_number", "contacts", "sites"),
        (
            "C-000001",
            '[{"name": "Zed Z", "email": "ZED@acme.test", "phone": "+33 1 23 45 67"},'
            ' {"name": "Amy", "is_primary": true}]',
            '[{"name": "hq", "city": "Paris"}, {"name": "Depot", "status": "inactive"}]',
        ),
    )
    report = await run_import(engine, admin(people), text)
    assert (report.updated, report.rejected, report.applied) == (1, 0, True)
    async with AsyncSession(engine) as session:
        contacts = (
            await session.execute(
                select(Contact.name, Contact.email, Contact.phone, Contact.is_primary)
                .where(Contact.customer_id == people["acme"])
                .order_by(Contact.id)
            )
        ).all()
        assert [tuple(c) for c in contacts] == [
            ("Zed Z", "ZED@acme.test", "+33 1 23 45 67", False),
            ("Amy", None, None, True),
        ], "matched by email; a new primary replaces the old one"
        sites = (
            await session.execute(
                select(Site.name, Site.city, Site.status)
                .where(Site.customer_id == people["acme"])
                .order_by(Site.id)
            )
        ).all()
        assert [tuple(s) for s in sites] == [
            ("hq", "Paris", enums.SiteStatus.ACTIVE),
            ("Depot", "Lyon", enums.SiteStatus.INACTIVE),
        ], "matched by name whatever its case; a new site starts from the customer address"


HOSTILE_CELLS = {
    "formula": '=HYPERLINK("http://evil.example","Click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
    "quoted already": "'=1+1",
    "two quotes": "''-x",
    "a quote alone": "'plain",
}
"""Values a spreadsheet would run as formulas, and values that look like their escapes."""


@pytest.mark.parametrize("exporter", ["support", "admin"])
async def test_export_then_import_changes_nothing(
    engine: AsyncEngine, people: dict[str, int], exporter: str
) -> None:
    """Whether the export shows owners' and managers' emails (to an administrator) or
    leaves them empty (to support staff), importing it back keeps them."""
    async with engine.begin() as conn:
        for n in range(5):
            customer = await make.customer(
                conn,
                people["rep"],
                name=f'Quote "{n}", comma',
                notes=f"line one\nline {n}",
                tags=["a;b", f"t{n}"],
            )
            await make.contact(conn, customer, name=f"P{n}", email=f"p{n}@x.test", is_primary=True)
            await make.contact(conn, customer, name=f"P{n}")
            await make.site(conn, customer, name=f"S{n}", status=enums.SiteStatus.INACTIVE)
        for name, hostile in HOSTILE_CELLS.items():
            await make.customer(
                conn,
                people["rep"],
                name=hostile,
                description=hostile,
                contact_title=hostile,
                notes=f"{hostile}\n{name}",
                city=hostile,
                phone="+33 1 23 45 67",
                email="-x@example.com",
                tags=[hostile],
            )
    async with engine.connect() as connection:
        actor = admin(people) if exporter == "admin" else _reader()
        exported = b"".join(
            [line async for line in export_lines(connection, actor, EVERYTHING, "csv")]
        ).decode()
    assert ("rep@example.com" in exported) is (exporter == "admin")
    before = await snapshot(engine)
    report = await run_import(engine, admin(people), exported)
    assert report.rejected_rows == []
    total = 7 + len(HOSTILE_CELLS)
    assert (report.rows, report.unchanged, report.applied) == (total, total, True)
    assert await snapshot(engine) == before, "same rows, same versions, no history"


async def test_read_only_columns_must_match(engine: AsyncEngine, people: dict[str, int]) -> None:
    text = csv_text(
        ("customer_number", "status", "archived_at"),
        ("C-000001", "INACTIVE", ""),
        ("C-000002", "ACTIVE", ""),
    )
    report = await run_import(engine, admin(people), text)
    assert [(r.line, [e.column for e in r.errors]) for r in report.rejected_rows] == [
        (2, ["status"]),
        (3, ["archived_at"]),
    ]
    assert "by deactivating and reactivating" in report.rejected_rows[0].errors[0].message


async def test_a_rep_imports_only_what_a_rep_may_change(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    async with engine.begin() as conn:
        other = await make.user(conn, email="other@example.com")
        await make.customer(conn, other, customer_number="C-000100", name="Not mine")
    rep = Actor.for_user(people["rep"], "Ray Rep", enums.Role.SALES_REP)
    text = csv_text(("customer_number", "name"), ("C-000001", "Mine"), ("C-000100", "Theirs"))
    report = await run_import(engine, rep, text)
    assert [(r.line, r.errors[0].message) for r in report.rejected_rows] == [
        (3, "You may edit only customers you own or manage.")
    ]
    support = Actor.for_user(0, "Sue", enums.Role.SUPPORT)
    with pytest.raises(Exception, match="not allowed to create customers"):
        await run_import(engine, support, text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("name,colour\r\nX,red\r\n", "Unknown column 'colour'"),
        ("name,name\r\nX,Y\r\n", "The column 'name' appears twice"),
        ("email\r\nx@y.z\r\n", "needs a name or a customer_number column"),
    ],
)
async def test_a_bad_header_is_refused_before_any_row(
    engine: AsyncEngine, people: dict[str, int], text: str, message: str
) -> None:
    with pytest.raises(Exception, match=message):
        await run_import(engine, admin(people), text)


async def write_token(engine: AsyncEngine, scopes: str = "read,write") -> str:
    async with AsyncSession(engine) as session:
        issued = await create_token(session, name=scopes, scopes=frozenset(scopes.split(",")))
        await session.commit()
    return issued.secret


def events(body: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in body.splitlines()]


async def test_http_import_streams_progress_then_the_report(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    secret = await write_token(engine)
    rows = [("", f"Customer {n}", "rep@example.com", "rep@example.com") for n in range(260)]
    text = csv_text(("customer_number", "name", "owner_email", "manager_email"), *rows)
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.post(
            "/import/customers.csv", content=text.encode(), headers={"Content-Type": "text/csv"}
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    stream = events(response.text)
    assert stream[0] == {"total": 260}
    assert [e["progress"]["rows"] for e in stream[1:-1]] == [250, 260]
    report = stream[-1]["report"]
    assert (report["created"], report["rejected"], report["applied"]) == (260, 0, True)
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(func.count()).select_from(Customer)) == 262


async def test_http_import_reports_rejected_rows_with_their_values(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    async with signed_in_admin(engine) as client:
        response = await client.post(
            "/import/customers.csv?dry_run=true", content=mixed_file().encode()
        )
    report = events(response.text)[-1]["report"]
    assert report["dryRun"] is True
    assert report["applied"] is False
    assert [r["line"] for r in report["rejectedRows"]] == [4, 5]
    assert report["rejectedRows"][1]["values"]["contacts"].startswith('[{"name": "Bo"')
    assert report["rejectedRows"][1]["errors"] == [
        {"column": "contacts", "message": "Contact 1: 'bo@' is not an email address."}
    ]


async def test_http_import_refusals(engine: AsyncEngine, people: dict[str, int]) -> None:
    reader = await write_token(engine, "read")
    writer = await write_token(engine, "write")
    async with app_client(engine) as client:
        assert (await client.post("/import/customers.csv", content=b"name\r\n")).status_code == 401
    async with app_client(engine, Authorization=f"Bearer {reader}") as client:
        refused = await client.post("/import/customers.csv", content=b"name\r\nX\r\n")
        assert refused.status_code == 403
    async with app_client(engine, Authorization=f"Bearer {writer}") as client:
        bad = await client.post("/import/customers.csv", content=b"name,colour\r\nX,red\r\n")
        assert bad.status_code == 400
        assert "Unknown column 'colour'" in bad.json()["error"]
        latin = await client.post(
            "/import/customers.csv", content="name\r\nCaf\xe9\r\n".encode("latin-1")
        )
        assert latin.status_code == 400
        assert "UTF-8" in latin.json()["error"]


@asynccontextmanager
async def signed_in_admin(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A browser session of admin@example.com that sends its CSRF header."""
    async with AsyncSession(engine) as session:
        await set_password(session, "admin@example.com", "long-enough-password")
        await session.commit()
    async with app_client(engine) as client:
        csrf = await sign_in(client, "admin@example.com", "long-enough-password")
        client.headers["X-CSRF-Token"] = csrf
        yield client


async def test_a_session_needs_its_csrf_token_to_import(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    async with signed_in_admin(engine) as client:
        csrf = client.headers.pop("X-CSRF-Token")
        without = await client.post("/import/customers.csv", content=b"name\r\nX\r\n")
        assert without.status_code == 403
        with_token = await client.post(
            "/import/customers.csv", content=b"name\r\nX\r\n", headers={"X-CSRF-Token": csrf}
        )
        assert events(with_token.text)[-1]["report"]["created"] == 1


async def test_the_template_has_every_column_and_imports_cleanly(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    async with app_client(engine) as client:
        response = await client.get("/import/customers-template.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    header = next(csv.reader(io.StringIO(response.text)))
    assert tuple(header) == COLUMNS
    report = await run_import(engine, admin(people), response.text)
    assert (report.created, report.rejected) == (1, 0), report.rejected_rows


def _stock_cli(database_url: str) -> None:
    async def stock() -> None:
        engine = make_engine(database_url)
        async with engine.begin() as conn:
            owner = await make.user(conn, email="owner@example.com")
            await make.customer(conn, owner, customer_number="C-000001", name="Cli Co")
        await engine.dispose()

    asyncio.run(stock())


def _cli(database_url: str, *args: str) -> Any:
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(
            app, list(args), env={"CUSTOMER_GRAPH_DATABASE_URL": database_url}
        )
    finally:
        get_settings.cache_clear()


def test_cli_import_refuses_a_bad_file_whole_and_writes_the_rejected_rows(
    database_url: str, tmp_path: Path
) -> None:
    _stock_cli(database_url)
    source = tmp_path / "in.csv"
    source.write_text(
        csv_text(
            ("customer_number", "name", "owner_email", "manager_email", "email"),
            ("C-000001", "Cli Co Renamed", "", "", ""),
            ("", "=New One", "owner@example.com", "owner@example.com", "bad"),
        )
    )
    rejected = tmp_path / "rejected.csv"
    result = _cli(database_url, "import", str(source), "--rejected", str(rejected))
    assert result.exit_code == 1, result.output
    assert "line 3, email: 'bad' is not an email address." in result.output
    assert "Nothing was changed." in result.output
    assert list(csv.reader(rejected.open())) == [
        ["customer_number", "name", "owner_email", "manager_email", "email", "errors"],
        [
            "",
            "'=New One",
            "owner@example.com",
            "owner@example.com",
            "bad",
            "email: 'bad' is not an email address.",
        ],
    ], "a name a spreadsheet would run is written with a quote in front"

    source.write_text(
        csv_text(
            ("customer_number", "name", "owner_email", "manager_email"),
            ("C-000001", "Cli Co Renamed", "", ""),
            ("", "New One", "owner@example.com", "owner@example.com"),
        )
    )
    dry = _cli(database_url, "import", str(source), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would import 2 rows: 1 created, 1 updated, 0 unchanged, 0 refused." in dry.output
    done = _cli(database_url, "import", str(source))
    assert "Imported 2 rows: 1 created, 1 updated" in done.output
    again = _cli(database_url, "import", str(source))
    assert "Imported 2 rows: 1 created, 0 updated, 1 unchanged, 0 refused." in again.output, (
        "a row without a number is a new customer each time"
    )


def test_the_readme_documents_every_column() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [column for column in COLUMNS if f"| `{column}` |" not in readme]
    assert missing == []


async def test_a_customer_number_twice_in_one_file_is_refused(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    text = csv_text(
        ("customer_number", "name"),
        ("C-000050", "First"),
        ("C-000051", "Other"),
        ("C-000050", "Second"),
    )
    report = await run_import(engine, admin(people), text)
    assert [(r.line, r.errors[0].column, r.errors[0].message) for r in report.rejected_rows] == [
        (4, "customer_number", "C-000050 is on line 2 too.")
    ]
    assert report.applied is False


async def test_an_import_that_fails_in_the_server_ends_with_an_error_line(
    engine: AsyncEngine,
    people: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def failing(*args: Any, **kwargs: Any) -> ImportReport:
        raise OperationalError("INSERT ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(web_imports, "import_customers", failing)
    secret = await write_token(engine)
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        response = await client.post("/import/customers.csv", content=b"name\r\nX\r\n")
    assert response.status_code == 200
    last = events(response.text)[-1]
    [logged] = [r for r in caplog.records if r.name == "customer_graph.web.imports"]
    assert last == {
        "error": f"The import failed; nothing was changed (error id {last['errorId']}).",
        "errorId": last["errorId"],
    }
    assert last["errorId"] in logged.getMessage()
    assert "INSERT" not in response.text, "no SQL in the answer"


async def history_of(engine: AsyncEngine, customer_id: int) -> list[tuple[Any, ...]]:
    async with AsyncSession(engine) as session:
        rows = await session.execute(
            select(
                HistoryEvent.entity_type,
                HistoryEvent.entity_id,
                HistoryEvent.action,
                HistoryEvent.changes,
            )
            .where(HistoryEvent.customer_id == customer_id)
            .order_by(HistoryEvent.id)
        )
        return [tuple(row) for row in rows]


async def test_an_imported_customer_has_the_history_the_app_would_write(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    """Written in bulk, yet the same as through the mutations: the customer's creation with
    the number it got first, then each contact and site, under the ids they got."""
    async with AsyncSession(engine) as session:
        made = (
            await create_customer(
                session,
                admin(people),
                {"name": "Twin", "email": "twin@example.com", "tags": ["b", "a"]},
                today=TODAY,
            )
        ).record_id
        await session.commit()
    text = csv_text(
        ("name", "email", "tags", "contacts", "sites"),
        (
            "Twin",
            "twin@example.com",
            "b;a",
            '[{"name": "Ann", "is_primary": true}, {"name": "Bo", "is_primary": true}]',
            '[{"name": "Depot"}]',
        ),
    )
    report = await run_import(engine, admin(people), text)
    assert (report.created, report.rejected, report.applied) == (1, 0, True)
    async with AsyncSession(engine) as session:
        twin = (
            await session.execute(
                select(Customer).where(Customer.id != made, Customer.name == "Twin")
            )
        ).scalar_one()
        ann, bo = (
            await session.execute(
                select(Contact.id, Contact.is_primary)
                .where(Contact.customer_id == twin.id)
                .order_by(Contact.id)
            )
        ).all()
        depot = await session.scalar(select(Site).where(Site.customer_id == twin.id))
    assert twin.customer_number == "C-000004"
    assert (ann.is_primary, bo.is_primary) == (False, True), "the second primary replaced the first"
    assert depot is not None
    assert depot.contact_name == "Bo", "a new site starts with the primary contact"
    mutation, imported = await history_of(engine, made), await history_of(engine, twin.id)
    assert imported[0][:3] == ("Customer", twin.id, enums.HistoryAction.CREATED)
    assert imported[0][3] == [
        {**change, "after": "C-000004"} if change["field"] == "customer_number" else change
        for change in mutation[0][3]
    ]
    assert [event[:3] for event in imported[1:]] == [
        ("Contact", ann.id, enums.HistoryAction.CREATED),
        ("Contact", ann.id, enums.HistoryAction.UPDATED),
        ("Contact", bo.id, enums.HistoryAction.CREATED),
        ("Site", depot.id, enums.HistoryAction.CREATED),
    ]
    assert imported[2][3] == [{"field": "is_primary", "before": True, "after": False}]


@pytest.fixture
def meanwhile(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[AsyncConnection], Awaitable[Any]]]:
    """Changes another writer makes after the file was checked, before it is written."""
    changes: list[Callable[[AsyncConnection], Awaitable[Any]]] = []
    move = import_write.Staging.move

    async def after_changes(self: import_write.Staging, **options: Any) -> Any:
        async with self.connection.engine.begin() as conn:
            for change in changes:
                await change(conn)
        return await move(self, **options)

    monkeypatch.setattr(import_write.Staging, "move", after_changes)
    return changes


@pytest.mark.parametrize("partial", [False, True])
async def test_a_row_whose_customer_changed_while_the_file_was_checked_is_refused(
    engine: AsyncEngine,
    people: dict[str, int],
    meanwhile: list[Callable[[AsyncConnection], Awaitable[Any]]],
    partial: bool,
) -> None:
    meanwhile.append(
        lambda conn: conn.execute(
            update(Customer)
            .where(Customer.id == people["acme"])
            .values(version=Customer.version + 1)
        )
    )
    meanwhile.append(lambda conn: make.history_event(conn, people["acme"]))
    meanwhile.append(lambda conn: make.customer(conn, people["rep"], customer_number="C-000050"))
    text = csv_text(
        ("customer_number", "name"),
        ("C-000001", "Acme Renamed"),
        ("C-000050", "Taken Meanwhile"),
        ("", "Newco"),
    )
    before = await snapshot(engine)
    report = await run_import(engine, admin(people), text, partial=partial)
    assert [(r.line, r.errors[0].column, r.errors[0].message) for r in report.rejected_rows] == [
        (
            2,
            "customer_number",
            "C-000001 was changed by someone else while the file was checked; import the file "
            "again to check the row against the change.",
        ),
        (3, "customer_number", "Customer number C-000050 was taken meanwhile."),
    ]
    assert (report.created, report.updated, report.rejected) == (1, 0, 2)
    assert report.applied is partial
    async with AsyncSession(engine) as session:
        names = set(await session.scalars(select(Customer.name)))
    assert "Acme Renamed" not in names
    assert ("Newco" in names) is partial, "all or nothing, unless partial"
    if not partial:
        lines, _ = await snapshot(engine)
        assert len(lines) == len(before[0]) + 1, "only what the other writer added"


async def test_new_customers_are_numbered_past_those_added_while_the_file_was_checked(
    engine: AsyncEngine,
    people: dict[str, int],
    meanwhile: list[Callable[[AsyncConnection], Awaitable[Any]]],
) -> None:
    meanwhile.append(lambda conn: make.customer(conn, people["rep"], customer_number="C-000003"))
    text = csv_text(("customer_number", "name"), ("", "First"), ("C-000010", "Given"), ("", "Last"))
    report = await run_import(engine, admin(people), text)
    assert (report.created, report.rejected, report.applied) == (3, 0, True)
    async with AsyncSession(engine) as session:
        numbers = {
            name: number
            for name, number in await session.execute(
                select(Customer.name, Customer.customer_number)
            )
        }
        created = await session.scalars(
            select(HistoryEvent.changes).where(
                HistoryEvent.action == enums.HistoryAction.CREATED,
                HistoryEvent.entity_type == "Customer",
            )
        )
    assert (numbers["First"], numbers["Given"], numbers["Last"]) == (
        "C-000011",
        "C-000010",
        "C-000012",
    ), "past the numbers stored meanwhile and those the file gives"
    assert sorted(c[0]["after"] for c in created if c[0]["field"] == "customer_number") == [
        "C-000010",
        "C-000011",
        "C-000012",
    ]


@pytest.mark.parametrize("rows", [10, 40])
async def test_checking_stored_customers_costs_statements_per_batch_not_per_row(
    engine: AsyncEngine, people: dict[str, int], rows: int
) -> None:
    """What rows are checked against (the stored customer, its tags, contacts and sites) is
    read for a batch of rows at once, four statements: re-checking 40 stored customers
    takes as many as 10."""
    header = ("customer_number", "name", "tags", "contacts", "sites")
    lines = [
        (
            f"R-{n:03d}",
            f"Reread {n}",
            '["VIP"]',
            f'[{{"name": "Person {n}"}}]',
            f'[{{"name": "Site {n}"}}]',
        )
        for n in range(rows)
    ]
    written = await run_import(engine, admin(people), csv_text(header, *lines))
    assert (written.created, written.applied) == (rows, True)
    renamed = [(number, f"{name} renamed", *rest) for number, name, *rest in lines]
    with count_statements(engine) as counter:
        report = await run_import(engine, admin(people), csv_text(header, *renamed), dry_run=True)
    assert report.updated == rows
    assert counter.count <= 6, counter.statements


async def test_importing_new_customers_costs_statements_per_batch_not_per_row(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    """A new row's number is checked against the numbers read ahead for its batch, and the
    rows it writes are staged with those of the whole batch: importing 40 new customers,
    numbered, with tags, a contact and a site each, takes as many statements as 10."""
    header = ("customer_number", "name", "tags", "contacts", "sites")
    counts = []
    for first, rows in ((0, 10), (100, 40)):
        lines = [
            (
                f"N-{n:03d}",
                f"New {n}",
                '["VIP", "north"]',
                f'[{{"name": "Person {n}", "email": "p{n}@example.com"}}]',
                f'[{{"name": "Site {n}"}}]',
            )
            for n in range(first, first + rows)
        ]
        with count_statements(engine) as counter:
            report = await run_import(engine, admin(people), csv_text(header, *lines))
        assert (report.created, report.applied) == (rows, True)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
