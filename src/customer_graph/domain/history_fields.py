"""The words people read for the fields a history event names, from where each is declared.

A customer's fields get theirs from their columns (``shown(..., label=...)``, through
``customer_fields.label_of``), every other kind's from its ``Kind.field_labels``; a field
without words of its own reads as its path in words (``validation.label``: ``start_date`` is
"Start date"), and so does one no kind records any more. The compiled read path answers
the same words from the same table (``sql_field_label``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Text, func, literal_column
from sqlalchemy.dialects.postgresql import JSONB

from customer_graph.domain.customers import CUSTOMER
from customer_graph.domain.leases import LEASE
from customer_graph.domain.record_names import NAMED_KINDS
from customer_graph.domain.record_writes import Kind
from customer_graph.domain.validation import label

KINDS: tuple[Kind, ...] = (CUSTOMER, LEASE, *NAMED_KINDS)
"""Every kind of record whose changes history records."""


def _recorded(kind: Kind) -> dict[str, str]:
    words: dict[str, str] = {}
    for column in kind.history_columns:
        path = kind.paths.get(column, column)
        words[path] = kind.field_labels.get(column) or label(path)
    return words


FIELD_LABELS: Mapping[str, Mapping[str, str]] = {
    kind.entity_type: _recorded(kind) for kind in KINDS
}
"""By kind (``entity_type``), the words for each field as history records it
(``billing_address.city``: "Billing city")."""


def field_label(entity_type: str, field: str) -> str:
    """``field`` of a record of ``entity_type``, as history stores it, in words."""
    known = FIELD_LABELS.get(entity_type, {}).get(field)
    return label(field) if known is None else known


def _text(value: str) -> ColumnElement[str]:
    return literal_column("'" + value.replace("'", "''") + "'", Text)


_OWN_WORDS = {
    entity_type: own
    for entity_type, fields in FIELD_LABELS.items()
    if (own := {path: words for path, words in fields.items() if words != label(path)})
}
"""``FIELD_LABELS`` without the words ``label`` gives anyway: the statement's constant."""
_TABLE = literal_column(
    "'" + orjson.dumps(_OWN_WORDS).decode().replace("'", "''") + "'::jsonb", JSONB
)


def sql_field_label(entity_type: Any, field: Any) -> ColumnElement[str]:
    """``field_label`` in PostgreSQL, for the compiled read path: a field's own words (a
    constant of the statement), else ``label``'s: the last segment of the path, underscores
    as spaces, capitalized."""
    known = _TABLE.op("->", return_type=JSONB)(entity_type).op("->>", return_type=Text)(field)
    path = func.coalesce(field, _text(""))
    last = func.regexp_replace(path, _text(r"^.*\."), _text(""))
    spaced = func.replace(last, _text("_"), _text(" "))
    first: ColumnElement[int] = literal_column("1")
    rest: ColumnElement[int] = literal_column("2")
    words = func.upper(func.left(spaced, first)).op("||", return_type=Text)(
        func.lower(func.substr(spaced, rest))
    )
    return func.coalesce(known, words)
