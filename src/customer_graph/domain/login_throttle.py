"""Repeated failed sign-ins are slowed down, then refused for a while.

Failures count per email *and* client address, so a stranger guessing someone's password
from elsewhere does not lock that person out; and per client address over all emails, so
one address cannot try password after password on many accounts.

An attempt is recorded before its password is checked and counted after that record is
committed: of attempts arriving together, in one process or many, at most ``refuse_after``
find themselves within the limit and get their password checked. The record of an attempt
that succeeds is removed; of one refused, too, so refused attempts do not grow the table;
of one that failed, it ages out of the window and is pruned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer_graph.db.models import LoginFailure
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.settings import Settings

PRUNED_PER_ATTEMPT = 100
"""Expired records deleted by each attempt: enough to keep up, never a long statement."""
MAX_ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    free_attempts: int = 3
    """Failures (of one email from one address) before each further attempt is delayed."""
    refuse_after: int = 8
    """Failures of one email from one address within the window, after which it is refused."""
    address_refuse_after: int = 50
    """Failures from one address within the window, whatever the emails."""
    base_delay: float = 0.25
    max_delay: float = 2.0

    def delay_for(self, failures: int) -> float:
        if failures < self.free_attempts:
            return 0.0
        return float(min(self.max_delay, self.base_delay * 2 ** (failures - self.free_attempts)))


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    """The throttle the settings (``CUSTOMER_GRAPH_LOGIN_*``) ask for."""
    return ThrottlePolicy(
        window=timedelta(seconds=settings.login_window_seconds),
        free_attempts=settings.login_free_attempts,
        refuse_after=settings.login_refuse_after,
        address_refuse_after=settings.login_address_refuse_after,
        base_delay=settings.login_base_delay_seconds,
    )


class Throttled(DomainError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(ErrorCode.THROTTLED, message)
        self.retry_after = retry_after
        """Seconds until an attempt may be made again."""


@dataclass(frozen=True)
class Attempt:
    email: str
    client_address: str
    earlier_failures: int
    """Failures of this email from this address before (or alongside) this attempt."""


async def begin_attempt(
    session: AsyncSession, email: str, client_address: str, now: datetime, policy: ThrottlePolicy
) -> Attempt:
    """Records a sign-in attempt as failed until it succeeds; refuses it over the limits.

    Commits, so that other attempts, here or in another process, see the record.
    """
    client_address = client_address[:MAX_ADDRESS_LENGTH]
    since = now - policy.window
    expired = select(LoginFailure.id).where(LoginFailure.failed_at <= since)
    await session.execute(
        delete(LoginFailure).where(LoginFailure.id.in_(expired.limit(PRUNED_PER_ATTEMPT)))
    )
    inserted = await session.execute(
        insert(LoginFailure)
        .values(email=email, client_address=client_address, failed_at=now)
        .returning(LoginFailure.id)
    )
    attempt_id = inserted.scalar_one()
    await session.commit()

    recent = LoginFailure.failed_at > since
    of_email = (LoginFailure.email == email, LoginFailure.client_address == client_address)
    of_address = (LoginFailure.client_address == client_address,)
    failures = await _count(session, (*of_email, recent))
    address_failures = await _count(session, (*of_address, recent))
    for where, count, limit, whose in (
        (of_email, failures, policy.refuse_after, "for this email"),
        (of_address, address_failures, policy.address_refuse_after, "from your network address"),
    ):
        if count > limit:
            await session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))
            await session.commit()
            retry_after = await _seconds_until_below(session, where, limit, count - 1, now, policy)
            minutes = max(1, math.ceil(retry_after / 60))
            raise Throttled(
                f"Too many failed sign-ins {whose}. Try again in {minutes} "
                f"minute{'s' if minutes > 1 else ''}.",
                retry_after,
            )
    return Attempt(email, client_address, failures - 1)


async def _count(session: AsyncSession, where: tuple[ColumnElement[bool], ...]) -> int:
    count = await session.scalar(select(func.count()).select_from(LoginFailure).where(*where))
    return int(count or 0)


async def _seconds_until_below(
    session: AsyncSession,
    where: tuple[ColumnElement[bool], ...],
    limit: int,
    others: int,
    now: datetime,
    policy: ThrottlePolicy,
) -> int:
    """Seconds until enough of the ``others`` records age out for one more attempt."""
    since = now - policy.window
    ages_out = await session.scalar(
        select(LoginFailure.failed_at)
        .where(*where, LoginFailure.failed_at > since)
        .order_by(LoginFailure.failed_at)
        .offset(max(0, others - limit))
        .limit(1)
    )
    if ages_out is None:
        return 1
    return max(1, math.ceil((ages_out + policy.window - now).total_seconds()))


async def attempt_succeeded(session: AsyncSession, attempt: Attempt) -> None:
    """A right password forgives the failures of this email from this address."""
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.email == attempt.email,
            LoginFailure.client_address == attempt.client_address,
        )
    )
