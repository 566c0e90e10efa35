"""Numbers assigned as the next free one of a format such as ``WO-000001``."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from customer_graph.db.engine import Transaction


async def next_number(session: Transaction, column: Any, prefix: str, width: int = 6) -> str:
    """One past the highest number of this format; numbers of other formats are left alone."""
    numbered = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    candidates = await session.scalars(
        select(column)
        .where(column.like(f"{prefix}%"))
        .order_by(func.length(column).desc(), column.desc())
        .limit(20)
    )
    highest = max(
        (int(m.group(1)) for number in candidates if (m := numbered.match(number))), default=0
    )
    return f"{prefix}{highest + 1:0{width}d}"
