"""Nobody reads or changes what they may not: sessions, CSRF, tokens, throttle, roles."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from secrets import token_urlsafe
from typing import Any

import pytest
from itsdangerous import Signer
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.db.engine import make_engine
from customer_graph.db.enums import Role
from customer_graph.db.models import ApiToken, UserSession
from customer_graph.domain.tokens import TOKEN_MEMORY, create_token, revoke_token, uses_recorded
from customer_graph.domain.users import create_user
from customer_graph.web.session_cookie import SESSION_COOKIE
from tests import factories as make
from tests.graphql_client import count_statements, global_id
from tests.web_client import TEST_SETTINGS, app_client, sign_in

PASSWORD = "correct horse battery"
CUSTOMERS = {"query": "{ customers { totalCount edges { node { name viewerCanEdit } } } }"}
VIEWER = {"query": "{ viewer { name role isIntegration permissions user { email } } }"}


@dataclass
class People:
    ids: dict[Role, int]
    rep_customer: int
    other_customer: int


@pytest.fixture
async def people(engine: AsyncEngine) -> People:
    ids = {}
    async with AsyncSession(engine) as session:
        for role in Role:
            ids[role] = await create_user(
                session,
                email=f"{role.value.lower()}@example.com",
                name=role.value.title(),
                role=role,
                password=PASSWORD,
            )
        await session.commit()
    async with engine.begin() as conn:
        mine = await make.customer(conn, ids[Role.SALES_REP], name="Rep's own")
        other = await make.customer(conn, ids[Role.SALES_MANAGER], name="Someone else's")
    return People(ids, mine, other)


def email(role: Role) -> str:
    return f"{role.value.lower()}@example.com"


async def test_graphql_needs_a_session_or_a_token(engine: AsyncEngine, people: People) -> None:
    async with app_client(engine) as client:
        for response in (
            await client.post("/graphql", json=CUSTOMERS),
            await client.get("/graphql", headers={"Accept": "text/html"}),
            await client.get("/graphql", params={"query": "{ viewer { name } }"}),
        ):
            assert response.status_code == 401
            assert "Sign in" in response.json()["errors"][0]["message"]
            assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_reads_customers_and_edits_only_what_it_may(
    engine: AsyncEngine, people: People, role: Role
) -> None:
    async with app_client(engine) as client:
        await sign_in(client, email(role), PASSWORD)
        body = (await client.post("/graphql", json=CUSTOMERS)).json()
        editable = {
            e["node"]["name"]: e["node"]["viewerCanEdit"]
            for e in body["data"]["customers"]["edges"]
        }
        viewer = (await client.post("/graphql", json=VIEWER)).json()["data"]["viewer"]
    expected_editable = {
        Role.ADMIN: {"Rep's own": True, "Someone else's": True},
        Role.SALES_MANAGER: {"Rep's own": True, "Someone else's": True},
        Role.SALES_REP: {"Rep's own": True, "Someone else's": False},
        Role.SUPPORT: {"Rep's own": False, "Someone else's": False},
    }[role]
    assert editable == expected_editable
    assert viewer["role"] == role.value
    assert viewer["isIntegration"] is False
    assert viewer["user"] == {"email": email(role)}
    assert ("DELETE_CUSTOMERS" in viewer["permissions"]) is (
        role in (Role.ADMIN, Role.SALES_MANAGER)
    )


async def test_login_sets_a_signed_httponly_samesite_cookie(
    engine: AsyncEngine, people: People
) -> None:
    async with app_client(engine) as client:
        response = await client.post(
            "/auth/login", json={"email": "Support@Example.com ", "password": PASSWORD}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["user"]["email"] == email(Role.SUPPORT)
        assert body["user"]["id"] == global_id("User", people.ids[Role.SUPPORT])
        assert body["csrfToken"]
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith(SESSION_COOKIE)
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        me = await client.get("/auth/me")
        assert me.json() == body
        logout = await client.post("/auth/logout", headers={"X-CSRF-Token": body["csrfToken"]})
        assert logout.status_code == 204
        assert (await client.get("/auth/me")).status_code == 401
        assert (await client.post("/graphql", json=CUSTOMERS)).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"email": "admin@example.com", "password": "wrong password"},
        {"email": "nobody@example.com", "password": PASSWORD},
    ],
)
async def test_wrong_credentials_are_refused_alike(
    engine: AsyncEngine, people: People, body: dict[str, str]
) -> None:
    async with app_client(engine) as client:
        response = await client.post("/auth/login", json=body)
    assert response.status_code == 401
    assert response.json() == {"error": "The email or the password is wrong."}
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"email": "a@b.c"}'])
async def test_malformed_login_is_a_400(engine: AsyncEngine, people: People, raw: bytes) -> None:
    async with app_client(engine) as client:
        response = await client.post(
            "/auth/login", content=raw, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"]


async def test_repeated_failures_are_slowed_then_refused(
    engine: AsyncEngine, people: People
) -> None:
    """TEST_SETTINGS: 2 free attempts, then delays, refused from the 4th failure."""
    wrong = {"email": email(Role.ADMIN), "password": "nope nope nope"}
    async with app_client(engine) as client:
        statuses = [(await client.post("/auth/login", json=wrong)).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 401]
        refused = await client.post(
            "/auth/login", json={"email": email(Role.ADMIN), "password": PASSWORD}
        )
        assert refused.status_code == 429, "even the right password waits out the window"
        assert "Too many failed sign-ins" in refused.json()["error"]
        other = await client.post(
            "/auth/login", json={"email": email(Role.SUPPORT), "password": PASSWORD}
        )
        assert other.status_code == 200, "the throttle is per email"


async def test_a_success_clears_earlier_failures(engine: AsyncEngine, people: People) -> None:
    wrong = {"email": email(Role.ADMIN), "password": "nope nope nope"}
    right = {"email": email(Role.ADMIN), "password": PASSWORD}
    async with app_client(engine) as client:
        for _ in range(3):
            assert (await client.post("/auth/login", json=wrong)).status_code == 401
        assert (await client.post("/auth/login", json=right)).status_code == 200
        for _ in range(3):
            assert (await client.post("/auth/login", json=wrong)).status_code == 401
        assert (await client.post("/auth/login", json=right)).status_code == 200


def _signed(secret: str, key: str) -> str:
    return Signer(key, salt="customer_graph.session").sign(secret).decode()


async def test_forged_and_expired_cookies_are_refused(engine: AsyncEngine, people: People) -> None:
    """A cookie names a session the server holds: one signed with another key, one naming
    no session (made with the right key, as a thief of the key would), and one whose
    session passed its absolute or idle limit are refused; the real one is taken."""
    key = TEST_SETTINGS.session_secret()
    async with app_client(engine) as client:
        await sign_in(client, email(Role.ADMIN), PASSWORD)
        real = client.cookies[SESSION_COOKIE]
    secret = Signer(key, salt="customer_graph.session").unsign(real).decode()
    cases = [
        (_signed(secret, "somebody else's key, long enough to be accepted"), 401),
        (_signed(token_urlsafe(32), key), 401),
        (real, 200),
    ]
    for cookie, status in cases:
        async with app_client(engine) as client:
            client.cookies.set(SESSION_COOKIE, cookie)
            response = await client.post("/graphql", json=VIEWER)
            assert response.status_code == status, cookie
    now = datetime.now(UTC)
    idle = timedelta(seconds=TEST_SETTINGS.session_idle_seconds)
    for limit, last_seen_at, expires_at in (
        ("absolute", now, now - timedelta(seconds=1)),
        ("idle", now - idle - timedelta(seconds=1), now + timedelta(hours=1)),
    ):
        async with engine.begin() as conn:
            await conn.execute(
                update(UserSession).values(last_seen_at=last_seen_at, expires_at=expires_at)
            )
        async with app_client(engine) as client:
            client.cookies.set(SESSION_COOKIE, real)
            assert (await client.post("/graphql", json=VIEWER)).status_code == 401, limit
            assert (await client.get("/auth/me")).status_code == 401


async def test_a_deactivated_user_loses_the_session(engine: AsyncEngine, people: People) -> None:
    from sqlalchemy import update

    from customer_graph.db.models import User

    async with app_client(engine) as client:
        await sign_in(client, email(Role.SALES_REP), PASSWORD)
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        async with engine.begin() as conn:
            await conn.execute(
                update(User).where(User.id == people.ids[Role.SALES_REP]).values(is_active=False)
            )
        assert (await client.post("/graphql", json=VIEWER)).status_code == 401


async def test_logout_needs_the_csrf_header(engine: AsyncEngine, people: People) -> None:
    async with app_client(engine) as client:
        await sign_in(client, email(Role.ADMIN), PASSWORD)
        assert (await client.post("/auth/logout")).status_code == 403
        assert (await client.get("/auth/me")).status_code == 200


async def tokens(engine: AsyncEngine, **scopes: str) -> dict[str, str]:
    async with AsyncSession(engine) as session:
        issued = {
            name: (await create_token(session, name=name, scopes=frozenset(s.split(",")))).secret
            for name, s in scopes.items()
        }
        await session.commit()
    return issued


async def test_tokens_authenticate_as_a_named_integration(
    engine: AsyncEngine, people: People
) -> None:
    secrets = await tokens(engine, reader="read", writer="read,write")
    for name, secret in secrets.items():
        async with app_client(engine, Authorization=f"Bearer {secret}") as client:
            viewer = (await client.post("/graphql", json=VIEWER)).json()["data"]["viewer"]
            body = (await client.post("/graphql", json=CUSTOMERS)).json()
        assert viewer["name"] == name
        assert viewer["isIntegration"] is True
        assert viewer["role"] is None
        assert viewer["user"] is None
        edits = {e["node"]["viewerCanEdit"] for e in body["data"]["customers"]["edges"]}
        assert edits == ({False} if name == "reader" else {True})
    async with AsyncSession(engine) as session:
        used = await session.scalar(select(ApiToken.last_used_at).where(ApiToken.name == "reader"))
        stored = await session.scalar(select(ApiToken.token_hash).where(ApiToken.name == "reader"))
    assert used is not None
    assert datetime.now(UTC) - used < timedelta(minutes=1)
    assert stored is not None
    assert secrets["reader"] not in stored


async def test_write_only_token_cannot_read(engine: AsyncEngine, people: People) -> None:
    secret = (await tokens(engine, pusher="write"))["pusher"]
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        body = (await client.post("/graphql", json=CUSTOMERS)).json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "You are not allowed to view customers."
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_revoked_and_unknown_tokens_are_refused(engine: AsyncEngine, people: People) -> None:
    secret = (await tokens(engine, old="read"))["old"]
    async with AsyncSession(engine) as session:
        await revoke_token(session, "old")
        await session.commit()
    for bearer in (secret, "cg_made_up", ""):
        async with app_client(engine, Authorization=f"Bearer {bearer}") as client:
            assert (await client.post("/graphql", json=CUSTOMERS)).status_code == 401


async def test_a_token_revoked_elsewhere_is_refused_within_a_second(
    engine: AsyncEngine, people: People
) -> None:
    """Another process (a second worker, the CLI) revokes: this one stops trusting its
    memory of the token within ``TOKEN_MEMORY.seconds``."""
    secret = (await tokens(engine, partner="read"))["partner"]
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        async with engine.begin() as conn:
            await conn.execute(
                update(ApiToken)
                .where(ApiToken.name == "partner")
                .values(revoked_at=datetime.now(UTC))
            )
        await asyncio.sleep(TOKEN_MEMORY.seconds)
        assert (await client.post("/graphql", json=VIEWER)).status_code == 401


async def test_requests_arriving_together_share_one_token_lookup(
    engine: AsyncEngine, people: People
) -> None:
    """A partner's burst after this process's memory of its token lapsed: one lookup, and
    one ``last_used_at`` write, not one per request."""
    secret = (await tokens(engine, partner="read"))["partner"]
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        with count_statements(engine) as counter:
            answers = await asyncio.gather(
                *(client.post("/graphql", json=VIEWER) for _ in range(8))
            )
            await uses_recorded()
    assert [answer.status_code for answer in answers] == [200] * 8
    assert {answer.json()["data"]["viewer"]["name"] for answer in answers} == {"partner"}
    token_statements = [s for s in counter.statements if "api_tokens" in s]
    assert len([s for s in token_statements if s.lstrip().startswith("SELECT")]) == 1
    assert len([s for s in token_statements if s.lstrip().startswith("UPDATE")]) == 1


async def test_a_token_revoked_here_is_refused_at_once(engine: AsyncEngine, people: People) -> None:
    secret = (await tokens(engine, partner="read"))["partner"]
    async with app_client(engine, Authorization=f"Bearer {secret}") as client:
        assert (await client.post("/graphql", json=VIEWER)).status_code == 200
        async with AsyncSession(engine) as session:
            await revoke_token(session, "partner")
            await session.commit()
        assert (await client.post("/graphql", json=VIEWER)).status_code == 401


async def test_a_wrong_token_is_not_rescued_by_a_cookie(
    engine: AsyncEngine, people: People
) -> None:
    async with app_client(engine) as client:
        await sign_in(client, email(Role.ADMIN), PASSWORD)
        response = await client.post(
            "/graphql", json=VIEWER, headers={"Authorization": "Bearer cg_wrong"}
        )
    assert response.status_code == 401


def test_cli_token_and_user_commands(database_url: str) -> None:
    from starlette.testclient import TestClient
    from typer.testing import CliRunner

    from customer_graph.cli import app
    from customer_graph.settings import get_settings
    from customer_graph.web.app import create_app

    env = {"CUSTOMER_GRAPH_DATABASE_URL": database_url}
    runner = CliRunner()

    def create_user_cli(address: str) -> Any:
        return runner.invoke(
            app,
            [
                "user",
                "create",
                "--email",
                address,
                "--name",
                "New Person",
                "--role",
                "support",
                "--password-stdin",
            ],
            input="a long enough password\n",
            env=env,
        )

    get_settings.cache_clear()
    try:
        created = create_user_cli("new@example.com")
        assert created.exit_code == 0, created.output
        duplicate = create_user_cli("NEW@example.com")
        assert duplicate.exit_code == 1
        assert "exists already" in duplicate.output
        issued = runner.invoke(
            app, ["token", "create", "--name", "bi", "--scopes", "read"], env=env
        )
        assert issued.exit_code == 0, issued.output
        secret = issued.stdout.strip().splitlines()[0]
        assert secret.startswith("cg_")
        bad_scope = runner.invoke(
            app, ["token", "create", "--name", "x", "--scopes", "admin"], env=env
        )
        assert bad_scope.exit_code == 1

        settings = TEST_SETTINGS.model_copy(update={"database_url": database_url})
        with TestClient(create_app(settings)) as client:
            headers = {"Authorization": f"Bearer {secret}"}
            login = client.post(
                "/auth/login",
                json={"email": "new@example.com", "password": "a long enough password"},
            )
            assert login.status_code == 200
            client.cookies.clear()
            assert client.post("/graphql", json=VIEWER, headers=headers).status_code == 200
            assert runner.invoke(app, ["token", "revoke", "bi"], env=env).exit_code == 0
            assert client.post("/graphql", json=VIEWER, headers=headers).status_code == 401
        assert runner.invoke(app, ["token", "revoke", "bi"], env=env).exit_code == 1
    finally:
        get_settings.cache_clear()


async def test_socket_from_another_site_is_refused(engine: AsyncEngine, people: People) -> None:
    """A cookie-authenticated WebSocket must come from our own origin."""
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from customer_graph.web.app import create_app

    app = create_app(TEST_SETTINGS, engine=engine)
    with TestClient(app) as client:
        login = client.post("/auth/login", json={"email": email(Role.ADMIN), "password": PASSWORD})
        assert login.status_code == 200
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect(
                "/graphql",
                subprotocols=["graphql-transport-ws"],
                headers={"Origin": "http://evil.example"},
            ),
        ):
            pass
        assert refused.value.code == 4401


def test_production_refuses_to_start_without_a_secret_key() -> None:
    from typer.testing import CliRunner

    from customer_graph.cli import app
    from customer_graph.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            ["serve"],
            env={
                "CUSTOMER_GRAPH_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/none",
                "CUSTOMER_GRAPH_SECRET_KEY": "",
            },
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "CUSTOMER_GRAPH_SECRET_KEY is not set" in result.output


async def test_credentials_the_database_cannot_check_answer_503_with_retry_after() -> None:
    unreachable = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/unreachable")
    try:
        async with app_client(unreachable) as client:
            response = await client.post(
                "/graphql",
                json={"query": "{ viewer { name } }"},
                headers={"authorization": f"Bearer cg_{token_urlsafe(16)}"},
            )
    finally:
        await unreachable.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "errors": [
            {
                "message": "The database is unavailable; try again shortly.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
