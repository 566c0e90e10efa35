"""Where our server's time goes under load, for one benchmark operation.

    .venv/bin/python bench/profile_server.py detail [--seconds 8] [--concurrency 16]

Uses the database `make bench` left (or seeds one), runs wrk against `customer-graph
serve` as the benchmark does and samples the server with py-spy meanwhile; prints the
share of samples by library (the innermost frame outside the standard library decides)
and the heaviest functions of our own code. The raw samples stay in the printed folder
for `py-spy`'s flame graphs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ops
import run
from sampling import sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [op.name for op in ops.OPS] + ["detail page", "createCustomer", "updateCustomer",
                                          "createSite"]  # fmt: skip
    parser.add_argument("operation", choices=names)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", default="cg_bench")
    parser.add_argument("--customers", type=int, default=300)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cg-profile-"))
    run.create_database(options.database, options.customers, keep=True)
    run.add_peer_figures(options.database)
    token = run.issue_token(options.database)
    servers = {kind: run.start(kind, options.database, run.PORTS[kind], work)
               for kind in run.SERVERS}  # fmt: skip
    run.URLS.update({kind: server.url for kind, server in servers.items()})
    try:
        client = httpx.Client(timeout=120)
        if options.operation == "detail page":
            request = run.graphql_request(
                ops.spa_detail_document(), ops.DETAIL_PAGE.ours_variables(None), token
            )
        elif options.operation in {op.name for op in ops.OPS}:
            op = next(op for op in ops.OPS if op.name == options.operation)
            request = run.read_requests(op, token, client)["ours"]
        else:
            writes = run.write_requests(options.database, token, work)
            request = writes[options.operation]["ours"]
        ours = servers.pop("ours")
        for server in servers.values():
            server.stop()
        run.wrk(ours, request, 2, options.concurrency, work)
        cpu = ours.cpu_seconds()
        profile = sample(
            ours.process.pid,
            options.seconds,
            lambda: run.wrk(ours, request, options.seconds + 1, options.concurrency, work),
            work / "samples.raw",
        )
        spent = ours.cpu_seconds() - cpu
        ours.stop()
    finally:
        for server in servers.values():
            server.stop()

    total = profile.samples
    print(f"{options.operation}: {total} samples, server CPU {spent:.1f} s; raw: {profile.raw}")
    for name, count in profile.by_library.most_common():
        print(f"  {name:16} {count / total:6.1%}")
    print("heaviest of our own functions (innermost of ours on the stack):")
    for name, count in profile.own.most_common(12):
        print(f"  {count / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
