"""Counters that hand out numbers without reading the numbered rows.

PostgreSQL uses a sequence, which never waits for another transaction (a number taken by a
transaction that rolls back is skipped). SQLite writes one at a time, so there a row of
``counters`` does the same job inside the writing transaction.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Sequence, String, Table

from customer_graph.db.base import Base

CUSTOMER_NUMBERS = "customer_numbers"

CUSTOMER_NUMBER_SEQUENCE = Sequence(CUSTOMER_NUMBERS, metadata=Base.metadata)
"""PostgreSQL's counter of customer numbers."""


COUNTERS = Table(
    "counters",
    Base.metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
"""SQLite's counters, by name: ``value`` is the last number handed out."""
