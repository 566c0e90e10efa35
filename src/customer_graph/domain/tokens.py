"""API tokens for partner apps and BI tools: shown once, stored only as a hash, revocable."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from customer_graph.db.engine import Transaction, without_waiting
from customer_graph.db.models import ApiToken, User
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.permissions import SCOPE_NEEDS, TOKEN_SCOPES, Actor, Permission

log = logging.getLogger(__name__)

TOKEN_PREFIX = "cg_"
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, not on every request, and
never in a request's way (``_record_use``)."""


class TokenMemory:
    """Who a token stands for, remembered for a moment by this process.

    A partner or BI tool sends many requests a second with one token; looking it up each
    time was a third of a small read's work. A token revoked in this process is forgotten
    at once; revoked by another (the CLI, another worker), it is refused within ``seconds``.
    """

    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._actors: dict[str, tuple[float, Actor]] = {}

    def recall(self, digest: str) -> Actor | None:
        remembered = self._actors.get(digest)
        if remembered is None:
            return None
        until, actor = remembered
        if time.monotonic() >= until:
            del self._actors[digest]
            return None
        return actor

    def remember(self, digest: str, actor: Actor) -> None:
        if len(self._actors) >= self.size:
            self._actors.clear()
        self._actors[digest] = (time.monotonic() + self.seconds, actor)

    def forget(self, token_id: int) -> None:
        for digest, (_, actor) in list(self._actors.items()):
            if actor.token_id == token_id:
                del self._actors[digest]


TOKEN_MEMORY = TokenMemory(seconds=1.0)


@dataclass(frozen=True)
class IssuedToken:
    id: int
    name: str
    scopes: frozenset[str]
    secret: str
    default_owner_id: int | None = None


def token_hash(secret: str) -> str:
    """Tokens are long random strings, so a fast hash suffices and permits lookup by it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: frozenset[str]) -> frozenset[str]:
    """The scopes a token may be given: known ones, at least one, each with what it needs."""
    unknown = scopes - TOKEN_SCOPES
    if unknown or not scopes:
        raise DomainError(
            ErrorCode.INVALID,
            f"Give one or more of the scopes {', '.join(sorted(TOKEN_SCOPES))}.",
            "scopes",
        )
    for scope, needed in SCOPE_NEEDS.items():
        if scope in scopes and needed not in scopes:
            raise DomainError(
                ErrorCode.INVALID, f"The {scope} scope is given only with {needed}.", "scopes"
            )
    return scopes


def parse_scopes(text: str) -> frozenset[str]:
    """``"read,write"`` as scopes, checked."""
    return check_scopes(frozenset(part.strip() for part in text.split(",") if part.strip()))


async def create_token(
    session: Transaction,
    *,
    name: str,
    scopes: frozenset[str],
    created_by: int | None = None,
    default_owner_id: int | None = None,
) -> IssuedToken:
    """A new token; ``default_owner_id`` owns and manages the customers it creates without
    naming them (without one, a token's new customers must name both)."""
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.REQUIRED, "A token needs a name.", "name")
    check_scopes(scopes)
    if await session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"A token named {name!r} exists already.", "name")
    if default_owner_id is not None and not await session.scalar(
        select(User.id).where(User.id == default_owner_id, User.is_active)
    ):
        raise DomainError(
            ErrorCode.NOT_FOUND, "The default owner must be an active user.", "default_owner_id"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    result = await session.execute(
        insert(ApiToken)
        .values(
            name=name,
            token_hash=token_hash(secret),
            scopes=",".join(sorted(scopes)),
            created_by_id=created_by,
            default_owner_id=default_owner_id,
            created_at=datetime.now(UTC),
        )
        .returning(ApiToken.id)
    )
    return IssuedToken(int(result.scalar_one()), name, scopes, secret, default_owner_id)


async def revoke_token(session: Transaction, name: str) -> None:
    result = await session.execute(
        update(ApiToken)
        .where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
        .returning(ApiToken.id)
    )
    revoked = result.first()
    if revoked is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No active token is named {name!r}.", "name")
    TOKEN_MEMORY.forget(revoked.id)


_LOOKUPS: dict[str, asyncio.Future[Actor | None]] = {}
"""Token lookups under way in this process, by the token's hash."""


async def actor_for_token(sessions: async_sessionmaker[AsyncSession], secret: str) -> Actor | None:
    """The integration a bearer token stands for; None when unknown or revoked.

    Remembered for a moment (``TOKEN_MEMORY``), without opening a session. When the memory
    has lapsed, requests that arrive during the lookup wait for that one lookup instead of
    each making their own (and each writing ``last_used_at``).
    """
    digest = token_hash(secret)
    remembered = TOKEN_MEMORY.recall(digest)
    if remembered is not None:
        return remembered
    lookup = _LOOKUPS.get(digest)
    if lookup is None or lookup.get_loop() is not asyncio.get_running_loop():
        lookup = asyncio.ensure_future(_look_up(sessions, digest))
        _LOOKUPS[digest] = lookup

        def forget(done: asyncio.Future[Actor | None]) -> None:
            if _LOOKUPS.get(digest) is done:
                del _LOOKUPS[digest]

        lookup.add_done_callback(forget)
    return await asyncio.shield(lookup)


_STORED_TOKEN = select(
    ApiToken.id, ApiToken.name, ApiToken.scopes, ApiToken.default_owner_id, ApiToken.last_used_at
).where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None))


async def _stored_token(sessions: async_sessionmaker[AsyncSession], digest: str) -> Any:
    async with sessions() as session:
        return (await session.execute(_STORED_TOKEN, {"digest": digest})).first()


async def _look_up(sessions: async_sessionmaker[AsyncSession], digest: str) -> Actor | None:
    """Who the token stands for, read only: its use is recorded beside the request. Read
    once more on a new connection when the database had closed the pooled one."""
    try:
        token = await _stored_token(sessions, digest)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        token = await _stored_token(sessions, digest)
    if token is None:
        return None
    actor = Actor.for_token(
        token.id, token.name, frozenset(token.scopes.split(",")), token.default_owner_id
    )
    TOKEN_MEMORY.remember(digest, actor)
    _record_use(sessions, digest, token.id, token.last_used_at)
    return actor


async def live_token_ids(session: Transaction, ids: Collection[int]) -> set[int]:
    """Those of ``ids`` that are tokens not revoked."""
    if not ids:
        return set()
    found = await session.scalars(
        select(ApiToken.id).where(ApiToken.id.in_(ids), ApiToken.revoked_at.is_(None))
    )
    return set(found)


_USE_TRIED: dict[str, float] = {}
"""When this process last tried to record each token's use (by hash), on its clock."""
_RECORDING: set[asyncio.Task[None]] = set()


def _record_use(
    sessions: async_sessionmaker[AsyncSession],
    digest: str,
    token_id: int,
    last_used_at: datetime | None,
) -> None:
    """Write ``last_used_at`` beside the request, not in its way: at most once per
    ``LAST_USED_RESOLUTION`` a token and process, tried once, dropped if the database is
    busy (another writer holds the lock: an import, say). The request never waits for it."""
    now = datetime.now(UTC)
    if last_used_at is not None and now - last_used_at < LAST_USED_RESOLUTION:
        return
    tried = _USE_TRIED.get(digest)
    if tried is not None and time.monotonic() - tried < LAST_USED_RESOLUTION.total_seconds():
        return
    if len(_USE_TRIED) >= TOKEN_MEMORY.size:
        _USE_TRIED.clear()
    _USE_TRIED[digest] = time.monotonic()
    task = asyncio.create_task(_write_use(sessions, token_id, now))
    _RECORDING.add(task)
    task.add_done_callback(_RECORDING.discard)


async def _write_use(
    sessions: async_sessionmaker[AsyncSession], token_id: int, now: datetime
) -> None:
    try:
        async with sessions() as session, session.begin(), without_waiting(session):
            await session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
    except OperationalError as error:
        log.info("last use of token %s not recorded (the database is busy): %s", token_id, error)
    except Exception:
        log.exception("last use of token %s not recorded", token_id)


async def uses_recorded() -> None:
    """Wait for the uses of tokens being recorded (at shutdown, and in tests)."""
    await asyncio.gather(*_RECORDING, return_exceptions=True)


async def create_token_as(
    session: Transaction,
    actor: Actor,
    *,
    name: str,
    scopes: frozenset[str],
    default_owner_id: int | None = None,
) -> IssuedToken:
    """A token issued through the API: only administrators manage tokens."""
    actor.require(Permission.MANAGE_TOKENS)
    return await create_token(
        session,
        name=name,
        scopes=scopes,
        created_by=actor.user_id,
        default_owner_id=default_owner_id,
    )


async def revoke_token_as(session: Transaction, actor: Actor, name: str) -> None:
    actor.require(Permission.MANAGE_TOKENS)
    await revoke_token(session, name)
