"""price schedules do not overlap

A customer has one price for a product on any day: two price schedules of the same
customer and product may not share a day (``valid_to`` is the last day, null for open).
PostgreSQL holds the rule with an exclusion constraint (btree_gist, a trusted extension the
database owner may install); SQLite with triggers that refuse the write. A table that
SQLite's batch mode recreates in a later migration loses its triggers: create them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ex_price_schedules_do_not_overlap"
TRIGGERS = ("price_schedules_do_not_overlap_on_insert", "price_schedules_do_not_overlap_on_update")
OVERLAPPING = """
SELECT c.customer_number, a.product_code, a.valid_from, a.valid_to, b.valid_from, b.valid_to
FROM price_schedules a
JOIN price_schedules b
  ON b.customer_id = a.customer_id AND b.product_code = a.product_code AND b.id > a.id
 AND (a.valid_to IS NULL OR b.valid_from <= a.valid_to)
 AND (b.valid_to IS NULL OR b.valid_to >= a.valid_from)
JOIN customers c ON c.id = a.customer_id
ORDER BY c.customer_number, a.product_code, a.valid_from
LIMIT 10
"""
CLASH = """
SELECT 1 FROM price_schedules p
WHERE p.customer_id = NEW.customer_id AND p.product_code = NEW.product_code{other}
  AND (NEW.valid_to IS NULL OR p.valid_from <= NEW.valid_to)
  AND (p.valid_to IS NULL OR p.valid_to >= NEW.valid_from)
"""


def _refuse_existing_overlaps() -> None:
    """Overlaps stored before the rule must be settled by a person: say which they are."""
    found = op.get_bind().execute(sa.text(OVERLAPPING)).all()
    if found:
        listed = "; ".join(
            f"{number} {code}: {a_from} to {a_to or 'open'} and {b_from} to {b_to or 'open'}"
            for number, code, a_from, a_to, b_from, b_to in found
        )
        raise RuntimeError(
            "Price schedules of one customer and product overlap; end or remove one of each "
            f"pair, then migrate again: {listed}"
        )


def upgrade() -> None:
    _refuse_existing_overlaps()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE price_schedules ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(customer_id WITH =, product_code WITH =, "
            "daterange(valid_from, valid_to, '[]') WITH &&)"
        )
        return
    for trigger, event, other in (
        (TRIGGERS[0], "INSERT", ""),
        (
            TRIGGERS[1],
            "UPDATE OF customer_id, product_code, valid_from, valid_to",
            " AND p.id != NEW.id",
        ),
    ):
        clash = CLASH.format(other=other)
        op.execute(
            f"CREATE TRIGGER {trigger} BEFORE {event} ON price_schedules "
            f"WHEN EXISTS ({clash}) "
            f"BEGIN SELECT RAISE(ABORT, '{CONSTRAINT}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(CONSTRAINT, "price_schedules")
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger}")
