"""Domain names as GraphQL clients know them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Text, case, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from strawberry.utils.str_converters import to_camel_case


def graphql_path(field: str | None) -> str | None:
    """``billing_address.postal_code`` as the client names it: ``billingAddress.postalCode``."""
    if field is None:
        return None
    return ".".join(to_camel_case(part) for part in field.split("."))


def sql_graphql_path(field: ColumnElement[Any]) -> ColumnElement[str]:
    """``graphql_path`` in PostgreSQL, for the compiled read path: in each dotted segment the
    words after the first are capitalized (``initcap``, as ``str.capitalize``); an empty word
    stays ``_``."""
    empty, dot, underscore = (literal_column(f"'{c}'", Text) for c in ("", ".", "_"))
    segments = (
        func.unnest(func.string_to_array(func.coalesce(field, empty), dot))
        .table_valued("segment", with_ordinality="n")
        .render_derived()
        .alias("segments")
    )
    words = (
        func.unnest(func.string_to_array(segments.c.segment, underscore))
        .table_valued("word", with_ordinality="n")
        .render_derived()
        .alias("words")
    )
    camel = case(
        (words.c.n == literal_column("1"), words.c.word),
        (words.c.word == empty, underscore),
        else_=func.initcap(words.c.word),
    )
    segment = (
        select(func.coalesce(func.string_agg(camel, aggregate_order_by(empty, words.c.n)), empty))
        .select_from(words)
        .scalar_subquery()
    )
    path = func.string_agg(segment, aggregate_order_by(dot, segments.c.n))
    return select(func.coalesce(path, empty)).select_from(segments).scalar_subquery()
