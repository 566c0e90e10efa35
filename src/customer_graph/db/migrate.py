"""Bring a database to the newest schema with Alembic, from code (``customer-graph migrate``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Migration:
    revision: str
    title: str
    """The first line of the migration's docstring."""

    def __str__(self) -> str:
        return f"{self.revision} ({self.title})"


@dataclass(frozen=True)
class MigrationReport:
    """Where an upgrade found the database, where it left it, and what it applied."""

    before: Migration | None
    """None: the database had no schema yet."""
    after: Migration
    applied: list[Migration]
    """Oldest first."""


def alembic_config(sync_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url)
    return config


def current_revision(sync_url: str) -> str | None:
    engine = create_engine(sync_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(sync_url: str, revision: str = "head") -> MigrationReport:
    """Apply the migrations the database lacks, up to ``revision``; say which."""
    config = alembic_config(sync_url)
    script = ScriptDirectory.from_config(config)

    def described(rev: str | None) -> Migration | None:
        found = script.get_revision(rev) if rev else None
        return None if found is None else Migration(found.revision, found.doc)

    before = current_revision(sync_url)
    target = script.get_revision(revision)
    assert target is not None
    pending = (
        []
        if before == target.revision
        else list(reversed(list(script.iterate_revisions(target.revision, before))))
    )
    command.upgrade(config, revision)
    after = described(current_revision(sync_url))
    assert after is not None
    return MigrationReport(
        before=described(before),
        after=after,
        applied=[Migration(step.revision, step.doc) for step in pending],
    )
