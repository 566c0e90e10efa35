"""Strawberry's ASGI view with our per-request context and a fast JSON encoder."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from customer_graph.api.context import Context
from customer_graph.api.events import Broker
from customer_graph.api.schema import schema
from customer_graph.settings import Settings
from customer_graph.web.auth import Authentication


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, engine: AsyncEngine, settings: Settings, broker: Broker) -> None:
        super().__init__(schema, graphql_ide="graphiql", keep_alive=True, keep_alive_interval=15)
        self.engine = engine
        self.settings = settings
        self.broker = broker

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        auth: Authentication = request.state.auth
        return Context(
            engine=self.engine,
            settings=self.settings,
            actor=auth.actor,
            csrf_verified=auth.csrf_verified,
            broker=self.broker,
            request=request,
            response=response,
        )

    def encode_json(self, data: object) -> str:
        """orjson, as text: WebSocket clients of graphql-ws expect text frames."""
        return orjson.dumps(data, default=_default).decode()
