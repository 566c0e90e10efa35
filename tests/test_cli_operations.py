"""What an operator types: role names, migrations that say what they did, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select
from typer.testing import CliRunner, Result

from customer_graph.cli import app
from customer_graph.db.enums import Role
from customer_graph.db.migrate import alembic_config
from customer_graph.db.models import User
from customer_graph.domain.roles import ROLE_SUMMARIES, SHORT_ROLE_NAMES
from customer_graph.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password"


@pytest.fixture
def sync_url(database_url: str) -> str:
    return database_url.replace("+aiosqlite", "+pysqlite")


@pytest.fixture
def run(database_url: str) -> Iterator[CliRunner]:
    get_settings.cache_clear()
    yield CliRunner(env={"CUSTOMER_GRAPH_DATABASE_URL": database_url})
    get_settings.cache_clear()


def create_user(runner: CliRunner, email: str, role: str) -> Result:
    return runner.invoke(
        app,
        ["user", "create", "--email", email, "--name", "Someone", "--role", role,
         "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip


def stored_roles(sync_url: str) -> dict[str, Role]:
    engine = create_engine(sync_url)
    with engine.connect() as connection:
        rows = connection.execute(select(User.email, User.role)).all()
    engine.dispose()
    return {row.email: row.role for row in rows}


@pytest.mark.parametrize(
    ("given", "role"),
    [
        ("admin", Role.ADMIN),
        ("manager", Role.SALES_MANAGER),
        ("rep", Role.SALES_REP),
        ("support", Role.SUPPORT),
        ("SALES_MANAGER", Role.SALES_MANAGER),
        ("sales_rep", Role.SALES_REP),
        ("Sales-Manager", Role.SALES_MANAGER),
        ("ADMIN", Role.ADMIN),
    ],
)
def test_user_create_takes_the_api_names_and_the_short_ones(
    run: CliRunner, sync_url: str, given: str, role: Role
) -> None:
    created = create_user(run, "new@example.com", given)
    assert created.exit_code == 0, created.output
    assert f"({role.value})" in created.output
    assert stored_roles(sync_url)["new@example.com"] is role


def test_an_unknown_role_is_refused_with_the_choices(run: CliRunner, sync_url: str) -> None:
    refused = create_user(run, "new@example.com", "boss")
    assert refused.exit_code == 1
    message = " ".join(refused.output.split())
    assert "'boss' is not a role" in message
    for role, short in SHORT_ROLE_NAMES.items():
        assert f"{short} ({role.value})" in message
    assert "new@example.com" not in stored_roles(sync_url)


def test_the_readme_names_every_role_as_the_cli_and_the_api_do() -> None:
    readme = (ROOT / "README.md").read_text()
    for role, short in SHORT_ROLE_NAMES.items():
        row = re.search(rf"^\| `{short}` \(`{role.value}`\) \|.*\|$", readme, re.MULTILINE)
        assert row, f"README's role table has no row for {short} ({role.value})"
        assert ROLE_SUMMARIES[role] in row.group(0)


def said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("steps_back", [2, None])
def test_migrate_says_from_which_revision_to_which_and_what_it_applied(
    run: CliRunner, sync_url: str, steps_back: int | None
) -> None:
    """From two migrations behind (or from nothing) to the newest, each applied one named."""
    config = alembic_config(sync_url)
    history = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    newest = history[-1]
    start = history[-1 - steps_back] if steps_back else None
    command.downgrade(config, start.revision if start else "base")

    migrated = run.invoke(app, ["migrate"])

    assert migrated.exit_code == 0, migrated.output
    text = said(migrated)
    begun = f"{start.revision} ({start.doc})" if start else "no schema"
    assert f"from {begun} to {newest.revision} ({newest.doc})" in text
    applied = history[-steps_back:] if steps_back else history
    assert f"applying {len(applied)} migrations:" in text
    assert text.endswith(" ".join(f"{step.revision} {step.doc}" for step in applied))

    again = run.invoke(app, ["migrate"])
    assert again.exit_code == 0, again.output
    assert f"is at {newest.revision} ({newest.doc}), the newest: nothing to do." in said(again)
