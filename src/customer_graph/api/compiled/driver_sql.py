"""A compiled read's statement rendered once, its text run as the driver takes it.

SQLAlchemy looks a statement up in its compiled cache on every execution, and building the
cache key walks the whole expression (a partner's page is thousands of nodes). A plan's
statement never changes, so it is rendered once when the plan is made; each request runs
that text with ``exec_driver_sql``, which still logs it and fires the engine's events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Dialect, Select
from sqlalchemy.ext.asyncio import AsyncConnection

_NAMED = re.compile(r"%\(([^)]+)\)s|%%")


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    values: Mapping[str, Any]
    """Every parameter's value as compiled; the request's values replace some of them."""
    numbered: str = field(init=False)
    """The text with PostgreSQL's own placeholders (``$1``), for psycopg's raw cursor:
    it parses no placeholders per execution (for a text past 4 kB it parses each time)."""
    order: tuple[str, ...] = field(init=False)
    """The parameters' names in the order of their numbers."""

    def __post_init__(self) -> None:
        order: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%"
            return f"${order.setdefault(match.group(1), len(order) + 1)}"

        object.__setattr__(self, "numbered", _NAMED.sub(number, self.sql))
        object.__setattr__(self, "order", tuple(order))

    def bound(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's value for a request with these ``parameters``."""
        return {name: parameters.get(name, value) for name, value in self.values.items()}

    def positional(self, parameters: Mapping[str, Any]) -> list[Any]:
        """``bound``, in the order of ``numbered``'s placeholders."""
        values = self.values
        return [parameters.get(name, values[name]) for name in self.order]


def render(statement: Select[Any], dialect: Dialect) -> DriverStatement | None:
    """The statement as psycopg takes it; None when a parameter needs SQLAlchemy's help
    (a type that converts its values, a list expanded per execution, a name the driver
    cannot take as it is)."""
    if dialect.driver != "psycopg":
        return None
    compiled = statement.compile(dialect=dialect)
    if compiled.escaped_bind_names or "__[POSTCOMPILE_" in compiled.string:
        return None
    for bind in compiled.binds.values():
        if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
            return None
    given_per_request = {bind.key: None for bind in compiled.bind_names if bind.required}
    return DriverStatement(compiled.string, dict(compiled.construct_params(given_per_request)))


async def fetch_row(
    connection: AsyncConnection, statement: DriverStatement, parameters: Mapping[str, Any]
) -> Sequence[Any]:
    """The one row the statement selects, for these request parameters."""
    result = await connection.exec_driver_sql(statement.sql, statement.bound(parameters))
    return result.one()
