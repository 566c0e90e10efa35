"""The app's first load on a slow link: bytes over the wire, and time to the first rows.

    make bench-first-load                          # 5 rounds at 1.6 Mbps down, 150 ms
    .venv/bin/python bench/first_load.py --rounds 9 --check

A real ``customer-graph serve`` on a fresh embedded database with demo customers (the built
app, as `make frontend` leaves it); Debian's chromium driven by playwright, with the link
set by the DevTools protocol (``Network.emulateNetworkConditions``). Each round is a fresh
browser context (an empty cache) holding a signed-in session's cookie, which opens
/customers: the bytes are everything received until the list's first rows are on screen
(pages, scripts, styles, API answers and live-update frames, headers included), the time
runs from the navigation to those rows. Prints the median and the spread of each, and
whether the targets hold (300 KB, 4 s); ``--check`` exits 1 when one does not.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "src" / "customer_graph" / "web" / "static" / "index.html"
SIGN_IN = ("manager@example.com", "manager-demo-pass")
FIRST_ROWS = "tbody tr a[href^='/customers/']"

TARGET_BYTES = 300 * 1024
TARGET_SECONDS = 4.0


@dataclass(frozen=True)
class Link:
    """A network link as the DevTools protocol emulates it."""

    down_kbps: float = 1600
    up_kbps: float = 750
    latency_ms: float = 150

    def conditions(self) -> dict[str, Any]:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbps * 1000 / 8,
            "uploadThroughput": self.up_kbps * 1000 / 8,
        }

    def __str__(self) -> str:
        return (
            f"{self.down_kbps / 1000:g} Mbps down, {self.up_kbps:g} kbps up, {self.latency_ms:g} ms"
        )


@dataclass
class Load:
    """One first load: what crossed the wire and when the rows appeared."""

    seconds: float
    bytes: int
    requests: int
    encodings: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(customers: int) -> Iterator[str]:
    """``customer-graph serve`` on a fresh embedded database with ``customers`` demo customers."""
    if not BUILT.exists():
        raise SystemExit("The app is not built: run `make frontend`.")
    with tempfile.TemporaryDirectory(prefix="first-load-") as work:
        port = free_port()
        environment = os.environ | {
            "CUSTOMER_GRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{work}/first-load.db",
            "CUSTOMER_GRAPH_PORT": str(port),
            "CUSTOMER_GRAPH_DEMO_CUSTOMERS": str(customers),
            "CUSTOMER_GRAPH_ACCESS_LOG": "false",
        }
        log = Path(work) / "server.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "customer_graph.cli", "serve"],
                cwd=work,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"The server did not start:\n{log.read_text()}")
                time.sleep(0.25)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def session_cookies(url: str) -> list[dict[str, Any]]:
    """A signed-in session's cookies, for each round's fresh context."""
    response = httpx.post(f"{url}/auth/login", json={"email": SIGN_IN[0], "password": SIGN_IN[1]})
    response.raise_for_status()
    return [
        {"name": cookie.name, "value": cookie.value or "", "url": url}
        for cookie in response.cookies.jar
    ]


def first_load(browser: Browser, url: str, link: Link | None) -> Load:
    """Open /customers in a fresh context over ``link`` (None: unthrottled)."""
    context = browser.new_context(viewport={"width": 1366, "height": 860})
    try:
        context.add_cookies(session_cookies(url))  # type: ignore[arg-type]
        page = context.new_page()
        page.set_default_timeout(60_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if link is not None:
            cdp.send("Network.emulateNetworkConditions", link.conditions())
        received: dict[str, int] = {}
        frames: list[int] = []
        encodings: dict[str, str] = {}
        urls: dict[str, str] = {}

        def on_response(event: dict[str, Any]) -> None:
            response = event["response"]
            urls[event["requestId"]] = response["url"]
            headers = {name.lower(): value for name, value in response["headers"].items()}
            encodings[response["url"]] = headers.get("content-encoding", "")

        def on_finished(event: dict[str, Any]) -> None:
            received[event["requestId"]] = int(event["encodedDataLength"])

        def on_frame(event: dict[str, Any]) -> None:
            frames.append(len(event["response"]["payloadData"].encode()))

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        cdp.on("Network.webSocketFrameReceived", on_frame)

        started = time.perf_counter()
        page.goto(f"{url}/customers", wait_until="commit")
        page.wait_for_selector(FIRST_ROWS, state="visible")
        seconds = time.perf_counter() - started
        total = sum(received.values()) + sum(frames)
        return Load(seconds, total, len(received), encodings)
    finally:
        context.close()


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f}, min {min(values):.2f}, max {max(values):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--down-kbps", type=float, default=1600)
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    link = Link(down_kbps=options.down_kbps, latency_ms=options.latency_ms)
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed: run `make browser-deps`.")

    with serve(options.customers) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            first_load(browser, url, None)  # the server's first answers warm its caches
            loads = [first_load(browser, url, link) for _ in range(options.rounds)]
        finally:
            browser.close()

    kilobytes = [load.bytes / 1024 for load in loads]
    seconds = [load.seconds for load in loads]
    plain = sorted(
        address
        for address, coding in loads[-1].encodings.items()
        if "/assets/" in address and coding not in ("br", "gzip")
    )
    bytes_ok = statistics.median(kilobytes) * 1024 <= TARGET_BYTES
    time_ok = statistics.median(seconds) <= TARGET_SECONDS
    print(f"first load of /customers, {options.rounds} rounds, {link}:")
    print(f"  over the wire: {spread(kilobytes)} KB in {loads[-1].requests} requests")
    print(f"  first rows:    {spread(seconds)} s")
    print(
        f"  targets: <= {TARGET_BYTES // 1024} KB {'met' if bytes_ok else 'MISSED'}, "
        f"<= {TARGET_SECONDS:g} s {'met' if time_ok else 'MISSED'}"
    )
    if plain:
        print(f"  sent without compression: {', '.join(plain)}")
    return 0 if (bytes_ok and time_ok) or not options.check else 1


if __name__ == "__main__":
    sys.exit(main())
