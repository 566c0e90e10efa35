"""Browser sessions, kept in the database so that signing out ends them everywhere.

The browser holds a random secret; the database holds its hash, the user, and when the
session began, was last used, and ends. A session ends when its user signs out (here or
everywhere), when an administrator ends it, when the user is deactivated, after the idle
limit without a request, and at the absolute limit after sign-in.

Every request with a session looks it up (one indexed query with its user, as a request
with a cookie always did), so an ended session is refused at once by every process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, insert, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from customer_graph.db.engine import Transaction, without_waiting
from customer_graph.db.enums import Role
from customer_graph.db.models import User, UserSession
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.settings import Settings

LAST_SEEN_RESOLUTION = timedelta(minutes=1)
"""``last_seen_at`` is written at most this often per session, not on every request."""
PRUNED_PER_SIGN_IN = 100
"""Dead sessions deleted by each sign-in: enough to keep up, never a long statement."""


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta = timedelta(hours=8)
    idle: timedelta = timedelta(hours=1)


def session_policy(settings: Settings) -> SessionPolicy:
    """The session limits the settings (``CUSTOMER_GRAPH_SESSION_*``) ask for."""
    return SessionPolicy(
        lifetime=timedelta(seconds=settings.session_max_age_seconds),
        idle=timedelta(seconds=settings.session_idle_seconds),
    )


@dataclass(frozen=True)
class IssuedSession:
    id: int
    secret: str
    expires_at: datetime


@dataclass(frozen=True)
class ActiveSession:
    """A live session and who it belongs to."""

    id: int
    user_id: int
    name: str
    email: str
    role: Role

    @property
    def actor(self) -> Actor:
        return Actor.for_user(self.user_id, self.name, self.role)


def secret_hash(secret: str) -> str:
    """Secrets are 256 random bits, so a fast hash suffices and permits lookup by it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token_for(secret: str) -> str:
    """The session's CSRF token: derived from its secret, which scripts cannot read."""
    return hmac.new(secret.encode(), b"csrf-token", hashlib.sha256).hexdigest()


def _alive(now: datetime, policy: SessionPolicy) -> list[ColumnElement[bool]]:
    return [
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > now,
        UserSession.last_seen_at > now - policy.idle,
        User.is_active.is_(True),
    ]


async def start_session(
    session: AsyncSession,
    user_id: int,
    policy: SessionPolicy,
    *,
    client_address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
) -> IssuedSession:
    """A new session for ``user_id``; prunes a few dead ones on the way."""
    now = now or datetime.now(UTC)
    await _prune(session, now, policy)
    secret = secrets.token_urlsafe(32)
    expires_at = now + policy.lifetime
    result = await session.execute(
        insert(UserSession)
        .values(
            secret_hash=secret_hash(secret),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            client_address=(client_address or "")[:64] or None,
            user_agent=(user_agent or "")[:255] or None,
        )
        .returning(UserSession.id)
    )
    return IssuedSession(int(result.scalar_one()), secret, expires_at)


async def _prune(session: AsyncSession, now: datetime, policy: SessionPolicy) -> None:
    dead = (
        select(UserSession.id)
        .where(
            or_(
                UserSession.revoked_at.is_not(None),
                UserSession.expires_at <= now,
                UserSession.last_seen_at <= now - policy.idle,
            )
        )
        .limit(PRUNED_PER_SIGN_IN)
    )
    await session.execute(delete(UserSession).where(UserSession.id.in_(dead)))


async def find_session(
    sessions: async_sessionmaker[AsyncSession],
    secret: str,
    policy: SessionPolicy,
    now: datetime | None = None,
) -> ActiveSession | None:
    """The live session of this secret; marks it used (at most once a minute)."""
    now = now or datetime.now(UTC)
    async with sessions() as session:
        row = (
            await session.execute(
                select(
                    UserSession.id,
                    UserSession.last_seen_at,
                    User.id.label("user_id"),
                    User.name,
                    User.email,
                    User.role,
                )
                .join(User, User.id == UserSession.user_id)
                .where(UserSession.secret_hash == secret_hash(secret), *_alive(now, policy))
            )
        ).one_or_none()
        if row is None:
            return None
        if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
            await _touch(session, row.id, now)
    return ActiveSession(row.id, row.user_id, row.name, row.email, row.role)


async def _touch(session: AsyncSession, session_id: int, now: datetime) -> None:
    """Records use of the session, unless that means waiting for a lock: on SQLite a write
    waits for any other writer (an import), on PostgreSQL for whoever holds the row. This
    one gives up at once instead, and a later request of the session tries again."""
    try:
        async with without_waiting(session):
            await session.execute(
                update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
            )
    except OperationalError:
        await session.rollback()
        return
    await session.commit()


async def live_session_ids(
    session: AsyncSession, ids: Collection[int], policy: SessionPolicy, now: datetime | None = None
) -> set[int]:
    """Those of ``ids`` that are still live sessions."""
    if not ids:
        return set()
    now = now or datetime.now(UTC)
    found = await session.scalars(
        select(UserSession.id)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id.in_(ids), *_alive(now, policy))
    )
    return set(found)


async def end_session(session: AsyncSession, session_id: int) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def end_session_with_secret(session: AsyncSession, secret: str) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.secret_hash == secret_hash(secret), UserSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def end_user_sessions(session: Transaction, user_id: int) -> int:
    """Ends every session of the user; how many were live."""
    result = await session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
        .returning(UserSession.id)
    )
    return len(result.all())


async def end_user_sessions_as(session: Transaction, actor: Actor, user_id: int) -> int:
    """An administrator signs a user out everywhere."""
    actor.require(Permission.MANAGE_USERS)
    if await session.scalar(select(User.id).where(User.id == user_id)) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such user.", "userId")
    return await end_user_sessions(session, user_id)
