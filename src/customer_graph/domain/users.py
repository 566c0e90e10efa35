"""People who sign in: creating them, and checking who they are."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.enums import Role
from customer_graph.db.models import User
from customer_graph.domain import login_throttle
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.login_throttle import ThrottlePolicy
from customer_graph.domain.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.validation import is_email, normalized_email


async def create_user(
    session: AsyncSession, *, email: str, name: str, role: Role, password: str
) -> int:
    email = normalized_email(email)
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.REQUIRED, "A name is required.", "name")
    if not is_email(email):
        raise DomainError(ErrorCode.INVALID, f"{email!r} is not an email address.", "email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            ErrorCode.INVALID,
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            "password",
        )
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"A user with {email} exists already.", "email")
    result = await session.execute(
        insert(User)
        .values(
            email=email,
            name=name,
            role=role,
            password_hash=hash_password(password),
            is_active=True,
            created_at=datetime.now(UTC),
        )
        .returning(User.id)
    )
    return int(result.scalar_one())


async def set_password(session: AsyncSession, email: str, password: str) -> bool:
    user = await session.scalar(select(User).where(User.email == normalized_email(email)))
    if user is None:
        return False
    user.password_hash = hash_password(password)
    return True


async def sign_in(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    policy: ThrottlePolicy,
    now: datetime | None = None,
) -> User:
    """The active user with this email and password; slowed, then refused, after failures.

    Commits the record of a failure itself, so that a caller's rollback cannot erase it.
    """
    now = now or datetime.now(UTC)
    email = normalized_email(email)
    failures = await login_throttle.recent_failures(session, email, now, policy)
    login_throttle.refuse_if_throttled(failures, policy)
    await asyncio.sleep(policy.delay_for(failures))
    user = await session.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
    if user is None or not verify_password(password, user.password_hash):
        await login_throttle.record_failure(session, email, now, policy)
        await session.commit()
        raise DomainError(ErrorCode.INVALID, "The email or the password is wrong.")
    await login_throttle.forget_failures(session, email)
    await session.commit()
    return user


async def actor_for_user(session: AsyncSession, user_id: int) -> Actor | None:
    """The actor for a signed-in user id; None once the user is gone or deactivated."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return Actor.for_user(user.id, user.name, user.role)


async def create_user_as(
    session: AsyncSession, actor: Actor, *, email: str, name: str, role: Role, password: str
) -> int:
    """A user created through the API: only administrators manage users."""
    actor.require(Permission.MANAGE_USERS)
    return await create_user(session, email=email, name=name, role=role, password=password)
