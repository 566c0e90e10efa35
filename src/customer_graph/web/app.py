"""The Starlette application: ``create_app`` wires settings, the database and the routes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from customer_graph.api.events import broker_for
from customer_graph.db.engine import make_engine, make_sessionmaker
from customer_graph.domain.tokens import uses_recorded
from customer_graph.settings import Settings, get_settings
from customer_graph.web import auth, exports, imports, spa
from customer_graph.web.auth import RequireAuthentication
from customer_graph.web.graphql_view import GraphQLView


async def healthz(request: Request) -> JSONResponse:
    engine: AsyncEngine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        return JSONResponse({"status": "unavailable", "database": str(error)}, status_code=503)
    return JSONResponse({"status": "ok", "database": engine.dialect.name})


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    """The app over ``engine`` (owned by the caller) or one made from ``settings``."""
    settings = settings or get_settings()
    owns_engine = engine is None
    app_engine = engine or make_engine(
        settings.database_url, echo=settings.sql_echo, pool_size=settings.database_pool_size
    )
    broker = broker_for(app_engine)
    graphql = GraphQLView(app_engine, settings, broker)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()
            await uses_recorded()
            if owns_engine:
                await app_engine.dispose()

    guarded = RequireAuthentication(graphql)
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            *auth.routes,
            *exports.routes,
            *imports.routes,
            Route("/graphql", guarded, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", guarded),
            *spa.routes(),
        ],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=settings.session_secret(),
                session_cookie=auth.SESSION_COOKIE,
                max_age=settings.session_max_age_seconds,
                same_site="lax",
                https_only=settings.cookie_secure,
            )
        ],
        lifespan=lifespan,
    )
    app.state.engine = app_engine
    app.state.broker = broker
    app.state.sessionmaker = make_sessionmaker(app_engine)
    app.state.settings = settings
    return app
