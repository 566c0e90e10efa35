"""Import then export 100,000 customers through the CLI; print wall time and peak memory.

Each command runs in its own process, as a person would run it, and its peak resident set
(VmHWM, from the kernel's rusage of the child) is what is printed. Memory must stay flat
as rows grow: run with ``--rows 10000`` and ``--rows 100000`` and compare.

    .venv/bin/python bench/import_export_bench.py [--rows 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def write_file(path: Path, rows: int) -> None:
    """``rows`` customers, each with two tags, a contact and a site; written as it goes."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            writer.writerow(
                (
                    f"B-{n:07d}",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        help="Database to use (default: a new SQLite file). It must not hold these numbers.",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as directory:
        work = Path(directory)
        url = options.database_url or f"sqlite+aiosqlite:///{work / 'bench.db'}"
        env = os.environ | {"CUSTOMER_GRAPH_DATABASE_URL": url}
        source, exported = work / "customers.csv", work / "exported.csv"
        started = time.perf_counter()
        write_file(source, options.rows)
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
