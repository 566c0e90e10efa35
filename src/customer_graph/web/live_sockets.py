"""This process's open GraphQL WebSockets, by the session or token they were opened with.

Two rules need them grouped so: a credential holds at most so many live subscriptions
over all of its sockets (not per socket, which ten sockets would multiply by ten); and
a socket closes once its credential has ended. Every ``credential_recheck_seconds`` one
query per kind asks which of the credentials with open sockets still hold; the sockets
of the others are closed with 4401 (Unauthorized), which graphql-ws clients take as final.
That covers every way a credential ends: here, in another server process, by the command
line, by expiry, by deactivating the user.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from customer_graph.domain.sessions import SessionPolicy, live_session_ids
from customer_graph.domain.tokens import live_token_ids
from customer_graph.web.auth import CREDENTIAL_ENDED, Credential

log = logging.getLogger(__name__)


class LiveSocket(Protocol):
    @property
    def live_operations(self) -> int: ...

    async def end(self, code: int, reason: str) -> None: ...


class LiveSockets:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        session_policy: SessionPolicy,
        *,
        recheck_seconds: float,
        max_subscriptions: int,
    ) -> None:
        self.sessions = sessions
        self.session_policy = session_policy
        self.recheck_seconds = recheck_seconds
        self.max_subscriptions = max_subscriptions
        self._sockets: dict[Credential, set[LiveSocket]] = {}

    def add(self, credential: Credential, socket: LiveSocket) -> None:
        self._sockets.setdefault(credential, set()).add(socket)

    def discard(self, credential: Credential, socket: LiveSocket) -> None:
        sockets = self._sockets.get(credential)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[credential]

    def subscriptions(self, credential: Credential) -> int:
        """The operations the credential's sockets run now, over all of them."""
        return sum(socket.live_operations for socket in self._sockets.get(credential, ()))

    def may_subscribe(self, credential: Credential) -> bool:
        return self.subscriptions(credential) < self.max_subscriptions

    async def close(self, credential: Credential, code: int = 4401) -> None:
        for socket in list(self._sockets.pop(credential, ())):
            await socket.end(code, CREDENTIAL_ENDED)

    async def recheck(self) -> None:
        """Close the sockets whose credential no longer holds."""
        credentials = list(self._sockets)
        if not credentials:
            return
        tokens = {c.id for c in credentials if c.kind == "token"}
        sessions = {c.id for c in credentials if c.kind == "session"}
        async with self.sessions() as session:
            live_tokens = await live_token_ids(session, tokens)
            live_sessions = await live_session_ids(session, sessions, self.session_policy)
        for credential in credentials:
            live = live_tokens if credential.kind == "token" else live_sessions
            if credential.id not in live:
                await self.close(credential)

    async def run(self) -> None:
        """Recheck for as long as the server runs."""
        while True:
            await asyncio.sleep(self.recheck_seconds)
            try:
                await self.recheck()
            except Exception:
                log.exception("checking the credentials of open WebSockets failed")
