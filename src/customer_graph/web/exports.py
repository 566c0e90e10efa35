"""``GET /export/customers.csv`` and ``.jsonl``: everything, streamed, for BI tools, curl
and the app's "Export".

Needs a session or a token that may read customers. Parameters: the customer list's filter
and order (``api/list_parameters.py``: ``search``, ``kinds``, ``statuses``, ``tags``, ``ids``,
``orderBy``, ...) and ``include`` (``tags,contacts,sites``, the default, or fewer). Unlike the
list, ``archived`` is INCLUDE when not given, as in the CLI (``EXPORT_ARCHIVED_DEFAULT``).
``POST`` takes the same parameters as a form body, for more ids than a URL holds. Parameters
are checked before the answer begins (400 with a message); a failure once it has begun cuts
the transfer short (``cut_short_on_failure``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from urllib.parse import parse_qs

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from customer_graph.api.compiled import compiled_reads_on
from customer_graph.api.compiled.export import compiled_export_lines
from customer_graph.api.list_parameters import ParameterError, list_parameters
from customer_graph.domain.exports import EXPORT_ARCHIVED_DEFAULT, export_lines, parse_nested
from customer_graph.domain.permissions import Permission
from customer_graph.settings import Settings
from customer_graph.web.auth import (
    UNAUTHENTICATED,
    CredentialBackend,
    authentication,
    caller,
)

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
log = logging.getLogger(__name__)


class ExportCutShort(Exception):
    """Raised to the server once the answer has begun, so it ends the transfer unfinished."""


async def cut_short_on_failure(lines: AsyncIterator[bytes], fmt: str) -> AsyncIterator[bytes]:
    """The export's lines; a failure after the first is logged with an id and cuts the
    transfer short, so no client takes a partial export for a whole one.

    HTTP has said 200 by then: the server closes the connection without the chunked
    body's last chunk, which clients report as an incomplete transfer (curl exits 18).
    JSON Lines also gets a last line ``{"error": {"message", "errorId"}}`` first.
    """
    try:
        async for line in lines:
            yield line
    except Exception as error:
        error_id = secrets.token_hex(6)
        log.exception("export failed after it began (error id %s)", error_id)
        if fmt == "jsonl":
            message = f"The export failed before it was complete (error id {error_id})."
            yield orjson.dumps({"error": {"message": message, "errorId": error_id}}) + b"\n"
        raise ExportCutShort(f"export cut short (error id {error_id})") from error


async def export_customers(request: Request) -> Response:
    fmt = request.path_params["format"]
    if fmt not in MEDIA_TYPES:
        return JSONResponse({"error": "Export as customers.csv or customers.jsonl."}, 404)
    auth = caller(request)
    if auth is None:
        return JSONResponse({"error": UNAUTHENTICATED}, 401)
    if not auth.actor.can(Permission.VIEW_CUSTOMERS):
        return JSONResponse({"error": "You are not allowed to view customers."}, 403)
    settings: Settings = request.app.state.settings
    try:
        parameters = await _parameters(request)
        include = parameters.get("include", [])
        if len(include) > 1:
            raise ParameterError(f"include is given {len(include)} times; give it once.")
        nested = parse_nested(include[0] if include else None)
        listed = list_parameters(
            parameters, settings, others=("include",), archived_default=EXPORT_ARCHIVED_DEFAULT
        )
    except UnsupportedBody as error:
        return JSONResponse({"error": str(error)}, 415)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, 400)
    list_filter, order = listed.list_filter, listed.order
    engine: AsyncEngine = request.app.state.engine
    compiled = fmt == "jsonl" and compiled_reads_on(settings, engine)

    async def stream() -> AsyncIterator[bytes]:
        async with engine.connect() as connection:
            lines = (
                compiled_export_lines(connection, auth.actor, list_filter, nested, order)
                if compiled
                else export_lines(connection, auth.actor, list_filter, fmt, nested, order)
            )
            async for line in lines:
                yield line

    return StreamingResponse(
        cut_short_on_failure(stream(), fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="customers.{fmt}"'},
    )


class UnsupportedBody(ValueError):
    """A POST body that is not a form."""


FORM = "application/x-www-form-urlencoded"


async def _parameters(request: Request) -> dict[str, Sequence[str]]:
    """The query's parameters, or a POST's form body's (an error if both are given)."""
    if request.method != "POST":
        return {name: request.query_params.getlist(name) for name in request.query_params}
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise UnsupportedBody(f"POST the parameters as a form ({FORM}).")
    if request.query_params:
        raise ParameterError("POST the parameters in the body only, not in the URL.")
    try:
        text = (await request.body()).decode()
    except UnicodeDecodeError:
        raise ParameterError("The form is not UTF-8 text.") from None
    return dict(parse_qs(text, keep_blank_values=True, errors="strict"))


def routes(backend: CredentialBackend) -> list[Route]:
    return [
        Route(
            "/export/customers.{format}",
            export_customers,
            methods=["GET", "POST"],
            middleware=authentication(backend),
        )
    ]
