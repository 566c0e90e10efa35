"""Request bodies: none larger than the cap is read, and a client that leaves mid-body is
not a server error.

Starlette reads a body whole when a route asks for it (``request.json()``, Strawberry's
view), and has no cap of its own. ``BodyLimit`` answers 413 up front for a declared
``Content-Length`` over the cap, and counts the bytes of a chunked body as they arrive,
answering 413 as soon as they pass it. Routes that read their body as a stream with a cap
of their own (the CSV import) are exempt.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    """Raised from ``receive`` when the body passes the cap: unwinds the route."""


def too_large(max_bytes: int) -> JSONResponse:
    message = f"The request body is larger than {max_bytes:,} bytes."
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]},
        status_code=413,
        headers={"Connection": "close"},
    )


def declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, exempt_paths: Collection[str] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_paths = frozenset(exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = None if scope["path"] in self.exempt_paths else self.max_bytes
        if limit is not None and (declared_length(scope) or 0) > limit:
            await too_large(limit)(scope, receive, send)
            return
        received = 0
        responded = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if limit is not None and message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal responded
            responded = responded or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if responded:
                raise
            assert limit is not None
            await too_large(limit)(scope, receive, send)
        except ClientDisconnect:
            log.info("%s %s: the client left mid-body", scope["method"], scope["path"])
