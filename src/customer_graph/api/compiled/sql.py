"""Values in SQL as Strawberry serializes them: JSON objects, global ids, cursors,
``DateTime`` and ``Decimal``, so the compiled path's JSON is the resolvers', byte for byte."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    get_named_type,
)
from sqlalchemy import (
    ColumnElement,
    Text,
    case,
    func,
    literal_column,
)

Expr = ColumnElement[Any]


class Unsupported(Exception):
    """The compiler does not cover this operation; the resolvers answer it whole."""

    def __init__(self, reason: str, *, for_these_values: bool = False) -> None:
        super().__init__(reason)
        self.for_these_values = for_these_values
        """Only these argument values are refused (a bad cursor): other values may compile."""


MAX_OBJECT_KEYS = 50
"""``json_build_object`` takes at most 100 arguments: 50 keys and their values."""


def const(text: str) -> Expr:
    """A constant string in the SQL text itself (names from the schema, never user input)."""
    return literal_column("'" + text.replace("'", "''") + "'", Text)


def concat(*parts: Expr) -> Expr:
    """``a || b || ...``: null when any part is null."""
    result = parts[0]
    for part in parts[1:]:
        result = result.op("||", return_type=Text)(part)
    return result


EMPTY_ARRAY: Expr = literal_column("'[]'::json")
NULL_JSON = const("null")


def iso_datetime(value: Expr) -> Expr:
    """``datetime.isoformat()`` of a UTC timestamp: microseconds only when there are some."""
    utc = func.timezone(const("UTC"), value)
    fraction = case(
        (func.date_trunc(const("second"), utc) == utc, const("")),
        else_=func.to_char(utc, const(".US")),
    )
    return concat(func.to_char(utc, const('YYYY-MM-DD"T"HH24:MI:SS')), fraction, const("+00:00"))


def scalar(value: Expr, field: GraphQLField) -> Expr:
    """A column value as Strawberry serializes a leaf of this GraphQL type.

    Enums are stored by their names, which are what GraphQL answers.
    """
    named = get_named_type(field.type)
    if isinstance(named, GraphQLEnumType):
        return value
    type_name = named.name
    if type_name == "DateTime":
        return iso_datetime(value)
    if type_name == "Decimal":
        return value.cast(Text)
    if type_name in ("String", "Int", "Boolean", "Date", "Float", "JSON"):
        return value
    raise Unsupported(f"scalar {type_name}")


def global_id(type_name: str, key: Expr) -> Expr:
    """``GlobalID(type_name, str(key))`` as relay serializes it: standard base64."""
    text = concat(const(f"{type_name}:"), key.cast(Text))
    return func.encode(func.convert_to(text, const("UTF8")), const("base64"))


def cursor_value(value: Expr, python_type: type[Any]) -> Expr:
    """One sort-key value as orjson writes it in a cursor (``pagination.encode_cursor``)."""
    if python_type is bool or python_type is date or python_type is str:
        text = func.to_json(value).cast(Text)
    elif python_type is datetime:
        text = func.to_json(iso_datetime(value)).cast(Text)
    elif python_type is Decimal:
        text = func.to_json(value.cast(Text)).cast(Text)
    elif issubclass(python_type, int):
        text = value.cast(Text)
    else:
        raise Unsupported(f"cursor of {python_type.__name__}")
    return func.coalesce(text, NULL_JSON)


def cursor_text(ordering: str, values: Sequence[tuple[Expr, type[Any]]]) -> Expr:
    """``encode_cursor``: URL-safe base64, unpadded, of ``[ordering, *values]`` in JSON."""
    parts: list[Expr] = [const("[" + orjson.dumps(ordering).decode())]
    for value, python_type in values:
        parts.extend((const(","), cursor_value(value, python_type)))
    parts.append(const("]"))
    encoded = func.encode(func.convert_to(concat(*parts), const("UTF8")), const("base64"))
    no_newlines = func.translate(
        encoded, concat(const("+/"), func.chr(literal_column("10"))), const("-_")
    )
    return func.rtrim(no_newlines, const("="))


def json_object(pairs: Sequence[tuple[str, Expr]]) -> Expr:
    if len(pairs) > MAX_OBJECT_KEYS:
        raise Unsupported("an object of more than 50 keys")
    args: list[Expr] = []
    for key, value in pairs:
        args.extend((const(key), value))
    return func.json_build_object(*args)
