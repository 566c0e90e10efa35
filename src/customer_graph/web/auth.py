"""Who is calling: a browser session (signed cookie + CSRF token) or an API token.

Routes: ``POST /auth/login``, ``POST /auth/logout``, ``GET /auth/me``; and the gate that
lets no unauthenticated request reach /graphql.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.relay import to_base64

from customer_graph.db.models import User
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.permissions import Actor
from customer_graph.domain.tokens import actor_for_token
from customer_graph.domain.users import actor_for_user, sign_in
from customer_graph.settings import Settings

SESSION_USER = "user_id"
SESSION_CSRF = "csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "customer_graph_session"


@dataclass(frozen=True)
class Authentication:
    actor: Actor
    via_session: bool
    csrf_verified: bool


def _sessions(connection: HTTPConnection) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = connection.app.state.sessionmaker
    return maker


def _csrf_matches(connection: HTTPConnection) -> bool:
    given = connection.headers.get(CSRF_HEADER, "")
    expected = connection.session.get(SESSION_CSRF, "")
    return bool(given and expected) and secrets.compare_digest(given, expected)


async def authenticate(connection: HTTPConnection) -> Authentication | None:
    """A bearer token wins over a cookie; a wrong token is not rescued by a cookie."""
    header = connection.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        actor = await actor_for_token(_sessions(connection), header[7:].strip())
        return None if actor is None else Authentication(actor, False, True)
    user_id = connection.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    async with _sessions(connection)() as session:
        actor = await actor_for_user(session, user_id)
    if actor is None:
        connection.session.clear()
        return None
    return Authentication(actor, True, _csrf_matches(connection))


def _same_origin(connection: HTTPConnection) -> bool:
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == connection.headers.get("host", "")


UNAUTHENTICATED = "Sign in, or send an API token as 'Authorization: Bearer <token>'."


class RequireAuthentication:
    """Wraps an ASGI app (the GraphQL view) so only authenticated requests reach it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = HTTPConnection(scope)
        auth = await authenticate(connection)
        cross_site_socket = scope["type"] == "websocket" and not _same_origin(connection)
        if auth is not None and auth.via_session and cross_site_socket:
            auth = None
        if auth is None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4401, "reason": UNAUTHENTICATED})
                return
            response = JSONResponse(
                {
                    "errors": [
                        {"message": UNAUTHENTICATED, "extensions": {"code": "UNAUTHENTICATED"}}
                    ]
                },
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="customer_graph"'},
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["auth"] = auth
        await self.app(scope, receive, send)


def user_json(user_id: int, name: str, email: str, role: str) -> dict[str, Any]:
    return {"id": to_base64("User", user_id), "name": name, "email": email, "role": role}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def login(request: Request) -> Response:
    try:
        body = await request.json()
    except ValueError:
        return _error(400, 'Send JSON: {"email": ..., "password": ...}.')
    if not isinstance(body, dict):
        return _error(400, 'Send JSON: {"email": ..., "password": ...}.')
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        return _error(400, "Both email and password are required.")
    settings: Settings = request.app.state.settings
    async with _sessions(request)() as session:
        try:
            user: User = await sign_in(
                session, email=email, password=password, policy=settings.throttle_policy
            )
        except DomainError as error:
            status = 429 if error.code is ErrorCode.THROTTLED else 401
            return _error(status, error.message)
    request.session.clear()
    csrf = secrets.token_urlsafe(32)
    request.session.update({SESSION_USER: user.id, SESSION_CSRF: csrf})
    return JSONResponse(
        {"user": user_json(user.id, user.name, user.email, user.role.value), "csrfToken": csrf}
    )


async def logout(request: Request) -> Response:
    if request.session and not _csrf_matches(request):
        return _error(403, "Signing out needs the X-CSRF-Token header of your session.")
    request.session.clear()
    return Response(status_code=204)


async def me(request: Request) -> Response:
    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return _error(401, "Not signed in.")
    async with _sessions(request)() as session:
        user = await session.get(User, user_id)
    if user is None or not user.is_active:
        request.session.clear()
        return _error(401, "Not signed in.")
    return JSONResponse(
        {
            "user": user_json(user.id, user.name, user.email, user.role.value),
            "csrfToken": request.session.get(SESSION_CSRF),
        }
    )


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
    Route("/auth/me", me, methods=["GET"]),
]
