"""What a write costs: ours against PostGraphile, requests per second and server CPU.

    .venv/bin/python bench/writes.py [--rounds 5] [--duration 5] [--customers 10000]

createCustomer, updateCustomer and createSite, as ``run.py`` sends them (ours with an API
token, the query limits, permissions, history and the change notification; PostGraphile
trusting its database role), by wrk (closed loop, 8 connections) to each server in turn,
round after round, the order alternating. The machine is noisy, so each round gives a
ratio (ours / PostGraphile) and the report is their median with the lowest and highest.
Before each round the update's keys are read again, so that every update sends the
customer's current version (a stale one would be refused, and cheaper).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    Request,
    Server,
    create_database,
    issue_token,
    log,
    rounds_arguments,
    servers_on,
    write_requests,
    wrk,
)

PORTS = {"ours": 8831, "peer": 8833}
WRITES = ("createCustomer", "updateCustomer", "createSite")


@dataclass
class Figures:
    rps: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "peer": []})
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "peer": []})
    ratios: list[float] = field(default_factory=list)

    def line(self, name: str) -> str:
        ours, peer = (statistics.median(self.rps[kind]) for kind in ("ours", "peer"))
        ours_cpu, peer_cpu = (statistics.median(self.cpu_ms[kind]) for kind in ("ours", "peer"))
        median = statistics.median(self.ratios)
        return (
            f"| {name} | {ours:,.0f} | {peer:,.0f} | {median:.2f}x "
            f"({min(self.ratios):.2f} to {max(self.ratios):.2f}) "
            f"| {ours_cpu:.2f} | {peer_cpu:.2f} |"
        )


def check_answers(servers: dict[str, Server], requests: dict[str, dict[str, Request]]) -> None:
    with httpx.Client(timeout=60) as client:
        for name, by_server in requests.items():
            for kind, request in by_server.items():
                if kind not in servers:
                    continue
                body = request.send(client, servers[kind].url).json()
                payload = (body.get("data") or {}).get(name) or {}
                if body.get("errors") or payload.get("userErrors"):
                    raise SystemExit(f"{name}: {kind} answered {str(body)[:300]}")


def measure(servers: dict[str, Server], database: str, token: str, rounds: int, seconds: float,
            work: Path) -> dict[str, Figures]:  # fmt: skip
    figures = {name: Figures() for name in WRITES}
    requests = write_requests(database, token, work)
    check_answers(servers, requests)
    for name in WRITES:
        for kind in PORTS:
            wrk(servers[kind], requests[name][kind], 1, 8, work)  # warm-up
    for round_number in range(rounds):
        requests = write_requests(database, token, work)
        order = ("ours", "peer") if round_number % 2 == 0 else ("peer", "ours")
        for name in WRITES:
            found = figures[name]
            for kind in order:
                before = servers[kind].cpu_seconds()
                rps, _, _, count, bad = wrk(servers[kind], requests[name][kind], seconds, 8, work)
                if bad:
                    raise SystemExit(f"{name}: {kind} answered {bad} requests with an error status")
                found.rps[kind].append(rps)
                found.cpu_ms[kind].append((servers[kind].cpu_seconds() - before) / count * 1000)
            found.ratios.append(found.rps["ours"][-1] / found.rps["peer"][-1])
            log(f"round {round_number + 1} {name}: ours {found.rps['ours'][-1]:.0f} req/s "
                f"{found.cpu_ms['ours'][-1]:.2f} ms CPU, peer {found.rps['peer'][-1]:.0f} req/s "
                f"{found.cpu_ms['peer'][-1]:.2f} ms CPU")  # fmt: skip
    return figures


def meets(found: Figures) -> bool:
    """The write's targets: at least 0.6x PostGraphile's requests/s (the median round) and
    at most 1 ms of server CPU a write."""
    return statistics.median(found.ratios) >= 0.6 and statistics.median(found.cpu_ms["ours"]) <= 1


def table(figures: dict[str, Figures]) -> str:
    lines = [
        "| write | ours req/s | PostGraphile req/s | ours / PostGraphile, median (lowest to "
        "highest) | ours CPU ms/request | PostGraphile CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [found.line(name) for name, found in figures.items()]
    return "\n".join(lines)


def main() -> None:
    options = rounds_arguments(__doc__.splitlines()[0], "cg_bench_writes").parse_args()
    logs = Path(tempfile.mkdtemp(prefix="cg-writes-"))
    create_database(options.database, options.customers, keep=True)
    token = issue_token(options.database)
    with servers_on(options.database, PORTS, logs) as servers:
        figures = measure(servers, options.database, token, options.rounds, options.duration, logs)
    print(table(figures))


if __name__ == "__main__":
    main()
