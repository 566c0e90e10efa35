"""Who is calling: a browser session (cookie + CSRF token) or an API token.

Starlette's ``AuthenticationMiddleware`` runs ``CredentialBackend`` on the routes that
need a caller (/graphql, exports, imports, /auth/me and signing out): ``request.auth`` is
then an ``Authentication`` and ``request.user`` an ``ActorUser``, or unauthenticated.
``RequireAuthentication`` lets no unauthenticated request reach the GraphQL view.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from customer_graph.api.errors import SERVICE_UNAVAILABLE, is_database_unavailable
from customer_graph.domain.permissions import Actor
from customer_graph.domain.sessions import (
    ActiveSession,
    csrf_token_for,
    find_session,
    session_policy,
)
from customer_graph.domain.tokens import actor_for_token
from customer_graph.settings import Settings
from customer_graph.web.session_cookie import SessionCookie

log = logging.getLogger(__name__)

CSRF_HEADER = "x-csrf-token"
UNAUTHENTICATED = "Sign in, or send an API token as 'Authorization: Bearer <token>'."
CREDENTIAL_ENDED = "Your sign-in ended (signed out, expired or revoked)."
"""The reason a WebSocket is closed with 4401 once its session or token has ended."""


@dataclass(frozen=True)
class Credential:
    """What a request authenticated with: one session or one token."""

    kind: Literal["session", "token"]
    id: int


class Authentication(AuthCredentials):
    """``request.auth``: the actor, and what it proved."""

    def __init__(
        self,
        actor: Actor,
        credential: Credential,
        *,
        csrf_verified: bool,
        session: ActiveSession | None = None,
        session_secret: str | None = None,
    ) -> None:
        super().__init__(sorted(permission.value for permission in actor.permissions))
        self.actor = actor
        self.credential = credential
        self.csrf_verified = csrf_verified
        """False for a browser session whose request lacks its CSRF header: no writes then."""
        self.session = session
        self.session_secret = session_secret

    @property
    def via_session(self) -> bool:
        return self.session is not None


class ActorUser(BaseUser):
    """``request.user``: the person or integration making the request."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.actor.name


class CredentialBackend(AuthenticationBackend):
    """A bearer token wins over a cookie; a wrong token is not rescued by a cookie."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        cookie: SessionCookie,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.cookie = cookie

    async def authenticate(
        self, connection: HTTPConnection
    ) -> tuple[Authentication, ActorUser] | None:
        try:
            return await self._credentials(connection)
        except Exception as error:
            if is_database_unavailable(error):
                raise DatabaseUnavailable from error
            raise

    async def _credentials(
        self, connection: HTTPConnection
    ) -> tuple[Authentication, ActorUser] | None:
        header = connection.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            actor = await actor_for_token(self.sessions, header[7:].strip())
            if actor is None or actor.token_id is None:
                return None
            credential = Credential("token", actor.token_id)
            return Authentication(actor, credential, csrf_verified=True), ActorUser(actor)
        secret = self.cookie.read(connection)
        if secret is None:
            return None
        session = await find_session(self.sessions, secret, session_policy(self.settings))
        if session is None:
            return None
        given = connection.headers.get(CSRF_HEADER, "")
        auth = Authentication(
            session.actor,
            Credential("session", session.id),
            csrf_verified=bool(given) and secrets.compare_digest(given, csrf_token_for(secret)),
            session=session,
            session_secret=secret,
        )
        return auth, ActorUser(session.actor)


def caller(connection: HTTPConnection) -> Authentication | None:
    """Who the authentication middleware found making the request; None if nobody."""
    auth = connection.auth if connection.user.is_authenticated else None
    return auth if isinstance(auth, Authentication) else None


class DatabaseUnavailable(AuthenticationError):
    """The caller's credentials could not be checked: the database is down or busy."""


RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly."


def refused(_connection: HTTPConnection, error: AuthenticationError) -> Response:
    """503 with Retry-After while the database cannot check credentials, as a GraphQL
    response's errors; any other refusal as Starlette answers it."""
    if not isinstance(error, DatabaseUnavailable):
        return PlainTextResponse(str(error), status_code=400)
    log.warning("credentials not checked: the database is unavailable (%s)", error.__cause__)
    return JSONResponse(
        {
            "errors": [
                {"message": DATABASE_UNAVAILABLE, "extensions": {"code": SERVICE_UNAVAILABLE}}
            ]
        },
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def authentication(backend: CredentialBackend) -> list[Middleware]:
    """The middleware of a route that needs to know its caller."""
    return [Middleware(AuthenticationMiddleware, backend=backend, on_error=refused)]


def same_origin(connection: HTTPConnection) -> bool:
    """No Origin header (not a browser's cross-site request), or the host's own."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == connection.headers.get("host", "")


def unauthenticated_response() -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": UNAUTHENTICATED, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="customer_graph"'},
    )


class RequireAuthentication:
    """Wraps an ASGI app (the GraphQL view) so only authenticated requests reach it.

    A WebSocket that a browser opens with its session cookie must come from our origin.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = HTTPConnection(scope)
        auth = caller(connection)
        cross_site_socket = scope["type"] == "websocket" and not same_origin(connection)
        if auth is not None and auth.via_session and cross_site_socket:
            auth = None
        if auth is None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4401, "reason": UNAUTHENTICATED})
                return
            await unauthenticated_response()(scope, receive, send)
            return
        await self.app(scope, receive, send)
