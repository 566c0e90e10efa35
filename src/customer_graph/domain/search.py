"""Searching inside a customer's lists: a text matches a row when any of the row's
searched columns contains it, whatever the case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import SQLColumnExpression, or_
from sqlalchemy.sql.elements import ColumnElement


def search_text(text: str | None) -> str | None:
    """The text to look for, or None when there is nothing to look for (blank)."""
    if text is None or not text.strip():
        return None
    return text.strip()


def contains_text(columns: Sequence[SQLColumnExpression[Any]], text: str) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, case-insensitively; ``%`` and ``_`` are literal."""
    return or_(*(column.icontains(text, autoescape=True) for column in columns))
