"""What refusing an abusive document costs: ours against PostGraphile, server CPU per request.

    .venv/bin/python bench/refusals.py [--rounds 5] [--duration 3]

Each abusive document is sent by wrk (closed loop) to ours and to PostGraphile in turn,
round after round, the order alternating; the server's CPU time comes from /proc, as in
``run.py``. The machine is noisy, so each round gives a ratio (ours / PostGraphile) and
the report is their median with the lowest and highest. A trivial query is measured the
same way: the cost of any request, refused or not.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ops
from run import (
    Request,
    Server,
    create_database,
    issue_token,
    log,
    rounds_arguments,
    servers_on,
    wrk,
)

PORTS = {"ours": 8821, "peer": 8823}


@dataclass
class Document:
    name: str
    ours: str
    peer: str
    refused: bool = True


DOCUMENTS = (
    Document("trivial query (not refused)", "{ __typename }", "{ __typename }", refused=False),
    Document("1,000 aliases", ops.ALIASES, ops.ALIASES),
    Document("10,000 tokens", ops.TOKENS, ops.PEER_TOKENS),
    Document("fragment explosion (19 levels)", ops.FRAGMENTS, ops.PEER_FRAGMENTS),
)


@dataclass
class Figures:
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "peer": []})
    ratios: list[float] = field(default_factory=list)

    def line(self, name: str) -> str:
        ours = statistics.median(self.cpu_ms["ours"])
        peer = statistics.median(self.cpu_ms["peer"])
        median = statistics.median(self.ratios)
        return (
            f"| {name} | {ours:.3f} | {peer:.3f} | {median:.2f}x "
            f"({min(self.ratios):.2f} to {max(self.ratios):.2f}) |"
        )


def requests_for(document: Document, token: str) -> dict[str, Request]:
    return {
        "ours": Request(
            "/graphql",
            json.dumps({"query": document.ours}),
            {"authorization": f"Bearer {token}"},
        ),
        "peer": Request("/graphql", json.dumps({"query": document.peer})),
    }


def check_answers(
    servers: dict[str, Server], document: Document, requests: dict[str, Request]
) -> None:
    with httpx.Client(timeout=60) as client:
        for kind, request in requests.items():
            body = request.send(client, servers[kind].url).json()
            refused = bool(body.get("errors")) and body.get("data") is None
            if kind == "ours" and refused != document.refused:
                raise SystemExit(f"{document.name}: ours answered {str(body)[:300]}")


def cpu_ms_per_request(server: Server, request: Request, seconds: float, work: Path) -> float:
    before = server.cpu_seconds()
    _, _, _, count, _ = wrk(server, request, seconds, 8, work)
    return (server.cpu_seconds() - before) / max(count, 1) * 1000


def measure(servers: dict[str, Server], token: str, documents: Sequence[Document],
            rounds: int, seconds: float, work: Path) -> dict[str, Figures]:  # fmt: skip
    figures: dict[str, Figures] = {}
    all_requests = {document.name: requests_for(document, token) for document in documents}
    for document in documents:
        check_answers(servers, document, all_requests[document.name])
        for kind, request in all_requests[document.name].items():
            wrk(servers[kind], request, 1, 8, work)  # warm-up
    for round_number in range(rounds):
        order = ("ours", "peer") if round_number % 2 == 0 else ("peer", "ours")
        for document in documents:
            found = figures.setdefault(document.name, Figures())
            spent = {
                kind: cpu_ms_per_request(
                    servers[kind], all_requests[document.name][kind], seconds, work
                )
                for kind in order
            }
            for kind, ms in spent.items():
                found.cpu_ms[kind].append(ms)
            found.ratios.append(spent["ours"] / spent["peer"])
            log(f"round {round_number + 1} {document.name}: ours {spent['ours']:.3f} ms, "
                f"peer {spent['peer']:.3f} ms CPU/request")  # fmt: skip
    return figures


def table(figures: dict[str, Figures]) -> str:
    lines = [
        "| document | ours CPU ms/request | PostGraphile CPU ms/request "
        "| ours / PostGraphile, median (lowest to highest) |",
        "|---|---:|---:|---:|",
    ]
    lines += [found.line(name) for name, found in figures.items()]
    return "\n".join(lines)


def run(database: str, customers: int, documents: list[Document], rounds: int,
        seconds: float) -> dict[str, Figures]:  # fmt: skip
    logs = Path(tempfile.mkdtemp(prefix="cg-refusals-"))
    create_database(database, customers, keep=True)
    token = issue_token(database)
    with servers_on(database, PORTS, logs) as servers:
        return measure(servers, token, documents, rounds, seconds, logs)


def main() -> None:
    parser = rounds_arguments(
        __doc__.splitlines()[0], "cg_bench_refusals", customers=100, duration=3.0
    )
    parser.add_argument(
        "--only", action="append", help="Only the documents whose name has this (repeatable)."
    )
    options = parser.parse_args()
    documents = [d for d in DOCUMENTS if not options.only or any(o in d.name for o in options.only)]
    figures = run(options.database, options.customers, documents, options.rounds, options.duration)
    print(table(figures))


if __name__ == "__main__":
    main()
