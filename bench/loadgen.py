"""Open-loop load at a fixed rate: requests leave on schedule whether or not earlier ones
have come back, and each latency counts from the moment its request was due, so a
stalled server shows in the percentiles (wrk, closed-loop, would wait politely).

    python bench/loadgen.py --url http://127.0.0.1:8001/graphql --rate 200 --duration 10 \\
        --body-file body.json [--header "Authorization: Bearer ..."]

Prints one JSON object: rate asked and achieved, p50/p95/p99/max in ms, errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit

CONNECTIONS = 64


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def run(url: str, rate: float, duration: float, body: bytes, headers: list[str]) -> dict:
    parts = urlsplit(url)
    request = (
        f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
        + "".join(f"{header}\r\n" for header in headers)
        + f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    due: asyncio.Queue[float | None] = asyncio.Queue()
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while (scheduled := await due.get()) is not None:
            try:
                status = await _exchange(reader, writer, request)
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                continue
            latencies.append(time.perf_counter() - scheduled)
            if status >= 500:
                errors += 1
        writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    total = int(rate * duration)
    for i in range(total):
        scheduled = started + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        due.put_nowait(scheduled)
    for _ in workers:
        due.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        raise SystemExit(f"no request came back ({errors} errors)")

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "rate": rate,
        "achieved": round(len(latencies) / elapsed, 1),
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "max": round(latencies[-1] * 1000, 2),
        "requests": len(latencies),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--header", action="append", default=[])
    options = parser.parse_args()
    with open(options.body_file, "rb") as file:
        body = file.read()
    result = asyncio.run(run(options.url, options.rate, options.duration, body, options.header))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
