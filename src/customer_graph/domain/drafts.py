"""The values a create or update will write, checked field by field.

Field names are those of the input (``start_date``, ``value.currency``): errors are
reported under them. On update only the fields given are checked and written; a null for
a field that must have a value is REQUIRED.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from customer_graph.db.engine import Transaction
from customer_graph.domain.errors import ErrorCode
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Kind, taken
from customer_graph.domain.validation import Checker, label

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12
"""Amounts are stored as numeric(14, 2)."""

_NO_DEFAULT = object()


ADDRESS_PARTS = ("street1", "street2", "city", "region", "postal_code", "country")
ADDRESS_LABELS: Mapping[str, str] = {"street1": "Street", "street2": "Street (line 2)"}
"""The parts of an address whose words are not their names'."""


def _address_limit(part: str) -> int:
    return 20 if part == "postal_code" else 200 if part.startswith("street") else 100


@dataclass
class Fields:
    """The fields given, checked one by one into ``values`` (reads nothing)."""

    given: Mapping[str, Any]
    record: Mapping[str, Any] | None = None
    """The record as stored, when updating."""
    check: Checker = field(default_factory=Checker)
    values: dict[str, Any] = field(default_factory=dict)
    """Column values to write, by column."""
    related: dict[str, Any] = field(default_factory=dict)
    """What the write changes beside the record's own row (a customer's tags), by field;
    recorded in history like a column."""
    related_before: dict[str, Any] = field(default_factory=dict)
    """The stored values of ``related``, when updating."""

    @property
    def creating(self) -> bool:
        return self.record is None

    @property
    def record_id(self) -> int | None:
        return None if self.record is None else int(self.record["id"])

    def after(self, column: str) -> Any:
        """The value ``column`` will have once written."""
        if column in self.values:
            return self.values[column]
        return None if self.record is None else self.record.get(column)

    def changes(self, column: str) -> bool:
        if column not in self.values:
            return False
        return self.record is None or self.record.get(column) != self.values[column]

    def fail(self, code: ErrorCode, field: str, message: str) -> None:
        self.check.fail(code, field, message)

    def _given(self, field: str) -> tuple[bool, Any]:
        """Whether ``field`` (a path such as ``billing_contact.name``) was given, and its value."""
        top, _, rest = field.partition(".")
        if top not in self.given:
            return False, None
        given: Any = self.given[top]
        for name in rest.split(".") if rest else ():
            if not isinstance(given, Mapping) or name not in given:
                return False, None
            given = given[name]
        return True, given

    def text(
        self, field: str, max_length: int, *, required: bool = False, column: str | None = None
    ) -> None:
        present, given = self._given(field)
        if present or (required and self.creating):
            self.values[column or field] = self.check.text(
                field, given, max_length=max_length, required=required
            )

    def _checked(self, field: str, column: str | None, check: Callable[[str, Any], Any]) -> None:
        present, given = self._given(field)
        if present:
            self.values[column or field] = check(field, given)

    def email(self, field: str, *, column: str | None = None) -> None:
        self._checked(field, column, self.check.email)

    def phone(self, field: str, *, column: str | None = None) -> None:
        self._checked(field, column, self.check.phone)

    def url(self, field: str, *, column: str | None = None) -> None:
        self._checked(field, column, self.check.url)

    def country(self, field: str, *, column: str | None = None) -> None:
        self._checked(field, column, self.check.country)

    def currency(self, field: str, *, default: Any = _NO_DEFAULT) -> None:
        if field in self.given:
            self.values[field] = self.check.currency(field, self.given[field])
        elif self.creating and default is not _NO_DEFAULT:
            self.values[field] = default

    def value(self, field: str, *, required: bool = False, default: Any = _NO_DEFAULT) -> None:
        """A date, choice or flag as given; on create, ``default`` when not given."""
        if field in self.given:
            if self.given[field] is None and required:
                self.fail(ErrorCode.REQUIRED, field, f"{label(field)} is required.")
            else:
                self.values[field] = self.given[field]
        elif self.creating and default is not _NO_DEFAULT:
            self.values[field] = default
        elif self.creating and required:
            self.fail(ErrorCode.REQUIRED, field, f"{label(field)} is required.")

    def choice(self, field: str, choices: type[enum.Enum], *, default: enum.Enum) -> None:
        """One of ``choices`` (given as it or by its value); on create, ``default``."""
        if field in self.given and self.given[field] is None:
            self.fail(ErrorCode.REQUIRED, field, f"{label(field)} is required.")
        elif field in self.given:
            self.values[field] = choices(self.given[field])
        elif self.creating:
            self.values[field] = default

    def address(self, field: str = "address", *, prefix: str = "") -> None:
        """The parts given; null clears them all. Stored as ``prefix`` + part."""
        if field not in self.given:
            return
        parts = self.given[field]
        if parts is None:
            self.values |= dict.fromkeys(f"{prefix}{part}" for part in ADDRESS_PARTS)
            return
        for part in ADDRESS_PARTS:
            if part not in parts:
                continue
            path = f"{field}.{part}"
            if part == "country":
                cleaned = self.check.country(path, parts[part])
            else:
                cleaned = self.check.text(path, parts[part], max_length=_address_limit(part))
            self.values[f"{prefix}{part}"] = cleaned


@dataclass(kw_only=True)
class Draft(Fields):
    """A record's fields checked in its customer's transaction: also by what is stored."""

    session: Transaction
    actor: Actor
    customer: Mapping[str, Any]
    """The customer the record belongs to (itself, for a customer): its currency is the
    record's."""
    today: date = field(default_factory=date.today)

    def money(self, field: str) -> None:
        """An exact amount, not negative, in the customer's currency (the default)."""
        if field not in self.given and not self.creating:
            return
        given = self.given.get(field)
        if given is None:
            self.fail(ErrorCode.REQUIRED, field, f"{label(field)} is required.")
            return
        amount = self._amount(f"{field}.amount", given.get("amount"))
        currency = self._currency(f"{field}.currency", given.get("currency"))
        if amount is not None and currency is not None:
            self.values |= {field: amount, "currency": currency}

    def _amount(self, field: str, given: Any) -> Decimal | None:
        try:
            amount = Decimal(given)
        except (InvalidOperation, TypeError, ValueError):
            amount = Decimal("NaN")
        if not amount.is_finite():
            self.fail(ErrorCode.INVALID, field, "The amount is not a number.")
        elif amount < 0:
            self.fail(ErrorCode.INVALID, field, "The amount cannot be negative.")
        elif amount >= MAX_AMOUNT:
            self.fail(ErrorCode.INVALID, field, "The amount is too large.")
        elif amount != amount.quantize(CENT):
            self.fail(ErrorCode.INVALID, field, "The amount has more than two decimals.")
        else:
            return amount.quantize(CENT)
        return None

    def _currency(self, field: str, currency: str | None) -> str | None:
        expected = str(self.customer["currency"])
        if currency is None or not currency.strip():
            return expected
        cleaned = self.check.currency(field, currency)
        if cleaned is not None and cleaned != expected:
            self.fail(
                ErrorCode.INVALID,
                field,
                f"Amounts of {self.customer['name']} are in {expected}, not {cleaned}.",
            )
            return None
        return cleaned

    def dates_in_order(self, first: str, last: str, message: str | None = None) -> None:
        """``last`` may not come before ``first``; the error is reported on ``last``."""
        if not (self.changes(first) or self.changes(last)):
            return
        start, end = self.after(first), self.after(last)
        if start is not None and end is not None and end < start:
            self.fail(
                ErrorCode.INVALID,
                last,
                message or f"{label(last)} cannot be before {label(first).lower()}.",
            )

    async def unique(self, kind: Kind, field: str, what: str) -> None:
        """``field`` of ``kind`` is unique across all customers (DUPLICATE)."""
        value = self.values.get(field)
        if value is None or not self.changes(field):
            return
        column = getattr(kind.model, field)
        if await taken(self.session, kind, [column == value], self.record_id):
            self.fail(ErrorCode.DUPLICATE, field, f"{what} {value} is taken.")
