"""Sessions live on the server: signing out ends them, everywhere if asked, and an
administrator can end someone's; the cookie names a session and proves nothing alone."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.enums import Role
from customer_graph.db.models import UserSession
from customer_graph.domain.passwords import hash_password
from customer_graph.settings import SecretKeyError, Settings
from customer_graph.web.app import create_app
from customer_graph.web.session_cookie import SESSION_COOKIE
from tests import factories as make
from tests.graphql_client import count_statements, global_id
from tests.web_client import TEST_SETTINGS, app_client, sign_in

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)
VIEWER = {"query": "{ viewer { name } }"}
END_SESSIONS = """mutation($input: EndUserSessionsInput!) { endUserSessions(input: $input) {
  user { email } endedSessionCount userErrors { field code message } } }"""


async def add_user(engine: AsyncEngine, email: str, role: Role = Role.SALES_REP) -> int:
    async with engine.begin() as conn:
        return await make.user(conn, email=email, role=role, password_hash=PASSWORD_HASH)


async def test_a_cookie_replayed_after_logout_is_refused(engine: AsyncEngine) -> None:
    await add_user(engine, "rep@example.com")
    async with app_client(engine) as client:
        csrf = await sign_in(client, "rep@example.com", PASSWORD)
        cookie = client.cookies[SESSION_COOKIE]
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        logout = await client.post("/auth/logout", headers={"X-CSRF-Token": csrf})
        assert logout.status_code == 204
        assert SESSION_COOKIE in logout.headers["set-cookie"]
    async with app_client(engine) as replay:
        replay.cookies.set(SESSION_COOKIE, cookie)
        assert (await replay.post("/graphql", json=VIEWER)).status_code == 401
        assert (await replay.get("/auth/me")).status_code == 401
        assert (await replay.get("/export/customers.csv")).status_code == 401


async def test_signing_out_everywhere_ends_every_browser(engine: AsyncEngine) -> None:
    await add_user(engine, "rep@example.com")
    await add_user(engine, "other@example.com")
    async with (
        app_client(engine) as laptop,
        app_client(engine) as phone,
        app_client(engine) as colleague,
    ):
        csrf = await sign_in(laptop, "rep@example.com", PASSWORD)
        await sign_in(phone, "rep@example.com", PASSWORD)
        await sign_in(colleague, "other@example.com", PASSWORD)
        refused = await laptop.post("/auth/logout-everywhere")
        assert refused.status_code == 403, "needs the CSRF header"
        ended = await laptop.post("/auth/logout-everywhere", headers={"X-CSRF-Token": csrf})
        assert ended.status_code == 204
        assert (await phone.post("/graphql", json=VIEWER)).status_code == 401
        assert (await laptop.get("/auth/me")).status_code == 401
        assert (await colleague.post("/graphql", json=VIEWER)).status_code == 200


async def test_an_administrator_ends_a_users_sessions(engine: AsyncEngine) -> None:
    rep = await add_user(engine, "rep@example.com")
    await add_user(engine, "admin@example.com", Role.ADMIN)
    await add_user(engine, "manager@example.com", Role.SALES_MANAGER)
    variables = {"input": {"userId": global_id("User", rep)}}
    async with (
        app_client(engine) as admin,
        app_client(engine) as manager,
        app_client(engine) as browser,
    ):
        admin_csrf = await sign_in(admin, "admin@example.com", PASSWORD)
        manager_csrf = await sign_in(manager, "manager@example.com", PASSWORD)
        await sign_in(browser, "rep@example.com", PASSWORD)

        async def end(client: Any, csrf: str, **input: Any) -> Any:
            body = {"query": END_SESSIONS, "variables": {"input": variables["input"] | input}}
            answer = await client.post("/graphql", json=body, headers={"X-CSRF-Token": csrf})
            return answer.json()["data"]["endUserSessions"]

        forbidden = await end(manager, manager_csrf)
        assert [e["code"] for e in forbidden["userErrors"]] == ["FORBIDDEN"]
        assert (await browser.post("/graphql", json=VIEWER)).status_code == 200
        missing = await end(admin, admin_csrf, userId=global_id("User", 999_999))
        assert [(e["field"], e["code"]) for e in missing["userErrors"]] == [("userId", "NOT_FOUND")]
        ended = await end(admin, admin_csrf)
        assert ended == {
            "user": {"email": "rep@example.com"},
            "endedSessionCount": 1,
            "userErrors": [],
        }
        assert (await browser.post("/graphql", json=VIEWER)).status_code == 401
        assert (await admin.post("/graphql", json=VIEWER)).status_code == 200


def test_the_command_line_signs_a_user_out_everywhere(database_url: str) -> None:
    from starlette.testclient import TestClient
    from typer.testing import CliRunner

    from customer_graph.cli import app
    from customer_graph.settings import get_settings

    env = {"CUSTOMER_GRAPH_DATABASE_URL": database_url}
    runner = CliRunner()
    get_settings.cache_clear()
    try:
        created = runner.invoke(
            app,
            ["user", "create", "--email", "rep@example.com", "--name", "Rep", "--role",
             "sales_rep", "--password-stdin"],
            input=f"{PASSWORD}\n",
            env=env,
        )  # fmt: skip
        assert created.exit_code == 0, created.output
        settings = TEST_SETTINGS.model_copy(update={"database_url": database_url})
        with TestClient(create_app(settings)) as client:
            login = client.post(
                "/auth/login", json={"email": "rep@example.com", "password": PASSWORD}
            )
            assert login.status_code == 200
            signed_out = runner.invoke(app, ["user", "sign-out", "REP@example.com"], env=env)
            assert signed_out.exit_code == 0, signed_out.output
            assert "Ended 1 session" in signed_out.output
            assert client.post("/graphql", json=VIEWER).status_code == 401
        unknown = runner.invoke(app, ["user", "sign-out", "nobody@example.com"], env=env)
        assert unknown.exit_code == 1
        assert "No user has the email" in unknown.output
    finally:
        get_settings.cache_clear()


async def test_signing_in_again_ends_the_earlier_session(engine: AsyncEngine) -> None:
    await add_user(engine, "rep@example.com")
    async with app_client(engine) as client:
        await sign_in(client, "rep@example.com", PASSWORD)
        first = client.cookies[SESSION_COOKIE]
        await sign_in(client, "rep@example.com", PASSWORD)
        assert client.cookies[SESSION_COOKIE] != first
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
    async with app_client(engine) as replay:
        replay.cookies.set(SESSION_COOKIE, first)
        assert (await replay.post("/graphql", json=VIEWER)).status_code == 401


async def test_use_is_recorded_at_most_once_a_minute(engine: AsyncEngine) -> None:
    await add_user(engine, "rep@example.com")
    async with app_client(engine) as client:
        await sign_in(client, "rep@example.com", PASSWORD)
        with count_statements(engine) as quiet:
            for _ in range(3):
                assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        assert not [s for s in quiet.statements if s.lstrip().startswith("UPDATE user_sessions")]
        an_hour_ago = datetime.now(UTC) - timedelta(minutes=59)
        async with engine.begin() as conn:
            await conn.execute(update(UserSession).values(last_seen_at=an_hour_ago))
        with count_statements(engine) as touched:
            for _ in range(3):
                assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        assert len([s for s in touched.statements if "UPDATE user_sessions" in s]) == 1
    async with engine.connect() as conn:
        seen = (await conn.execute(select(UserSession.last_seen_at))).scalar_one()
    assert datetime.now(UTC) - seen < timedelta(minutes=1)


async def test_a_busy_database_does_not_hold_up_a_request_to_record_use(
    engine: AsyncEngine,
) -> None:
    """Another writer holds the lock (SQLite: the database; PostgreSQL: the session's row):
    the request answers at once and leaves ``last_seen_at`` for a later one."""
    await add_user(engine, "rep@example.com")
    async with app_client(engine) as client:
        await sign_in(client, "rep@example.com", PASSWORD)
        stale = datetime.now(UTC) - timedelta(minutes=5)
        async with engine.begin() as conn:
            await conn.execute(update(UserSession).values(last_seen_at=stale))
        async with engine.connect() as blocker:
            if engine.dialect.name == "sqlite":
                await blocker.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                await blocker.execute(select(UserSession.id).with_for_update())
            started = time.monotonic()
            try:
                response = await asyncio.wait_for(client.post("/graphql", json=VIEWER), 4)
            finally:
                took = time.monotonic() - started
                await blocker.rollback()
        assert response.status_code == 200
        assert took < 2, f"waited {took:.1f} s for the lock"
    async with engine.connect() as conn:
        seen = (await conn.execute(select(UserSession.last_seen_at))).scalar_one()
    assert seen == stale


async def test_dead_sessions_are_pruned_as_new_ones_begin(engine: AsyncEngine) -> None:
    user_id = await add_user(engine, "rep@example.com")
    long_ago = datetime.now(UTC) - timedelta(days=2)
    async with engine.begin() as conn:
        await conn.execute(
            insert(UserSession),
            [
                {
                    "secret_hash": f"{n:064x}",
                    "user_id": user_id,
                    "created_at": long_ago,
                    "last_seen_at": long_ago,
                    "expires_at": long_ago + timedelta(hours=8),
                }
                for n in range(150)
            ],
        )
    async with app_client(engine) as client:
        await sign_in(client, "rep@example.com", PASSWORD)
        await sign_in(client, "rep@example.com", PASSWORD)
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM user_sessions"))).scalar_one()
    assert count == 1, "150 dead, 100 pruned per sign-in; the second ended the first"


@pytest.mark.parametrize("key", ["x", "short-but-not-32-bytes-long!!!!"])
def test_a_short_secret_key_is_refused_with_how_to_make_one(key: str) -> None:
    settings = Settings(secret_key=key, database_url="postgresql+psycopg://nowhere/none")
    with pytest.raises(SecretKeyError) as refused:
        settings.session_secret()
    assert "at least 32 random bytes" in str(refused.value)
    assert "secrets.token_urlsafe(48)" in str(refused.value)
    with pytest.raises(SecretKeyError):
        create_app(settings)


def test_serve_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from customer_graph.cli import app
    from customer_graph.settings import get_settings

    def serve(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("served with a short secret key")

    monkeypatch.setattr(uvicorn, "run", serve)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            ["serve"],
            env={
                "CUSTOMER_GRAPH_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/none",
                "CUSTOMER_GRAPH_SECRET_KEY": "x",
            },
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "too short" in result.output
    assert "secrets.token_urlsafe" in result.output


@pytest.mark.parametrize(
    ("setting", "base_url", "expected"),
    [
        (None, "https://crm.example.com", "secure"),
        (None, "http://localhost:8000", "plain"),
        (None, "http://127.0.0.1:8000", "plain"),
        (None, "http://[::1]:8000", "plain"),
        (None, "http://crm.example.com", "refused"),
        (True, "http://localhost:8000", "secure"),
        (False, "http://crm.example.com", "plain"),
    ],
)
async def test_the_cookie_is_secure_unless_plain_http_stays_on_this_machine(
    engine: AsyncEngine, setting: bool | None, base_url: str, expected: str
) -> None:
    await add_user(engine, "rep@example.com")
    settings = TEST_SETTINGS.model_copy(update={"cookie_secure": setting})
    async with app_client(engine, settings, base_url=base_url) as client:
        response = await client.post(
            "/auth/login", json={"email": "rep@example.com", "password": PASSWORD}
        )
    if expected == "refused":
        assert response.status_code == 403
        assert "HTTPS" in response.json()["error"]
        assert "set-cookie" not in response.headers
        return
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert ("; secure" in cookie) is (expected == "secure")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


async def test_sessions_end_when_the_absolute_limit_passes_however_busy(
    engine: AsyncEngine,
) -> None:
    await add_user(engine, "rep@example.com")
    async with app_client(engine) as client:
        await sign_in(client, "rep@example.com", PASSWORD)
        async with engine.begin() as conn:
            await conn.execute(
                update(UserSession).values(expires_at=datetime.now(UTC) + timedelta(seconds=1))
            )
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        await asyncio.sleep(1.1)
        assert (await client.post("/graphql", json=VIEWER)).status_code == 401
