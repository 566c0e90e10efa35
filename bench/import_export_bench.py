"""Import then export 100,000 customers through the CLI; print wall time and peak memory.

Each command runs in its own process, as a person would run it, and its peak resident set
(VmHWM, from the kernel's rusage of the child) is what is printed. Memory must stay flat
as rows grow: run with ``--rows 10000`` and ``--rows 100000`` and compare.

``--create-during`` also serves the database with ``customer-graph serve`` and, while the
import runs, creates customers through the API one after another: it prints how long each
took (median, 95th percentile, slowest), the figure a person adding a customer during
someone's import notices. ``--unnumbered`` leaves the file's numbers out, so the import
numbers every row as the API numbers the customers created meanwhile.

    .venv/bin/python bench/import_export_bench.py [--rows 100000] [--database-url URL]
        [--create-during] [--unnumbered]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
HEADER = (
    "customer_number",
    "name",
    "segment",
    "email",
    "city",
    "country",
    "owner_email",
    "manager_email",
    "tags",
    "contacts",
    "sites",
)


def write_file(path: Path, rows: int, *, numbered: bool = True) -> None:
    """``rows`` customers, each with two tags, a contact and a site; written as it goes."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            writer.writerow(
                (
                    f"B-{n:07d}" if numbered else "",
                    f"Bench Customer {n}",
                    ("SMB", "STARTUP", "ENTERPRISE")[n % 3],
                    f"office{n}@bench.example",
                    "Springfield",
                    "US",
                    "owner@bench.example",
                    "owner@bench.example",
                    json.dumps(["bench", f"group-{n % 50}"]),
                    json.dumps([{"name": f"Contact {n}", "email": f"c{n}@bench.example"}]),
                    json.dumps([{"name": "Head office", "city": "Springfield", "country": "US"}]),
                )
            )


def run(label: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one command; its wall time in seconds and its own peak memory in MiB."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-2000:].decode(errors="replace")
            sys.exit(f"{label} failed ({process.returncode}):\n{tail}")
    return seconds, usage.ru_maxrss / 1024


CREATE = """mutation($name: String!) { createCustomer(input: {name: $name}) {
  customer { customerNumber } userErrors { code message } } }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(env: dict[str, str], cli: str) -> Iterator[str]:
    """``customer-graph serve`` on the database; its URL."""
    port = _free_port()
    server = subprocess.Popen(
        [cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait()


def create_during(label: str, args: list[str], env: dict[str, str], url: str, token: str) -> None:
    """Run the import; meanwhile create customers through the API, and print their times."""
    import_process = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    took: list[float] = []
    refused: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=600) as client:
        while import_process.poll() is None:
            started = time.perf_counter()
            body = client.post(
                "/graphql", json={"query": CREATE, "variables": {"name": f"During {len(took)}"}}
            ).json()
            took.append(time.perf_counter() - started)
            errors = body.get("errors") or body["data"]["createCustomer"]["userErrors"]
            if errors:
                refused.append(str(errors[0]))
            time.sleep(0.05)
    if import_process.returncode != 0:
        sys.exit(f"{label} failed ({import_process.returncode})")
    ms = sorted(1000 * t for t in took)
    print(
        f"createCustomer during the {label}: {len(ms)} made, "
        f"median {statistics.median(ms):.0f} ms, "
        f"p95 {ms[int(0.95 * (len(ms) - 1))]:.0f} ms, slowest {ms[-1]:.0f} ms; "
        f"{len(refused)} refused{': ' + refused[0] if refused else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        help="Database to use (default: a new SQLite file). It must not hold these numbers.",
    )
    parser.add_argument("--create-during", action="store_true")
    parser.add_argument("--unnumbered", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as directory:
        work = Path(directory)
        url = options.database_url or f"sqlite+aiosqlite:///{work / 'bench.db'}"
        env = os.environ | {
            "CUSTOMER_GRAPH_DATABASE_URL": url,
            "CUSTOMER_GRAPH_SECRET_KEY": os.environ.get(
                "CUSTOMER_GRAPH_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghij"
            ),
        }
        source, exported = work / "customers.csv", work / "exported.csv"
        started = time.perf_counter()
        write_file(source, options.rows, numbered=not options.unnumbered)
        print(
            f"Wrote {options.rows:,} rows ({source.stat().st_size / 2**20:.1f} MiB) "
            f"in {time.perf_counter() - started:.1f} s; database {url.split(':', 1)[0]}"
        )
        cli = str(BIN / "customer-graph")
        subprocess.run(
            [cli, "user", "create", "--email", "owner@bench.example", "--name", "Bench Owner",
             "--role", "SALES_MANAGER", "--password-stdin"],
            input="bench-owner-password\n", env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        if options.create_during:
            token = subprocess.run(
                [cli, "token", "create", "--name", "bench-during", "--scopes", "read,write",
                 "--owner", "owner@bench.example"],
                env=env, check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            with serving(env, cli) as url:
                create_during("import", [cli, "import", str(source)], env, url, token)
            return
        figures = [
            ("import", *run("import", [cli, "import", str(source)], env)),
            ("export csv", *run("export", [cli, "export", "--output", str(exported)], env)),
            ("re-import (unchanged)", *run("re-import", [cli, "import", str(exported)], env)),
        ]
        print(f"{'command':<24}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MiB':>10}")
        for label, seconds, peak in figures:
            print(
                f"{label:<24}{options.rows:>10,}{seconds:>10.1f}"
                f"{options.rows / seconds:>10,.0f}{peak:>10.0f}"
            )


if __name__ == "__main__":
    main()
