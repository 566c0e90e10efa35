"""``customer-graph``: serve, migrate, seed demo data, print the schema."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select

from customer_graph.db.engine import make_engine
from customer_graph.db.migrate import upgrade
from customer_graph.db.models import Customer
from customer_graph.settings import Settings, get_settings

app = typer.Typer(help="One customer, seen whole: a GraphQL API and app.", no_args_is_help=True)
console = Console(stderr=True)


def _migrate(settings: Settings) -> None:
    upgrade(settings.sync_database_url)


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
    """Bring the database to the newest schema."""
    settings = get_settings()
    _migrate(settings)
    console.print("Database is up to date.")


@app.command()
def seed(
    customers: Annotated[int, typer.Option(min=1, help="How many customers to add.")] = 200,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 1,
) -> None:
    """Add realistic demo customers with everything linked to them."""
    settings = get_settings()
    _migrate(settings)
    asyncio.run(_seed(settings, customers, seed))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the app. On the embedded database: migrate, and seed demo data when empty."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if settings.is_sqlite:
        _migrate(settings)
        if settings.demo_customers and asyncio.run(_count_customers(settings)) == 0:
            asyncio.run(_seed(settings, settings.demo_customers, 1))
    console.print(f"customer_graph is serving at [bold]http://{host}:{port}/[/bold]")
    console.print(f"GraphiQL: http://{host}:{port}/graphql")
    uvicorn.run(
        "customer_graph.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
    )


@app.command()
def schema() -> None:
    """Print the GraphQL schema (what schema.graphql holds)."""
    from customer_graph.api.schema import sdl

    sys.stdout.write(sdl())
