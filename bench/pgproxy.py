"""A TCP proxy in front of PostgreSQL that counts the statements its clients send: each
simple Query ('Q') and each Execute ('E') of the extended protocol (whose text comes from
the Parse its Bind names). Statements that do the work are counted apart from transaction
control and connection checks (BEGIN, COMMIT, ROLLBACK, SET, a pool's ``;`` or ``SELECT 1``).
Used only for the counting pass; the timed runs talk to PostgreSQL directly.
"""

from __future__ import annotations

import asyncio
import struct
import threading

SPECIAL_REQUESTS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: answered, then startup
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION", "SET ", "RESET ", "DISCARD ",
           "SHOW ", "SAVEPOINT ", "RELEASE ")  # fmt: skip


def is_control(text: str) -> bool:
    statement = text.strip().rstrip(";").strip().upper()
    return statement.startswith(CONTROL) or statement in ("", "SELECT 1")


def _cstrings(body: bytes, count: int) -> list[str]:
    parts = body.split(b"\0", count)
    return [part.decode(errors="replace") for part in parts[:count]]


class StatementCounter:
    def __init__(self, upstream_port: int, port: int) -> None:
        self.upstream_port = upstream_port
        self.port = port
        self.statements = 0
        """Statements that do the work."""
        self.control = 0
        """Transaction control and connection checks."""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait()

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            await asyncio.start_server(self._client, "127.0.0.1", self.port)
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)

        async def pipe_down() -> None:
            while data := await up_reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()

        down = asyncio.create_task(pipe_down())
        try:
            while True:  # untyped: SSL/GSS requests, then the startup message
                head = await reader.readexactly(8)
                length, code = struct.unpack("!ii", head)
                up_writer.write(head + await reader.readexactly(length - 8))
                await up_writer.drain()
                if code not in SPECIAL_REQUESTS:
                    break
            prepared: dict[str, str] = {}
            portals: dict[str, str] = {}
            while True:
                head = await reader.readexactly(5)
                kind, length = head[:1], struct.unpack("!i", head[1:])[0]
                body = await reader.readexactly(length - 4)
                if kind == b"P":
                    name, text = _cstrings(body, 2)
                    prepared[name] = text
                elif kind == b"B":
                    portal, name = _cstrings(body, 2)
                    portals[portal] = prepared.get(name, "")
                elif kind in (b"Q", b"E"):
                    text = _cstrings(body, 1)[0] if kind == b"Q" else portals.get(
                        _cstrings(body, 1)[0], "")  # fmt: skip
                    if is_control(text):
                        self.control += 1
                    else:
                        self.statements += 1
                up_writer.write(head + body)
                await up_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            up_writer.close()
            down.cancel()
