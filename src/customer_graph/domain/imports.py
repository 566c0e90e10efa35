"""Import of customers with their tags, contacts and sites from CSV, in the export's format.

Two steps. Checking reads every row and checks it by the rules the mutations use
(``import_plan``), reading only: a dry run stops there, and however long a file takes to
check, other writers and readers are not held up. Writing (``import_write``) stages the
checked rows as they come, then moves them into the real tables in one short transaction,
after checking again what may have changed in between. Rows are matched to stored
customers by customer number (upsert). All or nothing by default: a refused row and
nothing is written; ``partial`` writes the good rows.

Memory stays bounded: rows are read one at a time, checked rows wait for writing in
temporary tables of the database, and only the first ``REPORT_LIMIT`` refusals are kept in
the report. What grows with the file in memory is the set of customer numbers seen (a
number twice is refused), about 100 bytes a row.

A cell that starts with a single quote before a character a spreadsheet would run as a
formula loses that quote (``csv_cells.restored``): the export writes such cells that way.
``status`` and ``archived_at`` change through deactivation and archiving, so on import they
must match what is stored.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.db.change_feed import Broker
from customer_graph.db.enums import CustomerKind, CustomerSegment, PaymentTerms
from customer_graph.domain.csv_cells import csv_line, restored
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.exports import COLUMNS, CONTACT_FIELDS, SITE_FIELDS
from customer_graph.domain.import_plan import PlannedRow, Planner
from customer_graph.domain.import_rows import (
    FieldError,
    Outcome,
    RejectedRow,
    RowInput,
    RowRefused,
)
from customer_graph.domain.import_write import Staging
from customer_graph.domain.permissions import Actor, Permission

__all__ = ["FieldError", "ImportReport", "Outcome", "RejectedRow", "import_customers"]

REPORT_LIMIT = 1000
"""Refused rows kept in a report; the count goes on past it."""
CHECKED_PER_BATCH = 500
"""Rows checked in one read transaction (checking a long file holds none open for long),
then staged for writing together."""
CHECKING_TURN = 0.002
"""Seconds of checking rows before others waiting in the process get their turn: a
server's requests wait at most that long for an import's checking."""

log = logging.getLogger(__name__)

COLUMN_HELP: dict[str, str] = {
    "customer_number": "Matches a stored customer to update; empty or new creates one.",
    "name": "Required for a new customer.",
    "kind": "One of " + ", ".join(k.value for k in CustomerKind) + " (default COMPANY).",
    "segment": "One of " + ", ".join(s.value for s in CustomerSegment) + " (default SMB).",
    "status": "Read-only: must match the stored status (ACTIVE for a new customer).",
    "payment_terms": "One of " + ", ".join(t.value for t in PaymentTerms) + " (default NET_30).",
    "currency": "ISO 4217 code (default USD).",
    "country": "ISO 3166 two-letter code; billing_country too.",
    "created_on": "YYYY-MM-DD (default today).",
    "archived_at": "Read-only: must match what is stored (empty for a new customer).",
    "owner_email": "Email of an active user (default: whoever imports, or the token's or "
    "the command's default owner; empty keeps a stored customer's).",
    "manager_email": "Email of an active user (default: whoever imports, or the token's or "
    "the command's default owner; empty keeps a stored customer's).",
    "tags": 'A JSON list (["vip", "north"]) or tags separated by ";". Replaces the tags.',
    "contacts": "A JSON list of objects with " + ", ".join(CONTACT_FIELDS) + ".",
    "sites": "A JSON list of objects with " + ", ".join(SITE_FIELDS) + ".",
}
"""What goes in each column, for the documentation and the template."""


@dataclass
class ImportReport:
    dry_run: bool
    partial: bool
    columns: tuple[str, ...] = ()
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    applied: bool = False
    """Whether the changes were kept: not on a dry run, nor when a row was refused."""

    def count(self, outcome: Outcome, by: int = 1) -> None:
        if outcome is Outcome.CREATED:
            self.created += by
        elif outcome is Outcome.UPDATED:
            self.updated += by
        else:
            self.unchanged += by


def template_csv() -> str:
    """The header line, then one example row: what a person fills in to start a file."""
    example = {
        "name": "Acme Ltd",
        "kind": "COMPANY",
        "segment": "SMB",
        "email": "office@acme.example",
        "city": "Springfield",
        "country": "US",
        "currency": "USD",
        "tags": '["new"]',
        "contacts": '[{"name": "Ann Lee", "email": "ann@acme.example", "is_primary": true}]',
        "sites": '[{"name": "Head office", "city": "Springfield", "country": "US"}]',
    }
    return csv_line(COLUMNS) + csv_line([example.get(column, "") for column in COLUMNS])


def read_header(header: list[str] | None) -> tuple[str, ...]:
    """The file's columns, once they are known and each is there once."""
    if not header:
        raise DomainError(ErrorCode.INVALID, "The file is empty: it needs a header line.", "file")
    columns = tuple(name.strip() for name in header)
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID,
            f"Unknown column {unknown[0]!r} in the header. The columns are: "
            + ", ".join(COLUMNS)
            + ".",
            "file",
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise DomainError(
            ErrorCode.INVALID, f"The column {repeated[0]!r} appears twice in the header.", "file"
        )
    if "name" not in columns and "customer_number" not in columns:
        raise DomainError(
            ErrorCode.INVALID, "The header needs a name or a customer_number column.", "file"
        )
    return columns


def csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The header (line 1) and each non-empty row with the line it starts on."""
    reader = csv.reader(iter(lines), strict=True)
    start = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


ProgressCallback = Callable[[int], None]
RejectedCallback = Callable[[RejectedRow], Awaitable[None] | None]


async def import_customers(
    session: AsyncSession,
    actor: Actor,
    lines: Iterable[str],
    *,
    today: date,
    dry_run: bool = False,
    partial: bool = False,
    progress: ProgressCallback | None = None,
    rejected: RejectedCallback | None = None,
    feed: Broker | None = None,
) -> ImportReport:
    """Check every row, then write the checked rows in one short transaction, or nothing.

    ``lines`` is the text of the file (a file object will do); ``progress`` hears of each
    row checked, ``rejected`` of each refused row (all of them, past the report's limit).
    ``session`` is only read from; writing takes a connection of its own. The customers
    written are announced on ``feed`` (nobody listens to a fresh ``Broker``).
    """
    actor.require(Permission.CREATE_CUSTOMERS)
    report = ImportReport(dry_run=dry_run, partial=partial)
    staging = None if dry_run else await Staging.open(_engine(session), actor)
    try:
        try:
            await _check(session, actor, today, lines, report, staging, progress, rejected)
        finally:
            await session.rollback()
        if staging is None or (report.rejected and not partial):
            return report
        refused, report.applied = await staging.move(partial=partial, feed=feed or Broker())
        for outcome, refusal in refused:
            report.count(outcome, by=-1)
            await _reject(report, refusal, rejected)
        return report
    except IntegrityError as error:
        log.warning("an import broke a database constraint: %s", error.orig)
        raise DomainError(
            ErrorCode.CONFLICT,
            "The database refused the rows: they conflict with data stored while the file "
            "was checked. Nothing was changed; import the file again.",
            "file",
        ) from None
    finally:
        if staging is not None:
            await staging.close()


def _engine(session: AsyncSession) -> AsyncEngine:
    bind = session.bind
    if not isinstance(bind, AsyncEngine):
        raise TypeError("an import needs a session bound to an engine")
    return bind


async def _check(
    session: AsyncSession,
    actor: Actor,
    today: date,
    lines: Iterable[str],
    report: ImportReport,
    staging: Staging | None,
    progress: ProgressCallback | None,
    rejected: RejectedCallback | None,
) -> None:
    """Read and check every row, reading only; stage the checked ones unless nothing is
    to be written (a dry run, or a refused row without ``partial``)."""
    rows = csv_rows(lines)
    checked: list[PlannedRow] = []

    async def stage() -> None:
        if staging is not None and (report.partial or not report.rejected):
            await staging.add(checked)
        checked.clear()
        await session.rollback()
        planner.forget_read_ahead()

    planner = Planner(session, actor, today)
    try:
        _, header = next(rows, (1, None))
        report.columns = read_header(header)
        first_line_of: dict[str, int] = {}
        turn_ends = time.monotonic() + CHECKING_TURN
        for batch in iter(lambda: list(itertools.islice(rows, CHECKED_PER_BATCH)), []):
            inputs = []
            for line, cells in batch:
                values = {
                    column: restored(cells[i]) if i < len(cells) else ""
                    for i, column in enumerate(report.columns)
                }
                inputs.append((line, cells, values, RowInput(values)))
            await planner.read_ahead({row.number for *_, row in inputs if row.number})
            for line, cells, values, row in inputs:
                report.rows += 1
                if len(cells) != len(report.columns):
                    row.fail(
                        "",
                        f"The row has {len(cells)} cells; the header has {len(report.columns)}.",
                    )
                if row.number is not None:
                    earlier = first_line_of.setdefault(row.number, line)
                    if earlier != line:
                        row.fail("customer_number", f"{row.number} is on line {earlier} too.")
                try:
                    planned = await planner.plan(line, row)
                except RowRefused as refusal:
                    await _reject(
                        report,
                        RejectedRow(line, row.number, refusal.errors, dict(values)),
                        rejected,
                    )
                else:
                    report.count(planned.outcome)
                    checked.append(planned)
                if progress:
                    progress(report.rows)
                # Rows read ahead are checked without waiting on I/O: let the server's
                # other requests (and the staging of the batch before) run in between.
                if time.monotonic() >= turn_ends:
                    await asyncio.sleep(0)
                    turn_ends = time.monotonic() + CHECKING_TURN
            await stage()
    except csv.Error as error:
        raise DomainError(
            ErrorCode.INVALID, f"The file is not valid CSV: {error}.", "file"
        ) from None
    except UnicodeDecodeError:
        raise DomainError(ErrorCode.INVALID, "The file is not UTF-8 text.", "file") from None


async def _reject(
    report: ImportReport, row: RejectedRow, rejected: RejectedCallback | None
) -> None:
    report.rejected += 1
    if len(report.rejected_rows) < REPORT_LIMIT:
        report.rejected_rows.append(row)
    if rejected:
        result = rejected(row)
        if result is not None:
            await result
