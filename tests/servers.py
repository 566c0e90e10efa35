"""Real ``customer-graph`` server processes for tests that need one: a port, a database,
the CLI to prepare it, and a clean stop."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

CLI = [sys.executable, "-m", "customer_graph.cli"]


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(database_url: str, *args: str, **env: str) -> str:
    """Run a CLI command on ``database_url``; its standard output."""
    environment = os.environ | {"CUSTOMER_GRAPH_DATABASE_URL": database_url, **env}
    done = subprocess.run([*CLI, *args], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"customer-graph {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


@contextlib.contextmanager
def run_server(workdir: Path, database_url: str, **env: str) -> Iterator[Server]:
    """``customer-graph serve`` in ``workdir`` on ``database_url``, until the block ends;
    ``env`` adds settings (``CUSTOMER_GRAPH_*``)."""
    port = free_port()
    environment = os.environ | {
        "CUSTOMER_GRAPH_DATABASE_URL": database_url,
        "CUSTOMER_GRAPH_PORT": str(port),
        **env,
    }
    log_path = workdir / f"server-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*CLI, "serve"], cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"server did not start: {log_path.read_text()}")
            time.sleep(0.25)
        try:
            yield Server(url, database_url, log_path)
        finally:
            process.terminate()
            process.wait(timeout=10)
