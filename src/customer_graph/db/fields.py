"""How a column is seen from outside, declared once on the model's column.

A customer field is declared where its column is (``mapped_column(..., info=shown(...))``);
everything else derives from that: the read model's columns and composites, the input
rules, the paths people see in forms and errors, the history's recorded fields and
labels, and the CSV columns (``domain/customer_fields.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Rule = Literal[
    "text", "number", "email", "phone", "url", "country", "currency", "choice", "date", "person"
]
"""How a given value is checked (``domain/customer_fields.py`` says what each means)."""

SHOWN = "customer_graph.shown"
"""Key of a column's ``FieldSpec`` in its ``info``."""


@dataclass(frozen=True)
class FieldSpec:
    rule: Rule
    path: str | None = None
    """Where the field is in inputs, types and history, when it is not the column's name
    (``billing_address.city``)."""
    label: str | None = None
    """What people call it, when not its path in words (``created_on``: "Date created",
    ``billing_address.city``: "Billing city"): the words its history and its messages use."""
    max_length: int | None = None
    """For text without a length in the database."""
    default: Any = None
    """On create, when not given."""
    editable: bool = True
    """False for what only a lifecycle step sets (status, archived_at)."""
    exported: bool = True
    """In the CSV export and import."""


def shown(rule: Rule, **details: Any) -> dict[str, FieldSpec]:
    """A column's ``info``: it is a field people see, checked by ``rule``."""
    return {SHOWN: FieldSpec(rule, **details)}
