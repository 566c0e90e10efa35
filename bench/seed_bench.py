"""How fast the demo seed fills PostgreSQL.

    python bench/seed_bench.py --customers 10000

Creates a throwaway database, migrates it, seeds it, prints the figures and drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid

import psycopg
from psycopg import sql

from customer_graph.db.engine import make_engine
from customer_graph.db.migrate import upgrade
from customer_graph.db.seed import SeedSummary, seed_demo

ADMIN_DSN = os.environ.get(
    "CUSTOMER_GRAPH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin(statement: sql.Composed) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(statement)


def _url(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    host = info.get("host", "127.0.0.1")
    port = info.get("port", "5432")
    user = info.get("user", "postgres")
    return f"postgresql+psycopg://{user}@{host}:{port}/{dbname}"


async def _seed(url: str, customers: int, seed: int) -> SeedSummary:
    engine = make_engine(url)
    try:
        return await seed_demo(engine, customers=customers, seed=seed)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    dbname = f"cg_seed_bench_{uuid.uuid4().hex[:8]}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        url = _url(dbname)
        upgrade(url)
        summary = asyncio.run(_seed(url, args.customers, args.seed))
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
    print(f"customers: {summary.customers}")
    print(f"rows:      {summary.rows}")
    print(f"seconds:   {summary.seconds:.2f}")
    print(f"rows/s:    {summary.rows / summary.seconds:,.0f}")


if __name__ == "__main__":
    main()
