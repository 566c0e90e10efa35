"""Signing in: the throttle stops guessing without locking out the real user, hashing
neither stalls the server nor tells which accounts exist, other sites cannot sign a
visitor in, and malformed or oversized requests are refused before anything is stored."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.enums import Role
from customer_graph.db.models import LoginFailure
from customer_graph.domain import passwords
from customer_graph.domain.passwords import hash_password
from customer_graph.web.session_cookie import SESSION_COOKIE
from tests import factories as make
from tests.web_client import TEST_SETTINGS, app_client

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)
RIGHT = {"email": "rep@example.com", "password": PASSWORD}
WRONG = {"email": "rep@example.com", "password": "a wrong guess"}


@pytest.fixture
async def rep(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        return await make.user(
            conn, email="rep@example.com", role=Role.SALES_REP, password_hash=PASSWORD_HASH
        )


async def failures_stored(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(select(func.count()).select_from(LoginFailure))
    return int(count or 0)


class Verifications:
    """Counts password checks, and the most that ran at once."""

    def __init__(self, verify: Callable[[str, str | None], bool]) -> None:
        self.verify = verify
        self.count = 0
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> Verifications:
    seen = Verifications(passwords.verify_password)

    def counting(password: str, password_hash: str | None) -> bool:
        with seen.lock:
            seen.count += 1
            seen.running += 1
            seen.most_at_once = max(seen.most_at_once, seen.running)
        try:
            return seen.verify(password, password_hash)
        finally:
            with seen.lock:
                seen.running -= 1

    monkeypatch.setattr(passwords, "verify_password", counting)
    return seen


async def test_a_strangers_failures_do_not_lock_out_the_real_user(
    engine: AsyncEngine, rep: int
) -> None:
    """TEST_SETTINGS refuse an email from one address after 4 failures."""
    async with app_client(engine, address="203.0.113.9") as stranger:
        statuses = [(await stranger.post("/auth/login", json=WRONG)).status_code for _ in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        refused = await stranger.post("/auth/login", json=RIGHT)
        assert refused.status_code == 429, "the stranger's address is refused, right or not"
        assert "Too many failed sign-ins for this email" in refused.json()["error"]
        assert 0 < int(refused.headers["retry-after"]) <= TEST_SETTINGS.login_window_seconds
    async with app_client(engine, address="198.51.100.7") as real_user:
        assert (await real_user.post("/auth/login", json=RIGHT)).status_code == 200


async def test_one_address_has_a_budget_across_emails(engine: AsyncEngine, rep: int) -> None:
    settings = TEST_SETTINGS.model_copy(update={"login_address_refuse_after": 6})
    async with app_client(engine, settings, address="203.0.113.9") as sprayer:
        for n in range(6):
            guess = {"email": f"someone{n}@example.com", "password": "a wrong guess"}
            assert (await sprayer.post("/auth/login", json=guess)).status_code == 401
        refused = await sprayer.post("/auth/login", json=RIGHT)
        assert refused.status_code == 429
        assert "from your network address" in refused.json()["error"]
    async with app_client(engine, settings, address="198.51.100.7") as elsewhere:
        assert (await elsewhere.post("/auth/login", json=RIGHT)).status_code == 200


async def test_simultaneous_wrong_attempts_check_the_password_at_most_the_limit(
    engine: AsyncEngine, rep: int, verifications: Verifications
) -> None:
    async with app_client(engine, address="203.0.113.9") as attacker:
        answers = await asyncio.gather(
            *(attacker.post("/auth/login", json=WRONG) for _ in range(30))
        )
    statuses = sorted(answer.status_code for answer in answers)
    limit = TEST_SETTINGS.login_refuse_after
    assert verifications.count <= limit
    assert statuses == [401] * verifications.count + [429] * (30 - verifications.count)
    assert await failures_stored(engine) == verifications.count, "refused attempts leave no row"
    async with app_client(engine, address="198.51.100.7") as real_user:
        assert (await real_user.post("/auth/login", json=RIGHT)).status_code == 200


HASH_SECONDS = 0.4


def hash_lasting_a_while(password: str, password_hash: str | None) -> bool:
    """A password check that takes as long as a slow argon2 hash, without its CPU: the
    test measures whether the event loop waits for it, not how busy the machine is."""
    time.sleep(HASH_SECONDS)
    return password == PASSWORD and password_hash == PASSWORD_HASH


async def test_hashing_does_not_stall_the_server(
    engine: AsyncEngine, rep: int, verifications: Verifications
) -> None:
    """Six sign-ins at once: /healthz keeps answering (a check on the event loop would
    hold a request for a whole hash), and no more password checks run at once than the
    setting allows (two)."""
    verifications.verify = hash_lasting_a_while
    async with app_client(engine) as client:

        async def healthz() -> float:
            started = time.monotonic()
            assert (await client.get("/healthz")).status_code == 200
            return time.monotonic() - started

        baseline = statistics.median([await healthz() for _ in range(5)])
        signing_in = asyncio.gather(
            *(
                client.post("/auth/login", json=RIGHT if n % 2 else WRONG | {"email": f"{n}@x.org"})
                for n in range(6)
            )
        )
        latencies = []
        while not signing_in.done():
            latencies.append(await healthz())
        answers = await signing_in
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 401, 401, 401]
    assert len(latencies) >= 3
    assert max(latencies) < HASH_SECONDS / 2, (baseline, latencies)
    assert verifications.count == 6
    assert verifications.most_at_once == TEST_SETTINGS.password_hash_concurrency


async def test_the_time_taken_does_not_tell_which_emails_exist(
    engine: AsyncEngine, rep: int
) -> None:
    async def timed(body: dict[str, str], n: int) -> float:
        """One attempt, from an address of its own: no throttle delay on either side."""
        async with app_client(engine, address=f"192.0.2.{n}") as client:
            started = time.monotonic()
            assert (await client.post("/auth/login", json=body)).status_code == 401
            return time.monotonic() - started

    unknown_email = WRONG | {"email": "nobody@example.com"}
    known, unknown = [], []
    for n in range(5):
        known.append(await timed(WRONG, n))
        unknown.append(await timed(unknown_email, 10 + n))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 3 < ratio < 3, (known, unknown)


async def test_an_inactive_user_is_refused_like_a_wrong_password(
    engine: AsyncEngine, verifications: Verifications
) -> None:
    async with engine.begin() as conn:
        await make.user(
            conn, email="gone@example.com", password_hash=PASSWORD_HASH, is_active=False
        )
    async with app_client(engine) as client:
        response = await client.post(
            "/auth/login", json={"email": "gone@example.com", "password": PASSWORD}
        )
    assert response.status_code == 401
    assert response.json() == {"error": "The email or the password is wrong."}
    assert verifications.count == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"content-type": "text/plain"}, 415),
        ({"content-type": "application/x-www-form-urlencoded"}, 415),
        ({"content-type": "multipart/form-data; boundary=x"}, 415),
        ({}, 415),
        ({"content-type": "application/json", "origin": "https://evil.example"}, 403),
        ({"content-type": "application/json", "origin": "null"}, 403),
        ({"content-type": "application/json", "origin": "http://testserver"}, 200),
        ({"content-type": "application/json; charset=utf-8"}, 200),
    ],
)
async def test_another_site_cannot_sign_a_visitor_in(
    engine: AsyncEngine, rep: int, headers: dict[str, str], status: int
) -> None:
    """A cross-site form can send text/plain that parses as JSON; it is refused."""
    body = b'{"email": "rep@example.com", "password": "correct horse battery"}'
    async with app_client(engine) as client:
        response = await client.post("/auth/login", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert (SESSION_COOKIE in response.headers.get("set-cookie", "")) is (status == 200)
    if status != 200:
        assert response.json()["error"]


async def test_signing_out_takes_no_form_from_another_site(engine: AsyncEngine, rep: int) -> None:
    async with app_client(engine) as client:
        csrf = (await client.post("/auth/login", json=RIGHT)).json()["csrfToken"]
        headers = {"X-CSRF-Token": csrf}
        form = await client.post(
            "/auth/logout", content=b"x=1", headers=headers | {"content-type": "text/plain"}
        )
        assert form.status_code == 415
        foreign = await client.post(
            "/auth/logout", headers=headers | {"origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
        assert (await client.get("/auth/me")).status_code == 200
        assert (await client.post("/auth/logout", headers=headers)).status_code == 204


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    "raw",
    [
        b'"x"',
        b"null",
        b"12",
        b"true",
        b"[1, 2]",
        b"\xff\xfe{}",
        b'{"email": "rep@example.com", "password": "\xff"}',
        DEEP,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"",
        b'{"email": "rep@example.com"}',
        b'{"email": 5, "password": true}',
        b'{"email": "rep@example.com", "password": "\\ud800"}',
    ],
    ids=lambda raw: repr(raw[:24]),
)
async def test_malformed_sign_ins_are_a_400_with_a_message(
    engine: AsyncEngine, rep: int, raw: bytes
) -> None:
    async with app_client(engine) as client:
        response = await client.post(
            "/auth/login", content=raw, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"]
    assert await failures_stored(engine) == 0


@pytest.mark.parametrize(
    "email",
    [
        "x" * 5_000_000 + "@example.com",
        "x" * 250 + "@example.com",
        "not an email",
        "nul\x00@example.com",
        "tab\t@example.com",
    ],
    ids=["5 MB", "over 254", "no at", "NUL", "tab"],
)
async def test_what_is_not_an_email_is_refused_and_nothing_is_stored(
    engine: AsyncEngine, rep: int, email: str
) -> None:
    async with app_client(engine) as client:
        response = await client.post("/auth/login", json={"email": email, "password": "guess"})
    assert response.status_code == (413 if len(email) > 1_000_000 else 400)
    assert len(response.content) < 500, "the message does not echo the input"
    assert await failures_stored(engine) == 0


async def test_records_of_failures_are_pruned_once_expired(engine: AsyncEngine, rep: int) -> None:
    expired = datetime.now(UTC) - timedelta(seconds=TEST_SETTINGS.login_window_seconds + 60)
    async with engine.begin() as conn:
        await conn.execute(
            insert(LoginFailure),
            [
                {
                    "email": f"old{n}@example.com",
                    "client_address": "192.0.2.1",
                    "failed_at": expired,
                }
                for n in range(150)
            ],
        )
    async with app_client(engine) as client:
        assert (await client.post("/auth/login", json=WRONG)).status_code == 401
        assert await failures_stored(engine) == 150 - 100 + 1, "pruned a bounded batch"
        assert (await client.post("/auth/login", json=WRONG)).status_code == 401
        assert await failures_stored(engine) == 2, "the rest, then only the fresh failures"
        assert (await client.post("/auth/login", json=RIGHT)).status_code == 200
    assert await failures_stored(engine) == 0, "a success forgives its own failures"
