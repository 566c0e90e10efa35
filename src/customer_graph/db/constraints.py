"""Which unique column a write collided on, read from the database driver's error.

The one place that knows how SQLite and PostgreSQL (psycopg) report a unique violation, so
that a write which raced past a check can still say which field holds a taken value.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

_SQLITE = re.compile(r"^UNIQUE constraint failed: (\w+)\.(\w+)$")
_POSTGRESQL_KEY = re.compile(r"^Key \((\w+)\)=")
UNIQUE_VIOLATION = "23505"


def taken_column(error: IntegrityError) -> str | None:
    """The column of the one-column unique constraint ``error`` broke; None when it broke
    anything else (several columns, an expression, another kind of constraint)."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:
        if getattr(orig, "sqlstate", None) != UNIQUE_VIOLATION:
            return None
        key = _POSTGRESQL_KEY.match(diag.message_detail or "")
        return key.group(1) if key else None
    sqlite = _SQLITE.match(str(orig))
    return sqlite.group(2) if sqlite else None
