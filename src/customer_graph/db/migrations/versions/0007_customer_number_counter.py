"""customer number counter

New customer numbers come from a counter instead of the highest stored number: a sequence
on PostgreSQL, a row of ``counters`` on SQLite, both starting past the highest stored
number of the ``C-000123`` format.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NUMBERED = re.compile(r"^C-(\d+)$")


def _highest_number() -> int:
    numbers = op.get_bind().execute(
        sa.text("SELECT customer_number FROM customers WHERE customer_number LIKE 'C-%'")
    )
    return max((int(m.group(1)) for (n,) in numbers if (m := _NUMBERED.match(n))), default=0)


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    highest = _highest_number()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE customer_numbers")
        if highest:
            op.execute(sa.text(f"SELECT setval('customer_numbers', {highest})"))
    else:
        op.execute(
            sa.text(
                "INSERT INTO counters (name, value) VALUES ('customer_numbers', :value)"
            ).bindparams(value=highest)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE customer_numbers")
    op.drop_table("counters")
