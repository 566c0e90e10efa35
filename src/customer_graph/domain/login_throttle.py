"""Repeated failed sign-ins for one email are slowed down, then refused for a while."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.models import LoginFailure
from customer_graph.domain.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    free_attempts: int = 3
    """Failures before each further attempt is delayed."""
    refuse_after: int = 8
    """Failures within the window after which sign-in is refused until they age out."""
    base_delay: float = 0.25
    max_delay: float = 2.0

    def delay_for(self, failures: int) -> float:
        if failures < self.free_attempts:
            return 0.0
        return float(min(self.max_delay, self.base_delay * 2 ** (failures - self.free_attempts)))


async def recent_failures(
    session: AsyncSession, email: str, now: datetime, policy: ThrottlePolicy
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.email == email, LoginFailure.failed_at > now - policy.window)
    )
    return int(count or 0)


def refuse_if_throttled(failures: int, policy: ThrottlePolicy) -> None:
    if failures >= policy.refuse_after:
        minutes = int(policy.window.total_seconds() // 60)
        raise DomainError(
            ErrorCode.THROTTLED,
            f"Too many failed sign-ins for this email. Try again in {minutes} minutes.",
        )


async def record_failure(
    session: AsyncSession, email: str, now: datetime, policy: ThrottlePolicy
) -> None:
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.failed_at <= now - policy.window
        )
    )
    await session.execute(insert(LoginFailure).values(email=email, failed_at=now))


async def forget_failures(session: AsyncSession, email: str) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.email == email))
