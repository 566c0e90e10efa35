"""Import of customers with their tags, contacts and sites from CSV, in the export's format.

Every row goes through the functions the mutations use (``create_customer``,
``update_customer``, the contact and site parts), each in its own savepoint, so a refused
row leaves no trace and the rows after it are still checked. Rows are matched to stored
customers by customer number (upsert). All or nothing by default: a refused row and
nothing is kept; ``partial`` keeps the good rows. Memory stays bounded: rows are read one
at a time and only the first ``REPORT_LIMIT`` refusals are kept in the report. What grows
with the file is the set of customer numbers seen (a number twice is refused), about
100 bytes a row.

Contacts are matched by email, else by name, and sites by name; those in the file are
added or updated, those not in it are left alone. ``status`` and ``archived_at`` change
through deactivation and archiving, so on import they must match what is stored.
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.engine import begin_with_savepoints
from customer_graph.db.enums import CustomerKind, CustomerSegment, PaymentTerms, SiteStatus
from customer_graph.db.models import Contact, Customer, Site, User
from customer_graph.domain import parts
from customer_graph.domain.contacts import CONTACTS
from customer_graph.domain.csv_cells import csv_line, restored
from customer_graph.domain.customers import (
    ADDRESS_PARTS,
    COLUMN_PATHS,
    clean_customer_input,
    clean_tags,
    create_customer,
    update_customer,
)
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.exports import (
    COLUMNS,
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    SITE_FIELDS,
)
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.sites import SITES
from customer_graph.domain.validation import Checker, ValidationFailed, normalized_email

REPORT_LIMIT = 1000
"""Refused rows kept in a report; the count goes on past it."""

READ_ONLY_COLUMNS = ("status", "archived_at")
LIST_COLUMNS = ("tags", "contacts", "sites")
CHOICES: dict[str, type[enum.Enum]] = {
    "kind": CustomerKind,
    "segment": CustomerSegment,
    "payment_terms": PaymentTerms,
}
COLUMN_OF_FIELD: dict[str, str] = {
    **{path: column for column, path in COLUMN_PATHS.items()},
    "owner_id": "owner_email",
    "manager_id": "manager_email",
}
"""The CSV column an error of the customer's rules (named by input path) belongs to."""

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
    "owner_email": "Email of an active user (default: whoever imports).",
    "manager_email": "Email of an active user (default: whoever imports).",
    "tags": 'A JSON list (["vip", "north"]) or tags separated by ";". Replaces the tags.',
    "contacts": "A JSON list of objects with " + ", ".join(CONTACT_FIELDS) + ".",
    "sites": "A JSON list of objects with " + ", ".join(SITE_FIELDS) + ".",
}
"""What goes in each column, for the documentation and the template."""


@dataclass(frozen=True)
class FieldError:
    column: str
    """The CSV column the error is about; empty when it is about the row as a whole."""
    message: str


@dataclass(frozen=True)
class RejectedRow:
    line: int
    """The line of the file the row starts on (the header is line 1)."""
    customer_number: str | None
    errors: tuple[FieldError, ...]
    values: dict[str, str]
    """The row as it was in the file, so it can be corrected and imported again."""

    def summary(self) -> str:
        """The errors in one line, as the ``errors`` column of a file of refused rows."""
        return "; ".join(
            f"{error.column}: {error.message}" if error.column else error.message
            for error in self.errors
        )


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

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.CREATED:
            self.created += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RowRefused(Exception):
    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(error.message for error in self.errors))


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


class _RowInput:
    """One row's cells turned into the input of the customer, contact and site rules."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.errors: list[FieldError] = []
        self.customer: dict[str, Any] = {}
        self.tags: list[str] | None = None
        self.contacts: list[dict[str, Any]] | None = None
        self.sites: list[dict[str, Any]] | None = None
        for column, raw in values.items():
            self._read(column, raw.strip() or None)

    @property
    def number(self) -> str | None:
        value = self.values.get("customer_number", "").strip()
        return value or None

    def fail(self, column: str, message: str) -> None:
        self.errors.append(FieldError(column, message))

    def _read(self, column: str, text: str | None) -> None:
        errors = len(self.errors)
        if column in CHOICES:
            value: Any = self._choice(column, CHOICES[column], text)
        elif column == "created_on":
            value = self._date(column, text)
        else:
            self._read_text(column, text)
            return
        if len(self.errors) == errors:
            self.customer[column] = value

    def _read_text(self, column: str, text: str | None) -> None:
        if column in ADDRESS_PARTS:
            self.customer.setdefault("address", {})[column] = text
        elif column.startswith("billing_") and column[8:] in ADDRESS_PARTS:
            self.customer.setdefault("billing_address", {})[column[8:]] = text
        elif column in ("billing_name", "billing_email", "billing_phone"):
            self.customer.setdefault("billing_contact", {})[column[8:]] = text
        elif column == "tags":
            self.tags = self._tags(text)
        elif column in ("contacts", "sites"):
            items = self._objects(column, text)
            setattr(self, column, items)
        elif column in CUSTOMER_FIELDS and column not in READ_ONLY_COLUMNS:
            self.customer[column] = text

    def _choice(self, column: str, choices: type[enum.Enum], text: str | None) -> Any:
        if text is None:
            return None
        try:
            return choices(text.upper())
        except ValueError:
            allowed = ", ".join(str(choice.value) for choice in choices)
            self.fail(column, f"{text!r} is not one of {allowed}.")
            return None

    def _date(self, column: str, text: str | None) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(column, f"{text!r} is not a date (YYYY-MM-DD).")
            return None

    def _tags(self, text: str | None) -> list[str]:
        if text is None:
            return []
        if text.startswith("["):
            try:
                tags = orjson.loads(text)
            except orjson.JSONDecodeError:
                tags = None
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                self.fail("tags", "Tags are a JSON list of texts, or texts separated by ';'.")
                return []
            return tags
        return [tag for tag in text.split(";") if tag.strip()]

    def _objects(self, column: str, text: str | None) -> list[dict[str, Any]]:
        if text is None:
            return []
        allowed = CONTACT_FIELDS if column == "contacts" else SITE_FIELDS
        try:
            items = orjson.loads(text)
        except orjson.JSONDecodeError:
            items = None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            self.fail(column, f"{column.capitalize()} are a JSON list of objects.")
            return []
        for position, item in enumerate(items, start=1):
            unknown = [key for key in item if key not in allowed]
            if unknown:
                self.fail(
                    column,
                    f"{_ordinal(column, position)}: unknown field {unknown[0]!r}; "
                    f"the fields are {', '.join(allowed)}.",
                )
            wrong = [
                key
                for key, value in item.items()
                if key in allowed
                and value is not None
                and not isinstance(value, bool if key == "is_primary" else str)
            ]
            if wrong:
                kind = "true or false" if wrong[0] == "is_primary" else "a text"
                self.fail(column, f"{_ordinal(column, position)}: {wrong[0]} must be {kind}.")
        return items


def _ordinal(column: str, position: int) -> str:
    return f"{'Contact' if column == 'contacts' else 'Site'} {position}"


def _without_blanks(given: Mapping[str, Any]) -> dict[str, Any]:
    """A new customer's input without empty cells, so that their defaults apply."""
    cleaned: dict[str, Any] = {}
    for key, value in given.items():
        if isinstance(value, dict):
            value = _without_blanks(value)
            if value:
                cleaned[key] = value
        elif value is not None:
            cleaned[key] = value
    return cleaned


def _rule_errors(given: Mapping[str, Any], *, creating: bool) -> list[FieldError]:
    """What the customer's rules say of the row too, so that one report names it all."""
    check = Checker()
    clean_customer_input(check, _without_blanks(given) if creating else given, creating=creating)
    clean_tags(check, given.get("tags"))
    return _customer_errors(ValidationFailed(check.errors))


def _customer_errors(error: Exception) -> list[FieldError]:
    if isinstance(error, ValidationFailed):
        return [
            FieldError(COLUMN_OF_FIELD.get(e.field or "", e.field or ""), e.message)
            for e in error.errors
        ]
    if isinstance(error, DomainError):
        column = COLUMN_OF_FIELD.get(error.field or "", error.field or "")
        return [FieldError("" if column in ("id", "expected_version") else column, error.message)]
    raise error


def _related_errors(column: str, position: int, error: Exception) -> list[FieldError]:
    prefix = _ordinal(column, position)
    if isinstance(error, ValidationFailed):
        return [FieldError(column, f"{prefix}: {e.message}") for e in error.errors]
    if isinstance(error, DomainError):
        return [FieldError(column, f"{prefix}: {error.message}")]
    raise error


def _contact_input(item: Mapping[str, Any]) -> dict[str, Any]:
    given = {key: item[key] for key in CONTACT_FIELDS if key in item}
    if given.get("is_primary") is None and "is_primary" in given:
        given["is_primary"] = False
    return given


def _site_input(item: Mapping[str, Any]) -> dict[str, Any]:
    given: dict[str, Any] = {
        key: item[key] for key in SITE_FIELDS if key in item and key not in ADDRESS_PARTS
    }
    address = {part: item[part] for part in ADDRESS_PARTS if part in item}
    if address:
        given["address"] = address
    if "status" in given and given["status"] is not None:
        try:
            given["status"] = SiteStatus(str(given["status"]).upper())
        except ValueError:
            allowed = ", ".join(status.value for status in SiteStatus)
            raise DomainError(
                ErrorCode.INVALID, f"{given['status']!r} is not one of {allowed}.", "status"
            ) from None
    return given


def _contact_key(item: Mapping[Any, Any]) -> str:
    email = item.get("email")
    if isinstance(email, str) and email.strip():
        return "email:" + normalized_email(email)
    return "name:" + str(item.get("name") or "").strip().lower()


def _site_key(item: Mapping[Any, Any]) -> str:
    return str(item.get("name") or "").strip().lower()


class _Importer:
    def __init__(self, session: AsyncSession, actor: Actor, today: date) -> None:
        self.session = session
        self.actor = actor
        self.today = today
        self.users: dict[str, int | None] = {}

    async def user_id(self, row: _RowInput, column: str) -> int | None:
        email = row.values.get(column, "").strip()
        if not email:
            return None
        key = normalized_email(email)
        if key not in self.users:
            self.users[key] = await self.session.scalar(
                select(User.id).where(User.email == key, User.is_active)
            )
        found = self.users[key]
        if found is None:
            row.fail(column, f"No active user has the email {email!r}.")
        return found

    async def row(self, row: _RowInput) -> Outcome:
        owner_id = await self.user_id(row, "owner_email")
        manager_id = await self.user_id(row, "manager_email")
        stored = None
        if row.number is not None:
            stored = (
                await self.session.execute(
                    select(Customer.id, Customer.status, Customer.archived_at).where(
                        Customer.customer_number == row.number
                    )
                )
            ).first()
        self.check_read_only(row, stored)
        given = dict(row.customer)
        if row.tags is not None:
            given["tags"] = row.tags
        for key, user in (("owner_id", owner_id), ("manager_id", manager_id)):
            if user is not None:
                given[key] = user
        if row.errors:
            raise RowRefused([*row.errors, *_rule_errors(given, creating=stored is None)])
        try:
            if stored is None:
                customer_id = await create_customer(
                    self.session, self.actor, _without_blanks(given), today=self.today
                )
                changed = True
            else:
                customer_id = stored.id
                changed = await update_customer(self.session, self.actor, customer_id, None, given)
        except (ValidationFailed, DomainError) as error:
            raise RowRefused(_customer_errors(error)) from None
        new = stored is None
        related = await self.related(customer_id, "contacts", row.contacts, CONTACTS, new)
        related |= await self.related(customer_id, "sites", row.sites, SITES, new)
        if stored is None:
            return Outcome.CREATED
        return Outcome.UPDATED if changed or related else Outcome.UNCHANGED

    def check_read_only(self, row: _RowInput, stored: Any) -> None:
        for column in READ_ONLY_COLUMNS:
            if column not in row.values:
                continue
            given = row.values[column].strip()
            if stored is None:
                expected = "ACTIVE" if column == "status" else ""
                allowed = (expected, "") if column == "status" else ("",)
            else:
                value = getattr(stored, column)
                expected = (
                    value.value
                    if isinstance(value, enum.Enum)
                    else ""
                    if value is None
                    else value.isoformat()
                )
                allowed = (expected,)
            if given not in allowed:
                what = "deactivating and reactivating" if column == "status" else "archiving"
                row.fail(
                    column,
                    f"{column} is {expected or 'empty'}, not {given or 'empty'}: "
                    f"it changes by {what} the customer, not by import.",
                )

    async def related(
        self,
        customer_id: int,
        column: str,
        items: list[dict[str, Any]] | None,
        part: parts.Part,
        new_customer: bool,
    ) -> bool:
        """Add or update each contact or site of the row; whether any changed."""
        if not items:
            return False
        contacts = column == "contacts"
        model: Any = Contact if contacts else Site
        key_of = _contact_key if contacts else _site_key
        stored: dict[str, list[int]] = {}
        if not new_customer:
            for record in (
                await self.session.execute(
                    select(model.__table__)
                    .where(model.customer_id == customer_id)
                    .order_by(model.id)
                )
            ).mappings():
                stored.setdefault(key_of(record), []).append(record["id"])
        changed = False
        errors: list[FieldError] = []
        for position, item in enumerate(items, start=1):
            matches = stored.get(key_of(item))
            try:
                given = _contact_input(item) if contacts else _site_input(item)
                if matches:
                    written = await parts.update(
                        self.session, self.actor, part, matches.pop(0), given
                    )
                    changed |= written.changed
                else:
                    await parts.create(self.session, self.actor, part, customer_id, given)
                    changed = True
            except (ValidationFailed, DomainError) as error:
                errors.extend(_related_errors(column, position, error))
        if errors:
            raise RowRefused(errors)
        return changed


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
) -> ImportReport:
    """Check and write every row, then keep the changes or roll them all back.

    ``lines`` is the text of the file (a file object will do); ``progress`` hears of each
    row checked, ``rejected`` of each refused row (all of them, past the report's limit).
    """
    actor.require(Permission.CREATE_CUSTOMERS)
    report = ImportReport(dry_run=dry_run, partial=partial)
    rows = csv_rows(lines)
    try:
        _, header = next(rows, (1, None))
        report.columns = read_header(header)
        await begin_with_savepoints(session)
        importer = _Importer(session, actor, today)
        first_line_of: dict[str, int] = {}
        for line, cells in rows:
            report.rows += 1
            values = {
                column: restored(cells[i]) if i < len(cells) else ""
                for i, column in enumerate(report.columns)
            }
            row = _RowInput(values)
            if len(cells) != len(report.columns):
                row.fail(
                    "", f"The row has {len(cells)} cells; the header has {len(report.columns)}."
                )
            if row.number is not None:
                earlier = first_line_of.setdefault(row.number, line)
                if earlier != line:
                    row.fail("customer_number", f"{row.number} is on line {earlier} too.")
            try:
                async with session.begin_nested():
                    outcome = await importer.row(row)
            except RowRefused as refusal:
                await _reject(
                    report, RejectedRow(line, row.number, refusal.errors, dict(values)), rejected
                )
            except IntegrityError as error:
                message = f"The database refused the row: {error.orig}"
                await _reject(
                    report,
                    RejectedRow(line, row.number, (FieldError("", message),), dict(values)),
                    rejected,
                )
            else:
                report.count(outcome)
            if progress:
                progress(report.rows)
    except csv.Error as error:
        await session.rollback()
        raise DomainError(
            ErrorCode.INVALID, f"The file is not valid CSV: {error}.", "file"
        ) from None
    except UnicodeDecodeError:
        await session.rollback()
        raise DomainError(ErrorCode.INVALID, "The file is not UTF-8 text.", "file") from None
    if dry_run or (report.rejected and not partial):
        await session.rollback()
    else:
        await session.commit()
        report.applied = True
    return report


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
