"""The customer's fields, derived from their one declaration on the model's columns.

Adding a field to a customer touches its column (with its ``shown`` rule), the migration,
the GraphQL type and the input; the read model, the rules that check input, the paths
in errors and history, the recorded fields, their words in history and the CSV columns all
follow from here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, cast

from sqlalchemy import Column, Enum, String, Table

from customer_graph.db.fields import SHOWN, FieldSpec
from customer_graph.db.models import Customer
from customer_graph.domain.drafts import Fields
from customer_graph.domain.errors import ErrorCode
from customer_graph.domain.validation import label

_TABLE = cast(Table, Customer.__table__)

FIELDS: tuple[tuple[Column[Any], FieldSpec], ...] = tuple(
    (column, column.info[SHOWN]) for column in _TABLE.columns if SHOWN in column.info
)
"""Every field people see, in the order forms, errors and files list them."""

SPECS: Mapping[str, FieldSpec] = {column.name: spec for column, spec in FIELDS}

COLUMN_PATHS: Mapping[str, str] = {
    column.name: spec.path for column, spec in FIELDS if spec.path is not None
}
"""Stored columns under the names people see in forms, errors and history."""

HISTORY_COLUMNS = tuple(column.name for column, _ in FIELDS)
"""What a customer's history records: every field people see."""

EXPORTED_COLUMNS = tuple(column.name for column, spec in FIELDS if spec.exported)
"""The customer's own columns of the CSV export (and so of the import)."""

CHOICES: Mapping[str, type[enum.Enum]] = {
    column.name: column.type.enum_class
    for column, spec in FIELDS
    if spec.rule == "choice" and isinstance(column.type, Enum) and column.type.enum_class
}


def path_of(column: str) -> str:
    spec = SPECS[column]
    return spec.path or column


def label_of(column: str) -> str:
    spec = SPECS[column]
    return spec.label or label(path_of(column))


LABELS: Mapping[str, str] = {column.name: label_of(column.name) for column, _ in FIELDS}
"""What people call each field, by column: the words its history shows."""


def _max_length(column: Column[Any], spec: FieldSpec) -> int:
    if spec.max_length is not None:
        return spec.max_length
    if isinstance(column.type, String) and column.type.length is not None:
        return column.type.length
    raise TypeError(f"customers.{column.name}: text without a length needs max_length")


Cleaner = Callable[[Fields], None]
"""Checks one field of the input given to ``Fields`` into its ``values``."""


_FORMATTED: Mapping[str, Callable[..., None]] = {
    "email": Fields.email,
    "phone": Fields.phone,
    "url": Fields.url,
    "country": Fields.country,
}


def _cleaner(column: Column[Any], spec: FieldSpec) -> Cleaner | None:
    """The check of one field, decided once from its declaration (an import checks
    thousands of rows by the same ones)."""
    if not spec.editable or spec.rule == "person":
        return None
    name, path = column.name, path_of(column.name)
    if spec.rule == "text":
        length, required = _max_length(column, spec), not column.nullable
        return lambda fields: fields.text(path, length, required=required, column=name)
    if spec.rule == "number":
        length = _max_length(column, spec)

        def number(fields: Fields) -> None:
            if fields.given.get(name) or (name in fields.given and not fields.creating):
                fields.text(name, length, required=True)

        return number
    if spec.rule in _FORMATTED:
        check = _FORMATTED[spec.rule]
        return lambda fields: check(fields, path, column=name)
    if spec.rule == "currency":
        return lambda fields: fields.currency(path, default=spec.default)
    if spec.rule == "choice":
        choices = CHOICES[name]
        return lambda fields: fields.choice(path, choices, default=spec.default)
    if spec.rule == "date":
        called = label_of(name)
        return lambda fields: _date(fields, name, called)
    raise TypeError(f"customers.{name}: no check for the rule {spec.rule!r}")


def _filled_when_not_given(column: Column[Any], spec: FieldSpec) -> bool:
    """Whether creating a customer without the field still checks it: it gets its default
    (currency, choices) or, being required text, is REQUIRED."""
    return spec.rule in ("currency", "choice") or (spec.rule == "text" and not column.nullable)


CLEANERS: tuple[tuple[str, bool, Cleaner], ...] = tuple(
    (path_of(column.name).split(".")[0], _filled_when_not_given(column, spec), cleaner)
    for column, spec in FIELDS
    if (cleaner := _cleaner(column, spec)) is not None
)
"""Each field's check, with the key of the input it is under and whether it runs on create
when not given."""


def clean_fields(fields: Fields) -> None:
    """Each field given, checked by its declared rule (none of them reads anything).

    On create, a field not given gets its declared default; a required one (a column that
    may not be null) without a default is REQUIRED. ``person`` fields (owner and manager)
    are checked against the stored people by the customer's part. A field not given is not
    looked at otherwise (an import's rows give a few of some forty)."""
    for key, filled_when_not_given, clean in CLEANERS:
        if key in fields.given or (filled_when_not_given and fields.creating):
            clean(fields)


def _date(fields: Fields, name: str, called: str) -> None:
    if name not in fields.given:
        return
    if fields.given[name] is None:
        fields.fail(ErrorCode.REQUIRED, name, f"{called} is required.")
    else:
        fields.values[name] = fields.given[name]
