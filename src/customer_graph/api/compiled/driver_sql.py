"""A compiled read's statement rendered once, its text run as the driver takes it.

SQLAlchemy looks a statement up in its compiled cache on every execution, and building the
cache key walks the whole expression (a partner's page is thousands of nodes). A plan's
statement never changes, so it is rendered once when the plan is made; each request runs
that text with ``exec_driver_sql``, which still logs it and fires the engine's events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Dialect, Select
from sqlalchemy.ext.asyncio import AsyncConnection

_NAMED = re.compile(r"%\(([^)]+)\)s|%%")


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    values: Mapping[str, Any]
    """Every parameter's value as compiled, as the driver takes it; the request's values
    replace some of them."""
    processors: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    """SQLAlchemy's conversion of a parameter's value for the driver, by name, where its
    type has one (a ``Boolean`` checks that it is one)."""
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

    def value(self, name: str, parameters: Mapping[str, Any]) -> Any:
        if name not in parameters:
            return self.values[name]
        value = parameters[name]
        process = self.processors.get(name)
        return value if process is None or value is None else process(value)

    def bound(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's value for a request with these ``parameters``."""
        return {name: self.value(name, parameters) for name in self.values}

    def positional(self, parameters: Mapping[str, Any]) -> list[Any]:
        """``bound``, in the order of ``numbered``'s placeholders."""
        return [self.value(name, parameters) for name in self.order]


def render(statement: Select[Any], dialect: Dialect) -> DriverStatement | None:
    """The statement as psycopg takes it; None when a parameter needs more of SQLAlchemy's
    help than its type's conversion (a name the driver cannot take as it is)."""
    if dialect.driver != "psycopg":
        return None
    compiled = statement.compile(dialect=dialect)
    if compiled.escaped_bind_names:
        return None
    given_per_request = {bind.key: None for bind in compiled.bind_names if bind.required}
    # A list's values are the plan's (plans are made per variables): expanded here, once.
    expanded = compiled.construct_expanded_state(given_per_request)
    processors = {
        name: process
        for name, bind in compiled.binds.items()
        if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    } | dict(expanded.processors)
    values = {
        name: value if value is None or name not in processors else processors[name](value)
        for name, value in expanded.parameters.items()
    }
    return DriverStatement(expanded.statement, values, processors)


async def fetch_row(
    connection: AsyncConnection, statement: DriverStatement, parameters: Mapping[str, Any]
) -> Sequence[Any]:
    """The one row the statement selects, for these request parameters."""
    result = await connection.exec_driver_sql(statement.sql, statement.bound(parameters))
    return result.one()
