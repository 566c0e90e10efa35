"""What a read costs: ours against the floor and PostGraphile, in interleaved rounds.

    .venv/bin/python bench/reads.py [--rounds 5] [--duration 5] [--customers 10000]

The list, detail and partner reads, as ``run.py`` sends them (ours with an API token, the
query limits, cost and permissions; the floor plain Starlette and psycopg; PostGraphile
trusting its database role), by wrk (closed loop, each operation's concurrency) to each
server in turn, round after round, the order rotating. The machine is noisy, so each round
gives a ratio (ours / floor and ours / PostGraphile), and the report is each ratio's
median with the lowest and highest. Every read is answered by all three and compared
before it is timed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ops
import run
from run import (
    Request,
    Server,
    create_database,
    issue_token,
    log,
    read_requests,
    rounds_arguments,
    servers_on,
    wrk,
)

PORTS = {"ours": 8841, "floor": 8842, "peer": 8843}
TARGETS = {"list": 1.5, "detail": 1.2, "partner": 2.0}
"""Ours / PostGraphile each read should reach; ours / floor should reach 0.8."""
FLOOR_TARGET = 0.8


@dataclass
class Figures:
    rps: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in PORTS})
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in PORTS})

    def ratios(self, other: str) -> list[float]:
        pairs = zip(self.rps["ours"], self.rps[other], strict=True)
        return [ours / theirs for ours, theirs in pairs]

    def line(self, name: str) -> str:
        rps = {kind: statistics.median(values) for kind, values in self.rps.items()}
        cpu = {kind: statistics.median(values) for kind, values in self.cpu_ms.items()}
        floor, peer = self.ratios("floor"), self.ratios("peer")
        return (
            f"| {name} | {rps['ours']:,.0f} | {rps['floor']:,.0f} | {rps['peer']:,.0f} "
            f"| {statistics.median(floor):.2f}x ({min(floor):.2f} to {max(floor):.2f}) "
            f"| {statistics.median(peer):.2f}x ({min(peer):.2f} to {max(peer):.2f}) "
            f"| {cpu['ours']:.2f}, {cpu['floor']:.2f}, {cpu['peer']:.2f} |"
        )

    def meets(self, name: str) -> bool:
        return (
            statistics.median(self.ratios("peer")) >= TARGETS[name]
            and statistics.median(self.ratios("floor")) >= FLOOR_TARGET
        )


def measure(servers: dict[str, Server], token: str, rounds: int, seconds: float,
            work: Path) -> dict[str, Figures]:  # fmt: skip
    figures: dict[str, Figures] = {}
    requests: dict[str, dict[str, Request]] = {}
    # ``run`` as this module imports it: when ``run.py`` is the main script, a second copy.
    run.URLS.update({kind: server.url for kind, server in servers.items()})
    with httpx.Client(timeout=120) as client:
        for op in ops.OPS:
            requests[op.name] = read_requests(op, token, client)
            run.check_equal(op, requests[op.name], client)
            figures[op.name] = Figures()
    concurrency = {op.name: op.concurrency for op in ops.OPS}
    for name, by_server in requests.items():
        for kind in PORTS:
            wrk(servers[kind], by_server[kind], 1, concurrency[name], work)  # warm-up
    kinds = list(PORTS)
    for round_number in range(rounds):
        order = kinds[round_number % 3 :] + kinds[: round_number % 3]
        for name, by_server in requests.items():
            found = figures[name]
            for kind in order:
                before = servers[kind].cpu_seconds()
                rps, _, _, count, bad = wrk(
                    servers[kind], by_server[kind], seconds, concurrency[name], work
                )
                if bad:
                    raise SystemExit(f"{name}: {kind} answered {bad} requests with an error status")
                found.rps[kind].append(rps)
                found.cpu_ms[kind].append((servers[kind].cpu_seconds() - before) / count * 1000)
            log(
                f"round {round_number + 1} {name}: "
                + ", ".join(
                    f"{kind} {found.rps[kind][-1]:.0f} req/s {found.cpu_ms[kind][-1]:.2f} ms CPU"
                    for kind in kinds
                )
            )
    return figures


def table(figures: dict[str, Figures]) -> str:
    lines = [
        "| read | ours req/s | floor req/s | PostGraphile req/s | ours / floor, median "
        "(lowest to highest) | ours / PostGraphile, median (lowest to highest) "
        "| CPU ms/request (ours, floor, PostGraphile) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    lines += [found.line(name) for name, found in figures.items()]
    return "\n".join(lines)


def main() -> None:
    options = rounds_arguments(__doc__.splitlines()[0], "cg_bench_reads").parse_args()
    logs = Path(tempfile.mkdtemp(prefix="cg-reads-"))
    create_database(options.database, options.customers, keep=True)
    run.add_peer_figures(options.database)
    token = issue_token(options.database)
    with servers_on(options.database, PORTS, logs) as servers:
        figures = measure(servers, token, options.rounds, options.duration, logs)
    print(table(figures))
    for name, found in figures.items():
        print(f"{name}: targets {'met' if found.meets(name) else 'not met'}")


if __name__ == "__main__":
    main()
