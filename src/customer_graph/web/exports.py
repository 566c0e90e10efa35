"""``GET /export/customers.csv`` and ``.jsonl``: everything, streamed, for BI tools and curl.

Needs a session or a token that may read customers. Query parameters: ``archived``
(EXCLUDE, INCLUDE or ONLY), ``search``, and ``include`` (``tags,contacts,sites``, the
default, or fewer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from customer_graph.api.compiled_export import compiled_export_lines
from customer_graph.domain.customer_list import ArchivedFilter, CustomerListFilter
from customer_graph.domain.exports import export_lines, parse_nested
from customer_graph.domain.permissions import Permission
from customer_graph.settings import Settings
from customer_graph.web.auth import (
    UNAUTHENTICATED,
    CredentialBackend,
    authentication,
    caller,
)

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


async def export_customers(request: Request) -> Response:
    fmt = request.path_params["format"]
    if fmt not in MEDIA_TYPES:
        return JSONResponse({"error": "Export as customers.csv or customers.jsonl."}, 404)
    auth = caller(request)
    if auth is None:
        return JSONResponse({"error": UNAUTHENTICATED}, 401)
    if not auth.actor.can(Permission.VIEW_CUSTOMERS):
        return JSONResponse({"error": "You are not allowed to view customers."}, 403)
    archived = request.query_params.get("archived")
    try:
        list_filter = CustomerListFilter(
            search=request.query_params.get("search"),
            archived=ArchivedFilter(archived.upper()) if archived else None,
        )
    except ValueError:
        return JSONResponse({"error": "archived is one of EXCLUDE, INCLUDE, ONLY."}, 400)
    try:
        nested = parse_nested(request.query_params.get("include"))
    except ValueError as error:
        return JSONResponse({"error": str(error)}, 400)
    engine: AsyncEngine = request.app.state.engine
    settings: Settings = request.app.state.settings
    compiled = fmt == "jsonl" and settings.compiled_reads and engine.dialect.name == "postgresql"

    async def stream() -> AsyncIterator[bytes]:
        async with engine.connect() as connection:
            lines = (
                compiled_export_lines(connection, auth.actor, list_filter, nested)
                if compiled
                else export_lines(connection, auth.actor, list_filter, fmt, nested)
            )
            async for line in lines:
                yield line

    return StreamingResponse(
        stream(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="customers.{fmt}"'},
    )


def routes(backend: CredentialBackend) -> list[Route]:
    return [
        Route(
            "/export/customers.{format}",
            export_customers,
            methods=["GET"],
            middleware=authentication(backend),
        )
    ]
