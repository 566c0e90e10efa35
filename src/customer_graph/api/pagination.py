"""Keyset pagination: page arguments, opaque cursors and the SQL predicates they become.

A cursor holds the sort-key values of its row, so the next page is ``WHERE key > cursor``
in SQL, never an OFFSET.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import orjson
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

from customer_graph.api.errors import BadUserInput
from customer_graph.domain.keyset import SortKey, keyset_condition


@dataclass(frozen=True)
class PageRequest:
    """Validated page arguments: ``limit`` rows after ``after`` or before ``before``."""

    limit: int
    backwards: bool
    after: tuple[Any, ...] | None
    before: tuple[Any, ...] | None
    ordering: str
    """The name of the ordering the cursors belong to; a cursor of another is rejected."""

    @property
    def cache_key(self) -> tuple[Any, ...]:
        return (self.limit, self.backwards, self.after, self.before, self.ordering)


def page_request(
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    keys: Sequence[SortKey],
    ordering: str,
    default_size: int,
    max_size: int,
) -> PageRequest:
    if first is not None and last is not None:
        raise BadUserInput("Pass either `first` or `last`, not both.")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= max_size:
            raise BadUserInput(f"`{name}` must be between 0 and {max_size}; it was {value}.")
    backwards = last is not None and first is None
    limit = (last if backwards else first) if (first is not None or last is not None) else None
    return PageRequest(
        limit=default_size if limit is None else limit,
        backwards=backwards,
        after=decode_cursor(after, keys, ordering) if after else None,
        before=decode_cursor(before, keys, ordering) if before else None,
        ordering=ordering,
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def encode_cursor(values: Sequence[Any], ordering: str) -> str:
    payload = orjson.dumps([ordering, *values], default=_json_default)
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def value_type(key: SortKey) -> type[Any] | None:
    """The Python type of a sort key's values as rows hold them (a TypeDecorator's own)."""
    sql_type: TypeEngine[Any] = cast("ColumnElement[Any]", key.expr).type
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    try:
        return sql_type.python_type
    except NotImplementedError:
        return None


def _parser(key: SortKey) -> Callable[[Any], Any]:
    python_type = value_type(key)
    if python_type is None:
        return lambda value: value
    if python_type is bool:
        return bool
    if python_type is datetime:
        return datetime.fromisoformat
    if python_type is date:
        return date.fromisoformat
    if python_type is Decimal:
        return Decimal
    if issubclass(python_type, int):
        return int
    return str


def value_parsers(keys: Sequence[SortKey]) -> tuple[Callable[[Any], Any], ...]:
    """How a cursor's value of each sort key becomes the key's Python value."""
    return tuple(_parser(key) for key in keys)


def decode_cursor(
    cursor: str,
    keys: Sequence[SortKey],
    ordering: str,
    parsers: tuple[Callable[[Any], Any], ...] | None = None,
) -> tuple[Any, ...]:
    """The sort-key values a cursor holds; ``parsers`` are ``value_parsers(keys)``, worked
    out once by a caller that decodes many cursors of one list."""
    parsers = value_parsers(keys) if parsers is None else parsers
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(decoded, list) or len(decoded) != len(keys) + 1:
            raise ValueError
        tag, *values = decoded
        if tag != ordering:
            raise BadUserInput(
                f"The cursor {cursor!r} belongs to another ordering or list; "
                "request the first page again."
            )
        return tuple(
            None if value is None else parse(value)
            for parse, value in zip(parsers, values, strict=True)
        )
    except (ValueError, TypeError, binascii.Error, InvalidOperation, orjson.JSONDecodeError):
        raise BadUserInput(f"The cursor {cursor!r} is not valid.") from None


def page_conditions(keys: Sequence[SortKey], page: PageRequest) -> list[ColumnElement[bool]]:
    conditions = []
    if page.after is not None:
        conditions.append(keyset_condition(keys, page.after, following=True))
    if page.before is not None:
        conditions.append(keyset_condition(keys, page.before, following=False))
    return conditions
