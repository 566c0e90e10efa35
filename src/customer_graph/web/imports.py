"""``POST /import/customers.csv``: a CSV file of customers in, a stream of progress out.

The body is the file itself (``curl --data-binary @customers.csv``), spooled to disk so a
large file costs no memory. Query parameters: ``dry_run`` and ``partial`` (true/false).
A session needs its CSRF header, as for mutations; a token needs the ``write`` scope.

The answer is JSON Lines: ``{"total": n}`` first, ``{"progress": {"rows": n}}`` as rows
are checked, and ``{"report": ...}`` (or ``{"error": ...}``, with an ``errorId`` that the
server's log names when the failure was the server's) last. A malformed header is
refused before anything starts, with a 400. ``GET /import/customers-template.csv`` is a
file with every column and one example row.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import secrets
import tempfile
from collections.abc import AsyncIterator
from datetime import date
from typing import IO, Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from customer_graph.domain.errors import DomainError
from customer_graph.domain.imports import (
    ImportReport,
    RejectedRow,
    csv_rows,
    import_customers,
    read_header,
    template_csv,
)
from customer_graph.domain.permissions import Permission
from customer_graph.web.auth import (
    UNAUTHENTICATED,
    CredentialBackend,
    authentication,
    caller,
)

UPLOAD_PATH = "/import/customers.csv"
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
PROGRESS_EVERY = 250
"""Rows between two progress lines."""

TRUE = ("1", "true", "yes")
log = logging.getLogger(__name__)


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status)


def report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "applied": report.applied,
        "dryRun": report.dry_run,
        "partial": report.partial,
        "columns": list(report.columns),
        "rejectedRows": [rejected_json(row) for row in report.rejected_rows],
    }


def rejected_json(row: RejectedRow) -> dict[str, Any]:
    return {
        "line": row.line,
        "customerNumber": row.customer_number,
        "errors": [{"column": e.column, "message": e.message} for e in row.errors],
        "values": row.values,
    }


async def _spool(request: Request) -> IO[bytes] | None:
    """The body in a temporary file; None when it is larger than allowed."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            spool.close()
            return None
        spool.write(chunk)
    spool.seek(0)
    return spool


def _text(spool: IO[bytes]) -> io.TextIOWrapper:
    spool.seek(0)
    return io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")


def _count_rows(spool: IO[bytes]) -> int:
    """Rows after the header, or an error about the header; the file is left at its start."""
    text = _text(spool)
    try:
        rows = csv_rows(text)
        _, header = next(rows, (1, None))
        read_header(header)
        return sum(1 for _ in rows)
    finally:
        text.detach()
        spool.seek(0)


async def import_customers_csv(request: Request) -> Response:
    auth = caller(request)
    if auth is None:
        return _error(UNAUTHENTICATED, 401)
    if not auth.csrf_verified:
        return _error("Send the X-CSRF-Token header of your session to import.", 403)
    if not auth.actor.can(Permission.CREATE_CUSTOMERS):
        return _error("You are not allowed to import customers.", 403)
    spool = await _spool(request)
    if spool is None:
        return _error(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.", 413)
    try:
        total = _count_rows(spool)
    except DomainError as error:
        spool.close()
        return _error(error.message, 400)
    except (csv.Error, UnicodeDecodeError) as error:
        spool.close()
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else f"not CSV: {error}"
        return _error(f"The file is {reason}.", 400)
    dry_run = request.query_params.get("dry_run", "").lower() in TRUE
    partial = request.query_params.get("partial", "").lower() in TRUE
    sessions = request.app.state.sessionmaker
    events: asyncio.Queue[bytes | None] = asyncio.Queue()

    def send(event: dict[str, Any]) -> None:
        events.put_nowait(orjson.dumps(event) + b"\n")

    def progress(rows: int) -> None:
        if rows % PROGRESS_EVERY == 0 or rows == total:
            send({"progress": {"rows": rows}})

    async def run() -> None:
        text = _text(spool)
        try:
            async with sessions() as session:
                report = await import_customers(
                    session,
                    auth.actor,
                    text,
                    today=date.today(),
                    dry_run=dry_run,
                    partial=partial,
                    progress=progress,
                    feed=request.app.state.broker,
                )
            send({"report": report_json(report)})
        except DomainError as error:
            send({"error": error.message})
        except Exception:
            error_id = secrets.token_hex(6)
            log.exception("import failed (error id %s)", error_id)
            send(
                {
                    "error": f"The import failed; nothing was changed (error id {error_id}).",
                    "errorId": error_id,
                }
            )
        finally:
            text.close()
            events.put_nowait(None)

    async def stream() -> AsyncIterator[bytes]:
        task = asyncio.create_task(run())
        try:
            yield orjson.dumps({"total": total}) + b"\n"
            while (event := await events.get()) is not None:
                yield event
            await task
        finally:
            task.cancel()

    return StreamingResponse(stream(), media_type="application/x-ndjson")


async def template(request: Request) -> Response:
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="customers-template.csv"'},
    )


def routes(backend: CredentialBackend) -> list[Route]:
    return [
        Route(
            UPLOAD_PATH,
            import_customers_csv,
            methods=["POST"],
            middleware=authentication(backend),
        ),
        Route("/import/customers-template.csv", template, methods=["GET"]),
    ]
