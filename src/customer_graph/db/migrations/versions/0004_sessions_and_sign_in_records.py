"""sessions and sign-in records

Server-side sessions (``user_sessions``); failed sign-ins recorded per email and client
address (``login_failures`` is made anew: its rows only ever lived 15 minutes); one user
per email whatever its case (a unique index on ``lower(email)``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:18:23.293055
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import customer_graph.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_emails_differing_only_in_case() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(email) FROM users GROUP BY lower(email) HAVING count(*) > 1"
                " ORDER BY 1"
            )
        )
        .scalars()
        .all()
    )
    if clashes:
        raise RuntimeError(
            "Several users share an email that differs only in case: "
            f"{', '.join(clashes)}. Change or remove all but one of each, then migrate again."
        )


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "last_seen_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("expires_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_user_sessions_secret_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])

    op.drop_index("ix_login_failures_email_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_email_address",
        "login_failures",
        ["email", "client_address", "failed_at"],
    )
    op.create_index("ix_login_failures_address", "login_failures", ["client_address", "failed_at"])
    op.create_index("ix_login_failures_failed_at", "login_failures", ["failed_at"])

    _refuse_emails_differing_only_in_case()
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_users_email_lower", table_name="users")

    op.drop_index("ix_login_failures_failed_at", table_name="login_failures")
    op.drop_index("ix_login_failures_address", table_name="login_failures")
    op.drop_index("ix_login_failures_email_address", table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failed_at", customer_graph.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email_failed_at", "login_failures", ["email", "failed_at"])

    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
