"""``POST /auth/login``, ``POST /auth/logout``, ``POST /auth/logout-everywhere``, ``GET /auth/me``.

Signing in or out takes JSON only (``Content-Type: application/json``; signing out may
send no body at all) and, when the browser names an ``Origin``, only our own: a page of
another site cannot sign a visitor in (login CSRF) with a form of ``text/plain``.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.relay import to_base64

from customer_graph.domain.errors import DomainError
from customer_graph.domain.login_throttle import Throttled, throttle_policy
from customer_graph.domain.sessions import (
    csrf_token_for,
    end_session,
    end_user_sessions,
    session_policy,
)
from customer_graph.domain.users import WrongCredentials, sign_in
from customer_graph.settings import Settings
from customer_graph.web.auth import (
    Authentication,
    CredentialBackend,
    authentication,
    caller,
    same_origin,
)
from customer_graph.web.session_cookie import PLAIN_HTTP_REFUSED, SessionCookie

SEND_JSON = 'Send JSON: {"email": ..., "password": ...}.'


def user_json(user_id: int, name: str, email: str, role: str) -> dict[str, Any]:
    return {"id": to_base64("User", user_id), "name": name, "email": email, "role": role}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return maker


def _cookie(request: Request) -> SessionCookie:
    cookie: SessionCookie = request.app.state.session_cookie
    return cookie


def _refuse_cross_site(request: Request, *, body_required: bool) -> Response | None:
    """A refusal for a request a page of another site could have sent; None when fine."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and (media or body_required):
        return _error(415, "Send JSON, with Content-Type: application/json.")
    if not same_origin(request):
        return _error(403, "Signing in or out is taken only from this site's own pages.")
    return None


async def _json_object(request: Request) -> dict[str, Any] | Response:
    """The body as a JSON object; its size is capped for every route (``BodyLimit``)."""
    try:
        data = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _error(400, f"The body is not JSON (or not UTF-8). {SEND_JSON}")
    if not isinstance(data, dict):
        return _error(400, SEND_JSON)
    return data


async def login(request: Request) -> Response:
    refusal = _refuse_cross_site(request, body_required=True)
    if refusal is not None:
        return refusal
    body = await _json_object(request)
    if isinstance(body, Response):
        return body
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        return _error(400, "Both email and password are required, as strings.")
    cookie = _cookie(request)
    secure = cookie.secure_for(request)
    if secure is None:
        return _error(403, PLAIN_HTTP_REFUSED)
    settings: Settings = request.app.state.settings
    async with _sessions(request)() as session:
        try:
            signed_in = await sign_in(
                session,
                email=email,
                password=password,
                client_address=request.client.host if request.client else "unknown",
                throttle=throttle_policy(settings),
                sessions=session_policy(settings),
                user_agent=request.headers.get("user-agent"),
                replacing=cookie.read(request),
            )
        except Throttled as error:
            return _error(429, error.message, {"Retry-After": str(error.retry_after)})
        except WrongCredentials as error:
            return _error(401, error.message)
        except DomainError as error:
            return _error(400, error.message)
    user, secret = signed_in.user, signed_in.session.secret
    response = JSONResponse(
        {
            "user": user_json(user.id, user.name, user.email, user.role.value),
            "csrfToken": csrf_token_for(secret),
        }
    )
    cookie.write(response, secret, secure=secure)
    return response


def _session_auth(request: Request) -> Authentication | None:
    auth = caller(request)
    return auth if auth is not None and auth.via_session else None


async def _sign_out(request: Request, *, everywhere: bool) -> Response:
    refusal = _refuse_cross_site(request, body_required=False)
    if refusal is not None:
        return refusal
    auth = _session_auth(request)
    if auth is not None and auth.session is not None:
        if not auth.csrf_verified:
            return _error(403, "Signing out needs the X-CSRF-Token header of your session.")
        async with _sessions(request)() as session:
            if everywhere:
                await end_user_sessions(session, auth.session.user_id)
            else:
                await end_session(session, auth.session.id)
            await session.commit()
    response = Response(status_code=204)
    _cookie(request).clear(response, request)
    return response


async def logout(request: Request) -> Response:
    return await _sign_out(request, everywhere=False)


async def logout_everywhere(request: Request) -> Response:
    """Ends every session of the signed-in user, in every browser."""
    return await _sign_out(request, everywhere=True)


async def me(request: Request) -> Response:
    auth = _session_auth(request)
    if auth is None or auth.session is None or auth.session_secret is None:
        response = _error(401, "Not signed in.")
        if _cookie(request).read(request) is not None:
            _cookie(request).clear(response, request)
        return response
    user = auth.session
    return JSONResponse(
        {
            "user": user_json(user.user_id, user.name, user.email, user.role.value),
            "csrfToken": csrf_token_for(auth.session_secret),
        }
    )


def routes(backend: CredentialBackend) -> list[Route]:
    needs_caller = authentication(backend)
    return [
        Route("/auth/login", login, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"], middleware=needs_caller),
        Route(
            "/auth/logout-everywhere", logout_everywhere, methods=["POST"], middleware=needs_caller
        ),
        Route("/auth/me", me, methods=["GET"], middleware=needs_caller),
    ]
