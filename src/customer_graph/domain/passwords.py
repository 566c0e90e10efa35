"""Passwords are stored only as argon2 hashes, computed in worker threads.

An argon2 hash takes a core and 64 MiB for a fraction of a second. Run on the event loop,
every sign-in would stall every other request of the process; run without a bound, a
burst of sign-ins would take all the memory. So hashes run in worker threads (argon2
releases the GIL), a few at a time per process; further sign-ins wait their turn.
"""

from __future__ import annotations

import asyncio
import weakref

import anyio
import anyio.to_thread
from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
"""Longer input is refused before it is hashed."""

_DUMMY_HASH = _hasher.hash("not-a-real-password")
"""Verified against when there is no hash to check, so that every sign-in costs the same."""


def hash_password(password: str) -> str:
    """A hash, on the calling thread: for commands and tests, not for the server."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """The check, on the calling thread: for commands, not for the server."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


class PasswordHashing:
    """Hashes and verifies in worker threads, at most ``concurrency`` at once per process."""

    def __init__(self, concurrency: int = 2) -> None:
        self._concurrency = concurrency
        self._limiters: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, anyio.CapacityLimiter
        ] = weakref.WeakKeyDictionary()

    @property
    def concurrency(self) -> int:
        return self._concurrency

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self._concurrency = value
        for limiter in self._limiters.values():
            limiter.total_tokens = value

    def _limiter(self) -> anyio.CapacityLimiter:
        """One limiter per event loop: an anyio limiter belongs to the loop it was made in."""
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = anyio.CapacityLimiter(self._concurrency)
            self._limiters[loop] = limiter
        return limiter

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(hash_password, password, limiter=self._limiter())

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """Whether ``password`` matches; with no hash, as long as a real check, and False."""
        return await anyio.to_thread.run_sync(
            verify_password, password, password_hash, limiter=self._limiter()
        )


PASSWORDS = PasswordHashing()
"""This process's password hashing; the server sets its concurrency from the settings."""
