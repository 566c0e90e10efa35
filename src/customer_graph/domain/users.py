"""People who sign in: creating them, and checking who they are."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.engine import Transaction
from customer_graph.db.enums import Role
from customer_graph.db.models import User
from customer_graph.domain import login_throttle
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.login_throttle import ThrottlePolicy
from customer_graph.domain.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    PASSWORDS,
    hash_password,
)
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.sessions import (
    IssuedSession,
    SessionPolicy,
    end_session_with_secret,
    end_user_sessions,
    start_session,
)
from customer_graph.domain.validation import is_email, normalized_email


class WrongCredentials(DomainError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.INVALID, "The email or the password is wrong.")


async def create_user(
    session: Transaction, *, email: str, name: str, role: Role, password: str
) -> int:
    email = normalized_email(email)
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.REQUIRED, "A name is required.", "name")
    if not is_email(email):
        raise DomainError(ErrorCode.INVALID, f"{email[:100]!r} is not an email address.", "email")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise DomainError(
            ErrorCode.INVALID,
            f"A password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            "password",
        )
    duplicate = DomainError(ErrorCode.DUPLICATE, f"A user with {email} exists already.", "email")
    if await session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise duplicate
    password_hash = await PASSWORDS.hash(password)
    try:
        result = await session.execute(
            insert(User)
            .values(
                email=email,
                name=name,
                role=role,
                password_hash=password_hash,
                is_active=True,
                created_at=datetime.now(UTC),
            )
            .returning(User.id)
        )
    except IntegrityError as error:
        # Made meanwhile by another request: the unique index on lower(email) held.
        raise duplicate from error
    return int(result.scalar_one())


async def set_password(session: AsyncSession, email: str, password: str) -> bool:
    """Sets the password of the user with ``email`` and ends their sessions."""
    user = await session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        return False
    user.password_hash = hash_password(password)
    await end_user_sessions(session, user.id)
    return True


async def active_user_id(session: AsyncSession, email: str, field: str = "email") -> int:
    """The id of the active user with ``email`` (any case); NOT_FOUND otherwise."""
    user_id = await session.scalar(
        select(User.id).where(func.lower(User.email) == normalized_email(email), User.is_active)
    )
    if user_id is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"No active user has the email {email[:100]!r}.", field
        )
    return int(user_id)


async def end_sessions_of(session: AsyncSession, email: str) -> int:
    """Signs the user with ``email`` out everywhere; how many sessions were live."""
    user_id = await session.scalar(
        select(User.id).where(func.lower(User.email) == normalized_email(email))
    )
    if user_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No user has the email {email[:100]!r}.", "email")
    return await end_user_sessions(session, user_id)


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: IssuedSession


def check_sign_in_input(email: str, password: str) -> str:
    """The normalized email; refuses what cannot be an email or a password, storing nothing."""
    email = normalized_email(email)
    if not email or not password:
        raise DomainError(ErrorCode.REQUIRED, "Both email and password are required.")
    if not is_email(email):
        raise DomainError(ErrorCode.INVALID, "That is not an email address.", "email")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            ErrorCode.INVALID,
            f"A password has at most {MAX_PASSWORD_LENGTH} characters.",
            "password",
        )
    return email


async def sign_in(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    client_address: str,
    throttle: ThrottlePolicy,
    sessions: SessionPolicy,
    user_agent: str | None = None,
    replacing: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """A new session for the active user with this email and password.

    Every attempt that gets this far checks one password hash, whether the email belongs
    to a user or not, so the time taken tells nothing about which emails exist. Raises
    ``WrongCredentials``, or ``Throttled`` after too many failures (``login_throttle``).
    The session whose secret is ``replacing`` (the browser's earlier one) is ended.
    """
    now = now or datetime.now(UTC)
    email = check_sign_in_input(email, password)
    attempt = await login_throttle.begin_attempt(session, email, client_address, now, throttle)
    await asyncio.sleep(throttle.delay_for(attempt.earlier_failures))
    user = await session.scalar(select(User).where(func.lower(User.email) == email))
    matches = await PASSWORDS.verify(password, None if user is None else user.password_hash)
    if user is None or not matches or not user.is_active:
        await session.rollback()
        raise WrongCredentials
    await login_throttle.attempt_succeeded(session, attempt)
    if replacing is not None:
        await end_session_with_secret(session, replacing)
    issued = await start_session(
        session, user.id, sessions, client_address=client_address, user_agent=user_agent, now=now
    )
    await session.commit()
    return SignedIn(user, issued)


async def create_user_as(
    session: Transaction, actor: Actor, *, email: str, name: str, role: Role, password: str
) -> int:
    """A user created through the API: only administrators manage users."""
    actor.require(Permission.MANAGE_USERS)
    return await create_user(session, email=email, name=name, role=role, password=password)
