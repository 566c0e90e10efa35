"""Keyset order: the sort keys of a list and the SQL conditions that continue it.

A page or a batch goes on after the last row read with ``WHERE key > last``, never an
OFFSET. The API's cursor pages and the bulk export both read lists this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import SQLColumnExpression, and_, false, literal, or_, tuple_
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class SortKey:
    expr: SQLColumnExpression[Any]
    descending: bool = False


def keyset_condition(
    keys: Sequence[SortKey], values: Sequence[Any], *, following: bool
) -> ColumnElement[bool]:
    """Rows strictly after (``following``) or before the row with these key values."""
    if len(keys) != len(values):
        return false()
    values = [
        value
        if isinstance(value, ColumnElement)
        else literal(value, type_=cast("ColumnElement[Any]", key.expr).type)
        for key, value in zip(keys, values, strict=True)
    ]
    directions = {key.descending for key in keys}
    if len(directions) == 1:
        later = following != keys[0].descending
        row = tuple_(*(key.expr for key in keys))
        bound = tuple_(*values)
        return row > bound if later else row < bound
    alternatives = []
    for i, key in enumerate(keys):
        equal = [keys[j].expr == values[j] for j in range(i)]
        later = following != key.descending
        alternatives.append(and_(*equal, key.expr > values[i] if later else key.expr < values[i]))
    return or_(*alternatives)


def order_clauses(keys: Sequence[SortKey], *, reverse: bool) -> list[Any]:
    return [key.expr.desc() if key.descending != reverse else key.expr.asc() for key in keys]


def key_labels(keys: Sequence[SortKey]) -> list[Any]:
    """The sort keys' values, selected as ``_k0``, ``_k1``, ... beside a row."""
    return [key.expr.label(f"_k{i}") for i, key in enumerate(keys)]


def key_values(row: Any, width: int) -> tuple[Any, ...]:
    """The sort-key values ``key_labels`` selected."""
    return tuple(row[f"_k{i}"] for i in range(width))
