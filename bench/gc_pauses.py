"""Collector pauses: sequential nested page-50 reads, their latency and the collections behind it.

    .venv/bin/python bench/gc_pauses.py [--databases sqlite postgresql] [--requests 400]
        [--rounds 3] [--customers 500] [--variant NAME=ENV=VALUE ...]

Per database: a throwaway database seeded by `customer-graph seed`; then, round after
round, `customer-graph serve` (one process) started once per variant, the order alternating
between rounds. Each server gets a warm-up, then `--requests` sequential reads of one page
of 50 customers with their contacts, sites with assets, and projects (the partner document
at 50 per page), one at a time on a kept-alive connection. The server times each garbage
collection (`CUSTOMER_GRAPH_GC_LOG`); the collections that started during the measured
requests are counted per generation, with the longest and the most one request paid.

A variant is extra environment for the server, e.g. `--variant thresholds=
CUSTOMER_GRAPH_GC_THRESHOLD=...`; the default compares the server as it is to itself.
Prints per run p50/p95/p99/max ms, then per database and variant the median over rounds
with the lowest and highest.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import ops  # noqa: E402
import run  # noqa: E402

BIN = Path(sys.executable).parent
DOCUMENT = ops.OURS_PARTNER.replace("customers(first: 100", "customers(first: 50")
PG_DATABASE = "cg_gc_pauses"


@dataclass
class Result:
    database: str
    variant: str
    latencies_ms: list[float]
    collections: list[int]
    """Collections per generation that started during the measured requests."""
    longest_ms: float
    longest_generation: int
    most_per_request_ms: float
    """The most collection time one request paid (collections that started during it)."""
    longest_cpu_ms: float
    """The same by the CPU time the collector took: what the wall clock adds on top is
    time waiting for a core on a busy machine."""
    most_cpu_per_request_ms: float

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    def line(self) -> str:
        p50, p95, p99 = (self.percentile(p) for p in (0.5, 0.95, 0.99))
        return (
            f"{self.database:10} {self.variant:12} p50 {p50:6.1f}  p95 {p95:6.1f}  "
            f"p99 {p99:6.1f}  max {max(self.latencies_ms):6.1f} ms  p99/p50 {p99 / p50:4.2f}  "
            f"collections gen0/1/2 {'/'.join(map(str, self.collections))}  "
            f"longest {self.longest_ms:5.1f} ms (gen {self.longest_generation}; "
            f"CPU {self.longest_cpu_ms:5.1f})  most in one request "
            f"{self.most_per_request_ms:5.1f} ms (CPU {self.most_cpu_per_request_ms:5.1f})"
        )


def environment(database: str, work: Path) -> dict[str, str]:
    if database == "sqlite":
        url = f"sqlite+aiosqlite:///{work}/gc-pauses.db"
    else:
        url = run.database_url(PG_DATABASE, "postgresql+psycopg")
    return os.environ | {
        "CUSTOMER_GRAPH_DATABASE_URL": url,
        "CUSTOMER_GRAPH_SECRET_KEY": run.SECRET,
        "CUSTOMER_GRAPH_ACCESS_LOG": "false",
        "CUSTOMER_GRAPH_DEMO_CUSTOMERS": "0",
    }


def prepare(database: str, customers: int, work: Path) -> str:
    """Seed the database; a read token for it."""
    env = environment(database, work)
    cli = str(BIN / "customer-graph")
    if database == "sqlite":
        subprocess.run([cli, "seed", "--customers", str(customers), "--seed", "1"],
                       env=env, cwd=work, check=True, capture_output=True)  # fmt: skip
    else:
        run.create_database(PG_DATABASE, customers, keep=False)
    result = subprocess.run(
        [cli, "token", "create", "--name", f"gc-{time.time_ns()}", "--scopes", "read"],
        env=env, cwd=work, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[0]


@contextlib.contextmanager
def serving(database: str, work: Path, extra: dict[str, str], gc_log: Path) -> Iterator[str]:
    port = 8831
    env = environment(database, work) | extra | {"CUSTOMER_GRAPH_GC_LOG": str(gc_log)}
    log_file = work / "server.log"
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            [str(BIN / "customer-graph"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=work, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"The server did not start:\n{log_file.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def measure(
    database: str,
    variant: str,
    extra: dict[str, str],
    token: str,
    work: Path,
    options: argparse.Namespace,
) -> Result:
    gc_log = work / f"gc-{time.time_ns()}.jsonl"
    body = json.dumps({"query": DOCUMENT, "variables": {"after": None}})
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    spans: list[tuple[float, float]] = []
    with serving(database, work, extra, gc_log) as url, httpx.Client(timeout=60) as client:
        for i in range(options.warmup + options.requests):
            started = time.monotonic()
            response = client.post(f"{url}/graphql", content=body, headers=headers)
            ended = time.monotonic()
            answer = response.json()
            if response.status_code != 200 or answer.get("errors"):
                raise SystemExit(f"{response.status_code}: {response.text[:500]}")
            if i >= options.warmup:
                spans.append((started, ended))
    collections = [json.loads(line) for line in gc_log.read_text().splitlines()]
    collections = [c for c in collections if "summary" not in c]
    window_start, window_end = spans[0][0], spans[-1][1]
    counts = [0, 0, 0]
    longest = (0.0, 0)
    longest_cpu = 0.0
    per_request = [0.0] * len(spans)
    cpu_per_request = [0.0] * len(spans)
    starts = [start for start, _ in spans]
    for c in collections:
        if not window_start <= c["start"] <= window_end:
            continue
        counts[c["generation"]] += 1
        longest = max(longest, (c["seconds"] * 1000, c["generation"]))
        longest_cpu = max(longest_cpu, c["cpu_seconds"] * 1000)
        index = bisect.bisect_right(starts, c["start"]) - 1
        if index >= 0 and c["start"] <= spans[index][1]:
            per_request[index] += c["seconds"] * 1000
            cpu_per_request[index] += c["cpu_seconds"] * 1000
    return Result(
        database,
        variant,
        [(end - start) * 1000 for start, end in spans],
        counts,
        longest[0],
        longest[1],
        max(per_request),
        longest_cpu,
        max(cpu_per_request),
    )


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite"],
                        choices=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=VAR=VALUE[,VAR=VALUE]: extra server environment")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    options = parser.parse_args()
    variants: dict[str, dict[str, str]] = {"as is": {}}
    for spec in options.variant:
        name, _, assignments = spec.partition("=")
        variants[name] = dict(a.split("=", 1) for a in assignments.split(",") if a)
    work = Path(tempfile.mkdtemp(prefix="gc-pauses-"))
    results: list[Result] = []
    try:
        for database in options.databases:
            token = prepare(database, options.customers, work)
            for round_ in range(options.rounds):
                order = list(variants.items())
                if round_ % 2:
                    order.reverse()
                for name, extra in order:
                    result = measure(database, name, extra, token, work, options)
                    print(result.line(), flush=True)
                    results.append(result)
    finally:
        if options.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\nmedian over rounds (lowest-highest):")
    for database in options.databases:
        for name in variants:
            mine = [r for r in results if r.database == database and r.variant == name]
            p50 = [r.percentile(0.5) for r in mine]
            p99 = [r.percentile(0.99) for r in mine]
            print(
                f"{database:10} {name:12} p50 {spread(p50)}  p99 {spread(p99)}  "
                f"p99/p50 {spread([b / a for a, b in zip(p50, p99, strict=True)])}  "
                f"max {spread([max(r.latencies_ms) for r in mine])}  "
                f"longest collection {spread([r.longest_ms for r in mine])} ms  "
                f"most in one request {spread([r.most_per_request_ms for r in mine])} ms  "
                f"longest by CPU {spread([r.longest_cpu_ms for r in mine])} ms  "
                f"most CPU in one request {spread([r.most_cpu_per_request_ms for r in mine])} ms  "
                f"gen2 collections {spread([float(r.collections[2]) for r in mine])}"
            )


if __name__ == "__main__":
    main()
