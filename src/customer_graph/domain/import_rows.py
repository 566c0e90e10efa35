"""One row of an import file: its cells turned into the input of the rules, and the
errors found in it, under the columns they are about.

A cell of a column the header has is given, empty or not (an empty cell clears the field
of a stored customer); a column the header lacks leaves its field alone.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from customer_graph.db.enums import SiteStatus
from customer_graph.domain.customer_fields import CHOICES, COLUMN_PATHS, SPECS, path_of
from customer_graph.domain.customers import clean_customer_input, clean_tags
from customer_graph.domain.drafts import ADDRESS_PARTS
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.exports import CONTACT_FIELDS, CUSTOMER_FIELDS, SITE_FIELDS
from customer_graph.domain.validation import Checker, ValidationFailed, normalized_email

READ_ONLY_COLUMNS = tuple(column for column, spec in SPECS.items() if not spec.editable)
COLUMN_OF_FIELD: dict[str, str] = {
    **{path: column for column, path in COLUMN_PATHS.items()},
    "owner_id": "owner_email",
    "manager_id": "manager_email",
}
"""The CSV column an error of the customer's rules (named by input path) belongs to."""


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


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RowRefused(Exception):
    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(error.message for error in self.errors))


class RowInput:
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
        spec = SPECS.get(column)
        if spec is not None and spec.editable and column in CHOICES:
            value: Any = self._choice(column, CHOICES[column], text)
        elif spec is not None and spec.editable and spec.rule == "date":
            value = self._date(column, text)
        else:
            self._read_text(column, text)
            return
        if len(self.errors) == errors:
            self.customer[column] = value

    def _read_text(self, column: str, text: str | None) -> None:
        if column in COLUMN_PATHS:
            composite, part = path_of(column).split(".")
            self.customer.setdefault(composite, {})[part] = text
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
                    f"{ordinal(column, position)}: unknown field {unknown[0]!r}; "
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
                self.fail(column, f"{ordinal(column, position)}: {wrong[0]} must be {kind}.")
        return items


def ordinal(column: str, position: int) -> str:
    return f"{'Contact' if column == 'contacts' else 'Site'} {position}"


def without_blanks(given: Mapping[str, Any]) -> dict[str, Any]:
    """A new customer's input without empty cells, so that their defaults apply."""
    cleaned: dict[str, Any] = {}
    for key, value in given.items():
        if isinstance(value, dict):
            value = without_blanks(value)
            if value:
                cleaned[key] = value
        elif value is not None:
            cleaned[key] = value
    return cleaned


def rule_errors(given: Mapping[str, Any], *, creating: bool) -> list[FieldError]:
    """What the customer's rules say of the row too, so that one report names it all."""
    check = Checker()
    clean_customer_input(check, without_blanks(given) if creating else given, creating=creating)
    clean_tags(check, given.get("tags"))
    return customer_errors(ValidationFailed(check.errors))


def customer_errors(error: Exception) -> list[FieldError]:
    if isinstance(error, ValidationFailed):
        return [
            FieldError(COLUMN_OF_FIELD.get(e.field or "", e.field or ""), e.message)
            for e in error.errors
        ]
    if isinstance(error, DomainError):
        column = COLUMN_OF_FIELD.get(error.field or "", error.field or "")
        return [FieldError("" if column in ("id", "expected_version") else column, error.message)]
    raise error


def related_errors(column: str, position: int, error: Exception) -> list[FieldError]:
    prefix = ordinal(column, position)
    if isinstance(error, ValidationFailed):
        return [FieldError(column, f"{prefix}: {e.message}") for e in error.errors]
    if isinstance(error, DomainError):
        return [FieldError(column, f"{prefix}: {error.message}")]
    raise error


def contact_input(item: Mapping[str, Any]) -> dict[str, Any]:
    given = {key: item[key] for key in CONTACT_FIELDS if key in item}
    if given.get("is_primary") is None and "is_primary" in given:
        given["is_primary"] = False
    return given


def site_input(item: Mapping[str, Any]) -> dict[str, Any]:
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


def contact_key(item: Mapping[Any, Any]) -> str:
    email = item.get("email")
    if isinstance(email, str) and email.strip():
        return "email:" + normalized_email(email)
    return "name:" + str(item.get("name") or "").strip().lower()


def site_key(item: Mapping[Any, Any]) -> str:
    return str(item.get("name") or "").strip().lower()
