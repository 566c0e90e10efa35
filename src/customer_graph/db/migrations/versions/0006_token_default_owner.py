"""token default owner

An API token may name a user who owns and manages the customers it creates without naming
an owner or a manager (``api_tokens.default_owner_id``), as a signed-in person does.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("default_owner_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_api_tokens_default_owner_id_users"),
            "users",
            ["default_owner_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint(batch.f("fk_api_tokens_default_owner_id_users"), type_="foreignkey")
        batch.drop_column("default_owner_id")
