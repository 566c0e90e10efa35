"""The Starlette application: ``create_app`` wires settings, the database and the routes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from customer_graph.db.change_feed import broker_for
from customer_graph.db.engine import make_engine, make_sessionmaker
from customer_graph.domain.passwords import PASSWORDS
from customer_graph.domain.sessions import session_policy
from customer_graph.domain.tokens import uses_recorded
from customer_graph.settings import Settings, get_settings
from customer_graph.web import exports, imports, sign_in, spa
from customer_graph.web.auth import CredentialBackend, RequireAuthentication, authentication
from customer_graph.web.collections_log import CollectionsLog
from customer_graph.web.graphql_view import GraphQLView
from customer_graph.web.live_sockets import LiveSockets
from customer_graph.web.request_bodies import BodyLimit
from customer_graph.web.security_headers import SecurityHeaders
from customer_graph.web.session_cookie import SessionCookie

log = logging.getLogger(__name__)


async def healthz(request: Request) -> JSONResponse:
    engine: AsyncEngine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: the database does not answer")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": engine.dialect.name})


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    """The app over ``engine`` (owned by the caller) or one made from ``settings``."""
    settings = settings or get_settings()
    owns_engine = engine is None
    app_engine = engine or make_engine(
        settings.database_url, echo=settings.sql_echo, pool_size=settings.database_pool_size
    )
    PASSWORDS.concurrency = settings.password_hash_concurrency
    sessionmaker = make_sessionmaker(app_engine)
    session_cookie = SessionCookie(settings)
    backend = CredentialBackend(sessionmaker, settings, session_cookie)
    live_sockets = LiveSockets(
        sessionmaker,
        session_policy(settings),
        recheck_seconds=settings.credential_recheck_seconds,
        max_subscriptions=settings.max_subscriptions_per_credential,
    )
    broker = broker_for(app_engine)
    graphql = GraphQLView(app_engine, settings, broker, live_sockets)
    collections = CollectionsLog() if settings.gc_log else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broker.start()
        # What the process built to start (schema, app, libraries: 130,000 objects) is
        # never garbage: frozen, a full collection does not walk it each time. Under a
        # stream of new documents those collections stalled every request 0.1-0.4 s.
        gc.collect()
        gc.freeze()
        if collections:
            collections.install()
        rechecking = asyncio.create_task(live_sockets.run())
        try:
            yield
        finally:
            rechecking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await rechecking
            await broker.stop()
            await graphql.close()
            await uses_recorded()
            if collections and settings.gc_log:
                collections.uninstall()
                collections.write(settings.gc_log)
            if owns_engine:
                await app_engine.dispose()

    needs_caller = authentication(backend)
    guarded = RequireAuthentication(graphql)
    app = Starlette(
        routes=[
            # First: the router tries each route in turn, and most requests are these.
            Route("/graphql", guarded, methods=["GET", "POST"], middleware=needs_caller),
            WebSocketRoute("/graphql", guarded, middleware=needs_caller),
            Route("/healthz", healthz),
            *sign_in.routes(backend),
            *exports.routes(backend),
            *imports.routes(backend),
            *spa.routes(),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                BodyLimit,
                max_bytes=settings.max_request_bytes,
                exempt_paths=[imports.UPLOAD_PATH],
            ),
        ],
        lifespan=lifespan,
    )
    app.state.engine = app_engine
    app.state.broker = broker
    app.state.sessionmaker = sessionmaker
    app.state.settings = settings
    app.state.session_cookie = session_cookie
    app.state.live_sockets = live_sockets
    app.state.graphql = graphql
    return app
