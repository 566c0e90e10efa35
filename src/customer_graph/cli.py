"""``customer-graph``: serve, migrate, seed demo data, print the schema."""

from __future__ import annotations

import asyncio
import csv
import gc
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO, NoReturn, TextIO, TypeVar

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, make_url, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.api.compiled import compiled_reads_on
from customer_graph.db.change_feed import broker_for
from customer_graph.db.engine import make_engine, make_sessionmaker
from customer_graph.db.migrate import MigrationReport, upgrade
from customer_graph.db.models import Customer, User
from customer_graph.domain.csv_cells import csv_line
from customer_graph.domain.errors import DomainError
from customer_graph.domain.exports import export_filter, export_lines, parse_nested
from customer_graph.domain.imports import ImportReport, RejectedRow, csv_rows, import_customers
from customer_graph.domain.passwords import verify_password
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.roles import ROLE_CHOICES, SHORT_ROLE_NAMES, role_named
from customer_graph.domain.tokens import IssuedToken, create_token, parse_scopes, revoke_token
from customer_graph.domain.users import (
    active_user_id,
    create_user,
    end_sessions_of,
    set_password,
)
from customer_graph.settings import SecretKeyError, Settings, get_settings

T = TypeVar("T")

COMMAND_LINE = Actor(name="customer-graph command line", permissions=frozenset(Permission))
"""Whoever runs the command on the server machine already holds the database."""

app = typer.Typer(help="One customer, seen whole: a GraphQL API and app.", no_args_is_help=True)
user_app = typer.Typer(help="Manage the people who sign in.", no_args_is_help=True)
token_app = typer.Typer(
    help="Manage API tokens for partner apps and BI tools.", no_args_is_help=True
)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
console = Console(stderr=True)

IMPORT_ERRORS_SHOWN = 20
"""Refused rows printed by ``import``; ``--rejected`` writes them all."""

DEMO_SIGN_INS = (
    ("admin@example.com", "admin-demo-pass"),
    ("manager@example.com", "manager-demo-pass"),
    ("rep@example.com", "rep-demo-pass"),
    ("support@example.com", "support-demo-pass"),
)
"""One user per role in the demo data; only ever set on the embedded database."""


def _fail(message: str) -> NoReturn:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(code=1)


async def _in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a refusal by a domain rule exits with its message."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            try:
                result = await work(session)
            except DomainError as error:
                _fail(error.message)
            await session.commit()
            return result
    finally:
        await engine.dispose()


def _migrate(settings: Settings) -> MigrationReport:
    return upgrade(settings.sync_database_url)


async def _seed(settings: Settings, customers: int, seed: int) -> None:
    from customer_graph.db.seed import seed_demo

    engine = make_engine(settings.database_url)
    try:
        with Progress(
            TextColumn("Seeding customers"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("seed", total=customers)
            summary = await seed_demo(
                engine,
                customers=customers,
                seed=seed,
                progress=lambda n: progress.advance(task, n),
            )
        console.print(
            f"Seeded {summary.customers} customers and {summary.rows} rows "
            f"in {summary.seconds:.1f} s."
        )
    finally:
        await engine.dispose()


async def _count_customers(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            return int(
                (await connection.execute(select(func.count()).select_from(Customer))).scalar_one()
            )
    finally:
        await engine.dispose()


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema, and say which migrations that took."""
    settings = get_settings()
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    report = _migrate(settings)
    if not report.applied:
        console.print(
            f"The database at {database} is at {report.after}, the newest: nothing to do.",
            highlight=False,
        )
        return
    start = "no schema" if report.before is None else report.before
    count = len(report.applied)
    console.print(
        f"Migrated the database at {database} from {start} to {report.after}, "
        f"applying {count} migration{'' if count == 1 else 's'}:",
        highlight=False,
    )
    for step in report.applied:
        console.print(f"  {step.revision}  {step.title}", highlight=False)


@app.command()
def seed(
    customers: Annotated[int, typer.Option(min=1, help="How many customers to add.")] = 200,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 1,
) -> None:
    """Add realistic demo customers with everything linked to them."""
    settings = get_settings()
    _migrate(settings)
    asyncio.run(_seed(settings, customers, seed))


async def _set_demo_passwords(session: AsyncSession) -> list[tuple[str, str]]:
    return [
        (email, password)
        for email, password in DEMO_SIGN_INS
        if await set_password(session, email, password)
    ]


def _print_demo_sign_ins(sign_ins: list[tuple[str, str]]) -> None:
    if sign_ins:
        console.print("Demo sign-ins (embedded database only):")
        for email, password in sign_ins:
            console.print(f"  {email:<24} {password}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (PostgreSQL only: SQLite has one writer).")
    ] = 1,
) -> None:
    """Serve the app. On the embedded database: migrate, and seed demo data when empty."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    try:
        settings.session_secret()
    except SecretKeyError as error:
        _fail(str(error))
    if settings.is_sqlite and workers > 1:
        _fail("More than one worker needs PostgreSQL (CUSTOMER_GRAPH_DATABASE_URL).")
    if settings.is_sqlite:
        _migrate(settings)
        if settings.demo_customers and asyncio.run(_count_customers(settings)) == 0:
            asyncio.run(_seed(settings, settings.demo_customers, 1))
            _print_demo_sign_ins(asyncio.run(_in_session(settings, _set_demo_passwords)))
        else:
            _print_demo_sign_ins(asyncio.run(_in_session(settings, _working_demo_sign_ins)))
    console.print(f"customer_graph is serving at [bold]http://{host}:{port}/[/bold]")
    console.print(f"GraphiQL: http://{host}:{port}/graphql")
    uvicorn.run(
        "customer_graph.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=settings.access_log,
        ws_max_size=settings.max_request_bytes,
    )


@app.command()
def export(
    format: Annotated[str, typer.Option(help="csv or jsonl.")] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="File to write; standard output if none.")
    ] = None,
    archived: Annotated[
        str | None,
        typer.Option(help="EXCLUDE, INCLUDE or ONLY archived customers [default: INCLUDE]."),
    ] = None,
    include: Annotated[
        str, typer.Option(help="The lists to bring along: tags,contacts,sites or fewer.")
    ] = "tags,contacts,sites",
) -> None:
    """Export every customer with its tags, contacts and sites, streamed in constant memory."""
    if format not in ("csv", "jsonl"):
        _fail("--format is csv or jsonl.")
    try:
        list_filter = export_filter(archived)
    except ValueError as error:
        _fail(f"--{error}")
    try:
        nested = parse_nested(include)
    except ValueError as error:
        _fail(f"--include: {error}")
    settings = get_settings()

    async def write(sink: BinaryIO) -> int:
        """The export into ``sink``; how many customers it holds."""
        engine = make_engine(settings.database_url)
        records = 0
        try:
            compiled = format == "jsonl" and compiled_reads_on(settings, engine)
            async with engine.connect() as connection:
                if compiled:
                    # Imported here only: loading the API takes half of every command's start.
                    from customer_graph.api.compiled.export import compiled_export_lines

                    chunks = compiled_export_lines(connection, COMMAND_LINE, list_filter, nested)
                else:
                    chunks = export_lines(connection, COMMAND_LINE, list_filter, format, nested)
                async for chunk in chunks:
                    sink.write(chunk)
                    records += chunk.count(b"\n") if format == "jsonl" else 1
        finally:
            await engine.dispose()
        return records - 1 if format == "csv" else records

    if output is None:
        records = asyncio.run(write(sys.stdout.buffer))
    else:
        with output.open("wb") as sink:
            records = asyncio.run(write(sink))
    console.print(f"Exported {records} customers.")


def _print_import_report(report: ImportReport) -> None:
    verb = "Would import" if report.dry_run else "Imported" if report.applied else "Checked"
    console.print(
        f"{verb} {report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected} refused."
    )
    for row in report.rejected_rows[:IMPORT_ERRORS_SHOWN]:
        for error in row.errors:
            where = f"line {row.line}" + (f", {error.column}" if error.column else "")
            console.print(f"  [red]{where}:[/red] {error.message}", highlight=False)
    if report.rejected > IMPORT_ERRORS_SHOWN:
        console.print(f"  … and {report.rejected - IMPORT_ERRORS_SHOWN} more refused rows.")
    if report.rejected and not report.applied and not report.dry_run:
        console.print("[red]Nothing was changed.[/red] Correct the rows and import again.")


@app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The CSV file.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, change nothing.")
    ] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="Keep the good rows when some are refused.")
    ] = False,
    rejected: Annotated[
        Path | None,
        typer.Option(help="Write the refused rows here, with their errors, to fix and retry."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            help="Email of the user who owns and manages new customers whose rows name none "
            "(owner_email, manager_email); without it, such rows are refused."
        ),
    ] = None,
) -> None:
    """Import customers with their tags, contacts and sites from CSV (the export's columns).

    Rows are matched to customers by customer_number and checked by the same rules as the
    app. All or nothing: if any row is refused, nothing changes (unless --partial).
    """
    settings = get_settings()
    _migrate(settings)
    # As the server does at start: what the process built (modules, the schema) is never
    # garbage. Frozen, it is not walked by the full collections that each batch of checked
    # rows sets off: they took a quarter of the time an import of new customers took.
    gc.collect()
    gc.freeze()
    # And young objects are collected after every 50,000 new ones rather than 700: a batch
    # of checked rows is some 30,000 that live until it is staged, walked again each time.
    gc.set_threshold(50_000)
    with file.open(encoding="utf-8-sig", newline="") as counting:
        try:
            total = sum(1 for _ in csv_rows(counting)) - 1
        except (csv.Error, UnicodeDecodeError) as error:
            _fail(f"{file} is not a UTF-8 CSV file: {error}")

    async def run(sink: TextIO | None) -> ImportReport:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                actor = COMMAND_LINE
                if owner is not None:
                    default_owner = await active_user_id(session, owner, "owner")
                    actor = replace(COMMAND_LINE, default_owner_id=default_owner)
                with (
                    file.open(encoding="utf-8-sig", newline="") as lines,
                    Progress(
                        TextColumn("Checking rows" if dry_run else "Importing rows"),
                        BarColumn(),
                        MofNCompleteColumn(),
                        TimeElapsedColumn(),
                        console=console,
                    ) as progress,
                ):
                    task = progress.add_task("import", total=max(total, 0))
                    header_written = False

                    def write_rejected(row: RejectedRow) -> None:
                        nonlocal header_written
                        if sink is None:
                            return
                        if not header_written:
                            sink.write(csv_line([*row.values, "errors"]))
                            header_written = True
                        sink.write(csv_line([*row.values.values(), row.summary()]))

                    report = await import_customers(
                        session,
                        actor,
                        lines,
                        today=date.today(),
                        dry_run=dry_run,
                        partial=partial,
                        progress=lambda n: progress.update(task, completed=n),
                        rejected=write_rejected,
                        feed=broker_for(engine),
                    )
                    return report
        except DomainError as error:
            _fail(error.message)
        finally:
            await engine.dispose()

    if rejected is None:
        report = asyncio.run(run(None))
    else:
        with rejected.open("w", encoding="utf-8", newline="") as sink:
            report = asyncio.run(run(sink))
    _print_import_report(report)
    if report.rejected and not (report.applied or report.dry_run):
        raise typer.Exit(code=1)


@app.command()
def schema() -> None:
    """Print the GraphQL schema (what schema.graphql holds)."""
    from customer_graph.api.schema import sdl

    sys.stdout.write(sdl())


async def _working_demo_sign_ins(session: AsyncSession) -> list[tuple[str, str]]:
    working = []
    for email, password in DEMO_SIGN_INS:
        user = await session.scalar(select(User).where(User.email == email))
        if user is not None and verify_password(password, user.password_hash):
            working.append((email, password))
    return working


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help=f"What the user may do: {ROLE_CHOICES}.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user who signs in with an email and a password."""
    if not password_stdin:
        _fail("Pass --password-stdin and the password on standard input.")
    try:
        given_role = role_named(role)
    except DomainError as error:
        _fail(error.message)
    password = sys.stdin.readline().rstrip("\n")
    settings = get_settings()
    _migrate(settings)

    async def create(session: AsyncSession) -> int:
        return await create_user(
            session, email=email, name=name, role=given_role, password=password
        )

    asyncio.run(_in_session(settings, create))
    console.print(f"Created {SHORT_ROLE_NAMES[given_role]} ({given_role.value}) {email}.")


@user_app.command("sign-out")
def user_sign_out(email: Annotated[str, typer.Argument(help="The user's sign-in email.")]) -> None:
    """End every session of a user: each of their browsers must sign in again."""
    settings = get_settings()

    async def sign_out(session: AsyncSession) -> int:
        return await end_sessions_of(session, email)

    ended = asyncio.run(_in_session(settings, sign_out))
    console.print(f"Ended {ended} session{'' if ended == 1 else 's'} of {email}.")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="The integration the token is for.")],
    scopes: Annotated[
        str, typer.Option(help="read, write and delete (with write), separated by commas")
    ] = "read",
    owner: Annotated[
        str | None,
        typer.Option(
            help="Email of the user who owns and manages the customers the token creates "
            "without naming an owner and a manager; without it, they must be named."
        ),
    ] = None,
) -> None:
    """Create an API token and print it, alone, on standard output: it is shown only once."""
    settings = get_settings()
    _migrate(settings)

    async def create(session: AsyncSession) -> IssuedToken:
        default_owner = None if owner is None else await active_user_id(session, owner, "owner")
        return await create_token(
            session, name=name, scopes=parse_scopes(scopes), default_owner_id=default_owner
        )

    issued = asyncio.run(_in_session(settings, create))
    sys.stdout.write(issued.secret + "\n")
    console.print(f"Token {issued.name!r} ({','.join(sorted(issued.scopes))}) created.")
    if owner is None:
        console.print("Customers it creates must name their owner and manager.")
    else:
        console.print(f"Customers it creates are owned and managed by {owner} unless named.")


@token_app.command("revoke")
def token_revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke a token: requests with it are refused from now on."""
    settings = get_settings()

    async def revoke(session: AsyncSession) -> None:
        await revoke_token(session, name)

    asyncio.run(_in_session(settings, revoke))
    console.print(f"Token {name!r} revoked.")


if __name__ == "__main__":
    app()
